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

  // audit trail (R-AUD-1)
  audit: `${V1}/audit`,
  auditVerify: `${V1}/audit/verify`,

  // working calendar (R-TIME-1, R-TIME-3)
  calendarYears: `${V1}/calendar/years`,
  calendarDay: (date) => `${V1}/calendar/days/${seg(date)}`,

  // duties with deadlines (R-TIME-4)
  duties: `${V1}/duties`,

  // notifications and live events
  notifications: `${V1}/notifications`,
  notificationRead: (id) => `${V1}/notifications/${seg(id)}/read`,
  notificationsReadAll: `${V1}/notifications/read-all`,
  events: `${V1}/events`,

  health: '/healthz',
}
