/** People and access: users, sign-in with lockout and TOTP, server-side sessions, user administration. */
export {
  SESSION_COOKIE,
  PASSWORD_MIN_LENGTH,
  passwordProblem,
  normalizeUsername,
  totpCode,
  totpUrl,
  verifyTotp,
  sessionIdOf,
} from './auth.rules.js';
export {
  login,
  logout,
  resolveSession,
  sweepExpiredSessions,
  describeSession,
  changePassword,
  hashPassword,
  verifyUserPassword,
} from './auth.service.js';
export { needsMfaEnrollment, enrollTotp, enableTotp, enrollTotpWithSecret } from './auth.mfa.js';
export type { AuthDeps, SessionDeps, TotpDeps, Requester, UserView, SessionView, LoginResult } from './auth.service.js';
export { createUser, listUsers, disableUser, enableUser, resetMfa, unlockUser } from './users.service.js';
export type { UsersDeps, UserAdminView, NewUser } from './users.service.js';
/** Reads of users for the demo seed (ids only). */
export { countUsers, findFirstUserOfRole } from './auth.repository.js';
export { authRoutes, type AuthRoutesDeps } from './auth.routes.js';
export { userRoutes } from './users.routes.js';
