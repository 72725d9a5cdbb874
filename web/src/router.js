// Routes. Every page is loaded on demand so the first download stays small on old office PCs.
// History mode: the server answers index.html for any GET that is not a file or under /api/.
import { createRouter, createWebHistory } from 'vue-router'
import { useAuthStore } from './stores/auth.js'
import { useRegionStore } from './stores/region.js'

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
      // --- Workbench (issue 17): `/` shows the workbench, for the coordinator the county overview ---
      {
        path: '',
        name: 'home',
        component: () => import('./features/workbench/HomePage.vue'),
        meta: { menu: 'workbench' },
      },
      {
        path: 'workbench',
        name: 'workbench',
        component: () => import('./features/workbench/WorkbenchPage.vue'),
        meta: { menu: 'workbench' },
      },
      {
        path: 'overview',
        name: 'overview',
        component: () => import('./features/workbench/OverviewPage.vue'),
        meta: { menu: 'overview', roles: ['coordinator_staff', 'auditor', 'admin'] },
      },
      {
        path: 'urgings',
        name: 'urgings',
        component: () => import('./features/workbench/UrgingListPage.vue'),
        meta: { menu: 'urgings' },
      },
      {
        path: 'urgings/:id',
        name: 'urging',
        component: () => import('./features/workbench/UrgingDetailPage.vue'),
        meta: { menu: 'urgings' },
      },
      // --- 统计分析 (issue 14, R-ASM-1, R-ASM-2) ---
      {
        path: 'assessment',
        name: 'assessment',
        component: () => import('./features/assessment/AssessmentPage.vue'),
        meta: { menu: 'assessment' },
      },
      {
        path: 'assessment/items',
        name: 'assessment-items',
        component: () => import('./features/assessment/AssessmentItemsPage.vue'),
        meta: { menu: 'assessment' },
      },
      {
        path: 'assessment/orgs/:id',
        name: 'assessment-org',
        component: () => import('./features/assessment/AssessmentOrgPage.vue'),
        meta: { menu: 'assessment' },
      },
      {
        path: 'assessment/scheme',
        name: 'assessment-scheme',
        component: () => import('./features/assessment/AssessmentSchemePage.vue'),
        meta: { menu: 'assessment' },
      },
      {
        path: 'circulars/:id',
        name: 'circular',
        component: () => import('./features/assessment/AssessmentItemDetailPage.vue'),
        meta: { menu: 'assessment', kind: 'circular' },
      },
      {
        path: 'accountability-records/:id',
        name: 'accountability-record',
        component: () => import('./features/assessment/AssessmentItemDetailPage.vue'),
        meta: { menu: 'assessment', kind: 'accountability' },
      },
      {
        path: 'inbox',
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
        // The form keeps 新建移送 highlighted while a draft is edited (issue 17 defect 13).
        meta: { menu: 'referral-new', viewKey: 'referral-form' },
      },
      {
        path: 'referrals/:id',
        name: 'referral',
        component: () => import('./features/referrals/ReferralDetailPage.vue'),
        meta: { menu: 'referrals' },
      },
      // --- 年度计划 (R-PLN-1) and 指挥调度 (R-PLN-2) ---
      { path: 'plans', name: 'plans', component: () => import('./features/plan/PlanListPage.vue'), meta: { menu: 'plans' } },
      { path: 'plans/:id', name: 'plan', component: () => import('./features/plan/PlanDetailPage.vue'), meta: { menu: 'plans' } },
      { path: 'plan-tasks', name: 'plan-tasks', component: () => import('./features/plan/PlanTaskListPage.vue'), meta: { menu: 'plan-tasks' } },
      { path: 'plan-tasks/:id', name: 'plan-task', component: () => import('./features/plan/PlanTaskDetailPage.vue'), meta: { menu: 'plan-tasks' } },
      { path: 'command', name: 'command', component: () => import('./features/plan/CommandPage.vue'), meta: { menu: 'command' } },
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
      // --- 指导培训: guidance-requests (R-GUI-1..3) ---
      {
        path: 'guidance-requests',
        name: 'guidance-requests',
        component: () => import('./features/guidance/GuidanceListPage.vue'),
        meta: { menu: 'guidance-requests', guidanceType: 'guidance_request' },
      },
      {
        path: 'guidance-requests/new',
        name: 'guidance-requests-new',
        component: () => import('./features/guidance/GuidanceNewPage.vue'),
        meta: { menu: 'guidance-requests', guidanceType: 'guidance_request' },
      },
      {
        path: 'guidance-requests/:id',
        name: 'guidance-request',
        component: () => import('./features/guidance/GuidanceItemPage.vue'),
        meta: { menu: 'guidance-requests', guidanceType: 'guidance_request' },
      },
      // --- 指导培训: trainings (R-GUI-1..3) ---
      {
        path: 'trainings',
        name: 'trainings',
        component: () => import('./features/guidance/GuidanceListPage.vue'),
        meta: { menu: 'trainings', guidanceType: 'training' },
      },
      {
        path: 'trainings/new',
        name: 'trainings-new',
        component: () => import('./features/guidance/GuidanceNewPage.vue'),
        meta: { menu: 'trainings', guidanceType: 'training' },
      },
      {
        path: 'trainings/summary',
        name: 'training-summary',
        component: () => import('./features/guidance/TrainingSummaryPage.vue'),
        meta: { menu: 'trainings' },
      },
      {
        path: 'trainings/:id',
        name: 'training',
        component: () => import('./features/guidance/GuidanceItemPage.vue'),
        meta: { menu: 'trainings', guidanceType: 'training' },
      },
      // --- 指导培训: tech-support-requests (R-GUI-1..3) ---
      {
        path: 'tech-support-requests',
        name: 'tech-support-requests',
        component: () => import('./features/guidance/GuidanceListPage.vue'),
        meta: { menu: 'tech-support-requests', guidanceType: 'tech_support' },
      },
      {
        path: 'tech-support-requests/new',
        name: 'tech-support-requests-new',
        component: () => import('./features/guidance/GuidanceNewPage.vue'),
        meta: { menu: 'tech-support-requests', guidanceType: 'tech_support' },
      },
      {
        path: 'tech-support-requests/:id',
        name: 'tech-support-request',
        component: () => import('./features/guidance/GuidanceItemPage.vue'),
        meta: { menu: 'tech-support-requests', guidanceType: 'tech_support' },
      },
      // --- 信息共享 (R-INF-1..3) ---
      { path: 'materials', name: 'materials', component: () => import('./features/shared-info/MaterialListPage.vue'), meta: { menu: 'materials' } },
      { path: 'materials/new', name: 'material-new', component: () => import('./features/shared-info/MaterialNewPage.vue'), meta: { menu: 'material-new' } },
      { path: 'materials/:id', name: 'material', component: () => import('./features/shared-info/MaterialDetailPage.vue'), meta: { menu: 'materials' } },
      { path: 'approvals', name: 'approvals', component: () => import('./features/shared-info/ApprovalListPage.vue'), meta: { menu: 'approvals' } },
      { path: 'approvals/feed', name: 'approval-feed', component: () => import('./features/shared-info/ApprovalFeedPage.vue'), meta: { menu: 'approval-feed' } },
      { path: 'penalty-filings', name: 'penalty-filings', component: () => import('./features/shared-info/PenaltyFilingListPage.vue'), meta: { menu: 'penalty-filings' } },
      { path: 'penalty-filings/new', name: 'penalty-filing-new', component: () => import('./features/shared-info/PenaltyFilingNewPage.vue'), meta: { menu: 'penalty-filings' } },
      { path: 'penalty-filings/:id', name: 'penalty-filing', component: () => import('./features/shared-info/PenaltyFilingDetailPage.vue'), meta: { menu: 'penalty-filings' } },
      // 公开发布 (R-ASM-3, issue 14): the coordinator's notices to the public.
      { path: 'public-notices', name: 'public-notices', component: () => import('./features/public-notices/PublicNoticesPage.vue'), meta: { menu: 'public-notices' } },
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
        meta: { menu: 'collaboration-new', viewKey: 'collaboration-form' },
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
      // --- Standing mechanisms (协作机制, R-SYS-1, 2, 4, 5) ---
      {
        path: 'consultations',
        name: 'consultations',
        component: () => import('./features/mechanisms/MechanismListPage.vue'),
        meta: { menu: 'consultations', resource: 'consultations' },
      },
      {
        path: 'consultations/:id',
        name: 'consultation',
        component: () => import('./features/mechanisms/MechanismDetailPage.vue'),
        meta: { menu: 'consultations', resource: 'consultations' },
      },
      {
        path: 'joint-mechanisms',
        name: 'joint-mechanisms',
        component: () => import('./features/mechanisms/MechanismListPage.vue'),
        meta: { menu: 'joint-mechanisms', resource: 'joint-mechanisms' },
      },
      {
        path: 'joint-mechanisms/:id',
        name: 'joint-mechanism',
        component: () => import('./features/mechanisms/MechanismDetailPage.vue'),
        meta: { menu: 'joint-mechanisms', resource: 'joint-mechanisms' },
      },
      {
        path: 'joint-actions',
        name: 'joint-actions',
        component: () => import('./features/mechanisms/MechanismListPage.vue'),
        meta: { menu: 'joint-actions', resource: 'joint-actions' },
      },
      {
        path: 'joint-actions/:id',
        name: 'joint-action',
        component: () => import('./features/mechanisms/MechanismDetailPage.vue'),
        meta: { menu: 'joint-actions', resource: 'joint-actions' },
      },
      {
        path: 'liaisons',
        name: 'liaisons',
        component: () => import('./features/mechanisms/LiaisonsPage.vue'),
        meta: { menu: 'liaisons' },
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
      // --- 执法事项目录 (issue 17): admins import and export; staff browse read-only ---
      {
        path: 'admin/matters',
        name: 'admin-matters',
        component: () => import('./features/catalog/MattersPage.vue'),
        meta: { menu: 'admin-matters', roles: ['admin'], catalogAdmin: true },
      },
      {
        path: 'matters',
        name: 'matters',
        component: () => import('./features/catalog/MattersPage.vue'),
        meta: { menu: 'matters' },
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
    return auth.signedIn && to.name === 'login' ? { name: 'home' } : true
  }
  if (!auth.signedIn) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  const need = to.matched.flatMap((r) => r.meta.roles || [])
  if (need.length && !need.some((r) => auth.hasRole(r))) return { name: 'home' }
  return regionInUrl(to, auth)
})

// R-ACC-2 (issue 19): an office above county level keeps the region it looks at in the URL
// (?region=445321): a link with a region chooses it, a navigation without one carries the current
// choice along. County-level users have no picker and their URLs never change.
async function regionInUrl(to, auth) {
  const region = useRegionStore()
  if (region.loadedFor !== auth.user.id) await region.load(auth.user.id)
  if (!region.showPicker) return true
  const q = typeof to.query.region === 'string' ? to.query.region : ''
  if (q && q !== region.selected) {
    if (region.choices.some((r) => r.code === q)) region.select(q)
    else {
      const { region: _drop, ...rest } = to.query
      const query = region.selected ? { ...rest, region: region.selected } : rest
      return { path: to.path, hash: to.hash, query, replace: true }
    }
  }
  if (!q && region.selected) {
    return { path: to.path, hash: to.hash, query: { ...to.query, region: region.selected }, replace: true }
  }
  return true
}
