// Every server path the web UI uses, in one place. Keep in step with the server's router
// (src/http/) and the API contract; nothing else in web/src may spell an /api/ path.
const V1 = '/api/v1'
const seg = (v) => encodeURIComponent(String(v))

export const routes = {
  // auth and session
  login: `${V1}/auth/login`,
  logout: `${V1}/auth/logout`,
  changePassword: `${V1}/auth/password`,
  me: `${V1}/me`,

  // organisations and users
  orgs: `${V1}/orgs`,
  org: (id) => `${V1}/orgs/${seg(id)}`,
  users: `${V1}/users`,
  user: (id) => `${V1}/users/${seg(id)}`,
  userPassword: (id) => `${V1}/users/${seg(id)}/password`,
  userUnlock: (id) => `${V1}/users/${seg(id)}/unlock`,

  // audit trail (R-AUD-1)
  audit: `${V1}/audit`,
  auditVerify: `${V1}/audit/verify`,
  auditCheckpoint: `${V1}/audit/checkpoint`,
  adminBackups: `${V1}/admin/backups`, // --- Operating (issue 18) ---

  // working calendar (R-TIME-1, R-TIME-3)
  calendarYears: `${V1}/calendar/years`,
  calendarDay: (date) => `${V1}/calendar/days/${seg(date)}`,

  // duties with deadlines (R-TIME-4)
  duties: `${V1}/duties`,
  rules: `${V1}/rules`, // the policy's rules in words (issue 17 defect 3)

  // notifications and live events
  notifications: `${V1}/notifications`,
  notificationRead: (id) => `${V1}/notifications/${seg(id)}/read`,
  notificationsReadAll: `${V1}/notifications/read-all`,
  // notifications away from the browser (issue 18)
  userContact: (id) => `${V1}/users/${seg(id)}/contact`,
  adminDeliveries: `${V1}/admin/deliveries`,
  events: `${V1}/events`,

  // matters catalog and jurisdiction (R-JUR-1, R-JUR-2)
  matters: `${V1}/matters`,
  matter: (id) => `${V1}/matters/${seg(id)}`,
  mattersExport: `${V1}/matters/export.csv`,
  mattersImport: `${V1}/matters/import`,
  jurisdiction: `${V1}/jurisdiction`,

  // evidence files
  files: `${V1}/files`,
  file: (id) => `${V1}/files/${seg(id)}`,

  // workbench, approvals, county overview and urging (issue 17, R-PLN-2)
  workbench: `${V1}/workbench`,
  pendingApprovals: `${V1}/pending-approvals`,
  overviewOrgs: `${V1}/overview/orgs`,
  urgings: `${V1}/urgings`,
  urgingsExport: `${V1}/urgings/export.csv`,
  urging: (id) => `${V1}/urgings/${seg(id)}`,
  urgingAnswer: (id) => `${V1}/urgings/${seg(id)}/answer`,
  // assessment (issue 14, R-ASM-1, R-ASM-2)
  assessment: `${V1}/assessment`,
  assessmentItems: `${V1}/assessment/items`,
  assessmentOrg: (id) => `${V1}/assessment/orgs/${seg(id)}`,
  assessmentDashboard: `${V1}/assessment/dashboard`,
  assessmentExport: `${V1}/assessment/export.csv`,
  assessmentScheme: (year) => `${V1}/assessment/schemes/${seg(year)}`,
  assessmentResults: `${V1}/assessment/results`,
  circulars: `${V1}/circulars`,
  accountabilityRecords: `${V1}/accountability-records`,

  // case referrals (R-REF-1..8)
  referrals: `${V1}/referrals`,
  referralsExport: `${V1}/referrals/export.csv`,
  referralApprovals: `${V1}/referrals/approvals`,
  referral: (id) => `${V1}/referrals/${seg(id)}`,
  /** POST /referrals/{id}/{action}; action may contain a slash ('coordination/decision'). */
  referralAction: (id, action) => `${V1}/referrals/${seg(id)}/${action}`,
  document: (id) => `${V1}/documents/${seg(id)}`,
  documentPdf: (id) => `${V1}/documents/${seg(id)}/pdf`,
  // notices to the public (R-ASM-3)
  publicNotices: `${V1}/public-notices`,
  publicNotice: (id) => `${V1}/public-notices/${seg(id)}`,
  publicNoticeAction: (id, action) => `${V1}/public-notices/${seg(id)}/${action}`,

  // collaboration (执法协作, R-COL-1..8): the combined list and each kind of item
  collabItems: `${V1}/collab-items`,
  // criminal transfers (行刑衔接, R-CRI-1a)
  criminalTransfers: `${V1}/criminal-transfers`,
  criminalTransfer: (id) => `${V1}/criminal-transfers/${seg(id)}`,
  criminalTransferAction: (id, action) => `${V1}/criminal-transfers/${seg(id)}/${action}`,
  collabItemsExport: `${V1}/collab-items/export.csv`,
  collaborations: `${V1}/collaborations`,
  collaborationsExport: `${V1}/collaborations/export.csv`,
  collaboration: (id) => `${V1}/collaborations/${seg(id)}`,
  /** POST /{resource}/{id}/{action} for any collaboration resource (see collab-format.js TYPES). */
  collabBase: (resource) => `${V1}/${resource}`,
  // shared information (R-INF-1..3)
  materials: `${V1}/materials`,
  material: (id) => `${V1}/materials/${seg(id)}`,
  penaltyFilings: `${V1}/penalty-filings`,
  penaltyFiling: (id) => `${V1}/penalty-filings/${seg(id)}`,
  approvals: `${V1}/approvals`,
  approvalsImport: `${V1}/approvals/import`,
  approvalFeed: `${V1}/approvals/feed`,
  approvalFeedRead: `${V1}/approvals/feed/read`,
  collabObject: (resource, id) => `${V1}/${resource}/${seg(id)}`,
  collabAction: (resource, id, action) => `${V1}/${resource}/${seg(id)}/${action}`,

  // jurisdiction disputes (职责分工争议, R-DIS-1..3)
  disputes: `${V1}/disputes`,
  disputesExport: `${V1}/disputes/export.csv`,
  dispute: (id) => `${V1}/disputes/${seg(id)}`,
  disputeAction: (id, action) => `${V1}/disputes/${seg(id)}/${action}`,
  // first-contact complaints (投诉举报, R-SYS-3)
  complaints: `${V1}/complaints`,
  complaintsExport: `${V1}/complaints/export.csv`,
  complaintStats: `${V1}/complaints/stats`,
  complaint: (id) => `${V1}/complaints/${seg(id)}`,
  complaintAction: (id, action) => `${V1}/complaints/${seg(id)}/${action}`,

  // regions (R-ACC-2, issue 19): the principal's scope and its ancestors
  regions: `${V1}/regions`,
  escalations: `${V1}/escalations`,

  health: '/healthz',
}
