import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requesterOf } from '../../http/context.js';
import type { Problem } from '../../http/problem.js';
import { roles, type Role } from '../access/index.js';
import { SESSION_COOKIE } from './auth.rules.js';
import * as svc from './auth.service.js';
import * as mfa from './auth.mfa.js';

export const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(roles as [Role, ...Role[]]),
  mfaEnabled: z.boolean(),
});

const SessionAnswer = z.object({
  user: UserSchema,
  csrfToken: z.string().describe('send as the x-csrf-token header on every POST, PUT, PATCH and DELETE'),
  expiresAt: z.string().describe('when the session ends without further activity (idle deadline or absolute end)'),
  idleTimeoutSeconds: z.number().int(),
  mfaEnrollmentRequired: z.boolean().describe('an administrator without a second factor may only enrol one in this session'),
});
const SessionInfo = SessionAnswer.extend({ permissions: z.array(z.string()) });

const LoginBody = z.object({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1024),
  totp: z.string().max(16).optional().describe('6-digit code from the authenticator app'),
  code: z.string().max(16).optional().describe('same as totp (alias)'),
});

/** Routes that an administrator who still has to enrol a second factor may use. */
const enrolmentRoutes = new Set([
  'GET /api/auth/session',
  'POST /api/auth/logout',
  'POST /api/auth/mfa/setup',
  'POST /api/auth/mfa/enable',
  'POST /api/auth/password',
]);

function toSessionAnswer(r: Omit<svc.LoginResult, 'token'>) {
  return {
    user: r.user,
    csrfToken: r.session.csrfToken,
    expiresAt: r.session.expiresAt,
    idleTimeoutSeconds: r.idleTimeoutSeconds,
    mfaEnrollmentRequired: r.session.mfaEnrollmentRequired,
  };
}

function sessionOf(req: FastifyRequest): { id: string; csrfToken: string; expiresAt: string } {
  if (!req.session) throw new Error('route without authentication reached a handler that needs a session');
  return req.session;
}

/** What the sign-in routes need: the auth services' deps, and whether the session cookie is Secure (behind HTTPS). */
export type AuthRoutesDeps = svc.AuthDeps & { secureCookies: boolean };

/**
 * Sign-in, sign-out, the current session, TOTP enrolment and password change. Also installs the guard that keeps
 * an administrator without a second factor to the enrolment routes (403 mfa_enrollment_required elsewhere); it
 * applies to every route registered on the same Fastify instance as these.
 */
export async function authRoutes(fastify: FastifyInstance, deps: AuthRoutesDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.addHook('preHandler', async (req, reply) => requireEnrolledMfa(deps, req, reply));

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in (password, then a TOTP code when enrolled); sets the session cookie',
        body: LoginBody,
        response: { 200: SessionAnswer },
      },
    },
    async (req, reply) => {
      const requester = requesterOf(req);
      // A new sign-in replaces a session this browser still holds.
      if (req.actor && req.session) await svc.logout(deps, req.actor, req.session.id);
      const r = await svc.login(
        deps,
        { username: req.body.username, password: req.body.password, totp: req.body.totp ?? req.body.code },
        requester,
      );
      reply.setCookie(SESSION_COOKIE, r.token, { httpOnly: true, sameSite: 'strict', secure: deps.secureCookies, path: '/' });
      return toSessionAnswer(r);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['auth'], summary: 'Sign out: ends the session and clears the cookie' },
    },
    async (req, reply) => {
      await svc.logout(deps, actorOf(req), sessionOf(req).id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/auth/session',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['auth'], summary: "The signed-in user, the CSRF token and the role's permissions", response: { 200: SessionInfo } },
    },
    async (req) => {
      const r = await svc.describeSession(deps, actorOf(req), sessionOf(req));
      return { ...toSessionAnswer(r), permissions: r.permissions };
    },
  );

  app.post(
    '/api/auth/mfa/setup',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Start TOTP enrolment: a new secret for the authenticator app',
        response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string() }) },
      },
    },
    async (req) => mfa.enrollTotp(deps, actorOf(req)),
  );

  app.post(
    '/api/auth/mfa/enable',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Finish TOTP enrolment with a code from the app',
        body: z.object({ code: z.string().min(1).max(16) }),
      },
    },
    async (req, reply) => {
      await mfa.enableTotp(deps, actorOf(req), req.body.code);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (your other sessions end)',
        body: z.object({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(1).max(1024) }),
      },
    },
    async (req, reply) => {
      await svc.changePassword(deps, actorOf(req), req.body.currentPassword, req.body.newPassword);
      return reply.status(204).send();
    },
  );
}

async function requireEnrolledMfa(
  deps: Pick<svc.SessionDeps, 'db'>,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  const access = req.routeOptions.config.access;
  if (!req.actor || access === undefined || access === 'public') return undefined;
  if (enrolmentRoutes.has(`${req.method} ${req.routeOptions.url ?? ''}`)) return undefined;
  if (!(await mfa.needsMfaEnrollment(deps, req.actor))) return undefined;
  const body: Problem = {
    type: 'https://custodian.dev/problems/mfa_enrollment_required',
    title: 'Forbidden',
    status: 403,
    detail: 'your role needs a second factor: set up an authenticator app (POST /api/auth/mfa/setup) before anything else',
    code: 'mfa_enrollment_required',
    instance: req.url.split('?')[0]!,
    requestId: req.id,
  };
  return reply.status(403).type('application/problem+json').send(body);
}
