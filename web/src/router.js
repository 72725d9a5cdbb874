// Routes. Every page is loaded on demand so the first download stays small on old office PCs.
// History mode: the server answers index.html for any GET that is not a file or under /api/.
import { createRouter, createWebHistory } from 'vue-router'
import { useAuthStore } from './stores/auth.js'

const routes = [
  {
    path: '/login',
    name: 'login',
    component: () => import('./features/auth/LoginPage.vue'),
    meta: { public: true },
  },
  {
    path: '/',
    component: () => import('./layout/AppLayout.vue'),
    children: [
      {
        path: '',
        name: 'inbox',
        component: () => import('./features/duties/InboxPage.vue'),
        meta: { menu: 'inbox' },
      },
      {
        path: 'notifications',
        name: 'notifications',
        component: () => import('./features/notifications/NotificationsPage.vue'),
        meta: { menu: 'notifications' },
      },
      {
        path: 'referrals',
        name: 'referrals',
        component: () => import('./features/referrals/ReferralListPage.vue'),
        meta: { menu: 'referrals' },
      },
      {
        path: 'referrals/new',
        name: 'referral-new',
        component: () => import('./features/referrals/ReferralFormPage.vue'),
        meta: { menu: 'referral-new', viewKey: 'referral-form' },
      },
      {
        path: 'referrals/approvals',
        name: 'referral-approvals',
        component: () => import('./features/referrals/ApprovalsPage.vue'),
        meta: { menu: 'referral-approvals', roles: ['leader'] },
      },
      {
        path: 'referrals/:id/edit',
        name: 'referral-edit',
        component: () => import('./features/referrals/ReferralFormPage.vue'),
        // Same page instance as /referrals/new: the first save moves new → edit without a reload.
        meta: { menu: 'referrals', viewKey: 'referral-form' },
      },
      {
        path: 'referrals/:id',
        name: 'referral',
        component: () => import('./features/referrals/ReferralDetailPage.vue'),
        meta: { menu: 'referrals' },
      },
      // --- 行刑衔接: court-enforcements (R-CRI-3 / R-CRI-4) ---
      {
        path: 'court-enforcements',
        name: 'court-enforcements',
        component: () => import('./features/judicial/JudicialListPage.vue'),
        meta: { menu: 'court-enforcements', judicialType: 'court_enforcement' },
      },
      {
        path: 'court-enforcements/new',
        name: 'court-enforcements-new',
        component: () => import('./features/judicial/JudicialNewPage.vue'),
        meta: { menu: 'court-enforcements', judicialType: 'court_enforcement' },
      },
      {
        path: 'court-enforcements/:id',
        name: 'court-enforcement',
        component: () => import('./features/judicial/JudicialItemPage.vue'),
        meta: { menu: 'court-enforcements', judicialType: 'court_enforcement' },
      },
      // --- 行刑衔接: police-support-requests (R-CRI-3 / R-CRI-4) ---
      {
        path: 'police-support-requests',
        name: 'police-support-requests',
        component: () => import('./features/judicial/JudicialListPage.vue'),
        meta: { menu: 'police-support-requests', judicialType: 'police_support' },
      },
      {
        path: 'police-support-requests/new',
        name: 'police-support-requests-new',
        component: () => import('./features/judicial/JudicialNewPage.vue'),
        meta: { menu: 'police-support-requests', judicialType: 'police_support' },
      },
      {
        path: 'police-support-requests/:id',
        name: 'police-support-request',
        component: () => import('./features/judicial/JudicialItemPage.vue'),
        meta: { menu: 'police-support-requests', judicialType: 'police_support' },
      },
      {
        path: 'criminal-transfers',
        name: 'criminal-transfers',
        component: () => import('./features/criminal/CriminalListPage.vue'),
        meta: { menu: 'criminal-transfers' },
      },
      {
        path: 'criminal-transfers/new',
        name: 'criminal-transfer-new',
        component: () => import('./features/criminal/CriminalNewPage.vue'),
        meta: { menu: 'criminal-transfers' },
      },
      {
        path: 'criminal-transfers/:id(\\d+)',
        name: 'criminal-transfer',
        component: () => import('./features/criminal/CriminalDetailPage.vue'),
        meta: { menu: 'criminal-transfers' },
      },
      {
        path: 'collab',
        name: 'collab',
        component: () => import('./features/collab/CollabListPage.vue'),
        meta: { menu: 'collab' },
      },
      {
        path: 'collab/new/:type(notice|meeting|participation|violation_notice)',
        name: 'collab-new',
        component: () => import('./features/collab/CollabNewPage.vue'),
        meta: { menu: 'collab' },
      },
      {
        path: 'collaborations/new',
        name: 'collaboration-new',
        component: () => import('./features/collab/CollaborationFormPage.vue'),
        meta: { menu: 'collaboration-new', viewKey: 'collaboration-form' },
      },
      {
        path: 'collaborations/approvals',
        name: 'collab-approvals',
        component: () => import('./features/collab/CollabApprovalsPage.vue'),
        meta: { menu: 'collab-approvals', roles: ['leader'] },
      },
      {
        path: 'collaborations/:id/edit',
        name: 'collaboration-edit',
        component: () => import('./features/collab/CollaborationFormPage.vue'),
        meta: { menu: 'collab', viewKey: 'collaboration-form' },
      },
      {
        path: 'collaborations/:id',
        name: 'collaboration',
        component: () => import('./features/collab/CollaborationDetailPage.vue'),
        meta: { menu: 'collab' },
      },
      {
        path: 'notices/:id',
        name: 'collab-notice',
        component: () => import('./features/collab/CollabItemPage.vue'),
        meta: { menu: 'collab', collabType: 'notice' },
      },
      {
        path: 'meetings/:id',
        name: 'collab-meeting',
        component: () => import('./features/collab/CollabItemPage.vue'),
        meta: { menu: 'collab', collabType: 'meeting' },
      },
      {
        path: 'participation-requests/:id',
        name: 'collab-participation',
        component: () => import('./features/collab/CollabItemPage.vue'),
        meta: { menu: 'collab', collabType: 'participation' },
      },
      {
        path: 'violation-notices/:id',
        name: 'collab-violation_notice',
        component: () => import('./features/collab/CollabItemPage.vue'),
        meta: { menu: 'collab', collabType: 'violation_notice' },
      },
      // --- Jurisdiction disputes (职责分工争议, R-DIS-1..3) ---
      {
        path: 'disputes',
        name: 'disputes',
        component: () => import('./features/disputes/DisputeListPage.vue'),
        meta: { menu: 'disputes' },
      },
      {
        path: 'disputes/new',
        name: 'dispute-new',
        component: () => import('./features/disputes/DisputeNewPage.vue'),
        meta: { menu: 'disputes' },
      },
      {
        path: 'disputes/:id',
        name: 'dispute',
        component: () => import('./features/disputes/DisputeDetailPage.vue'),
        meta: { menu: 'disputes' },
      },
      {
        path: 'complaints',
        name: 'complaints',
        component: () => import('./features/complaints/ComplaintListPage.vue'),
        meta: { menu: 'complaints' },
      },
      {
        path: 'complaints/new',
        name: 'complaint-new',
        component: () => import('./features/complaints/ComplaintFormPage.vue'),
        meta: { menu: 'complaints' },
      },
      {
        path: 'complaints/:id',
        name: 'complaint',
        component: () => import('./features/complaints/ComplaintDetailPage.vue'),
        meta: { menu: 'complaints' },
      },
      {
        path: 'admin/orgs',
        name: 'orgs',
        component: () => import('./features/admin/OrgsPage.vue'),
        meta: { menu: 'orgs', roles: ['admin'] },
      },
      {
        path: 'admin/users',
        name: 'users',
        component: () => import('./features/admin/UsersPage.vue'),
        meta: { menu: 'users', roles: ['admin'] },
      },
      {
        path: 'admin/calendar',
        name: 'calendar',
        component: () => import('./features/admin/CalendarPage.vue'),
        meta: { menu: 'calendar', roles: ['admin'] },
      },
      {
        path: 'admin/audit',
        name: 'audit',
        component: () => import('./features/admin/AuditPage.vue'),
        meta: { menu: 'audit', roles: ['admin', 'auditor'] },
      },
      {
        path: 'admin/deliveries',
        name: 'deliveries',
        component: () => import('./features/admin/DeliveriesPage.vue'),
        meta: { menu: 'deliveries', roles: ['admin'] },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('./layout/NotFoundPage.vue'),
      },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  const auth = useAuthStore()
  if (!auth.checked) {
    try {
      await auth.fetchMe()
    } catch {
      // Server unreachable: the login page shows the network error when the user tries.
    }
  }
  if (to.meta.public) {
    return auth.signedIn && to.name === 'login' ? { name: 'inbox' } : true
  }
  if (!auth.signedIn) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  const need = to.matched.flatMap((r) => r.meta.roles || [])
  if (need.length && !need.some((r) => auth.hasRole(r))) return { name: 'inbox' }
  return true
})
