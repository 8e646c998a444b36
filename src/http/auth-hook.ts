import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, unauthenticated } from '../core/errors.js';
import { requirePermission } from '../modules/access/index.js';
import { resolveSession, SESSION_COOKIE } from '../modules/auth/index.js';
import { requesterOf, type AppDeps, type RouteAccess } from './context.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Runs before every handler: resolves the session cookie to an actor (idle timeout and absolute lifetime are
 * enforced by resolveSession), checks the CSRF token on state-changing requests (double submit: the
 * `x-csrf-token` header must equal the session's token) and the route's access rule. Services check again.
 */
export function authenticateRequest(deps: AppDeps) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const access = req.routeOptions.config?.access as RouteAccess | undefined;
    if (!req.url.startsWith('/api') || access === undefined) return;
    const token = req.cookies[SESSION_COOKIE];
    const requester = requesterOf(req);
    const resolved = token ? await resolveSession(deps, token, requester) : null;
    if (resolved) {
      req.actor = resolved.actor;
      req.session = resolved.session;
    }
    if (access === 'public') return;
    if (!resolved) throw unauthenticated(token ? 'your session has ended; sign in again' : 'sign in first');
    if (!safeMethods.has(req.method) && !sameToken(req.headers['x-csrf-token'], resolved.session.csrfToken)) {
      throw new DomainError(ErrorCode.forbidden, 'missing or wrong x-csrf-token header');
    }
    if (access !== 'authenticated') await requirePermission(deps, resolved.actor, access);
  };
}

/** Constant-time comparison of the CSRF header with the session's token. */
function sameToken(header: string | string[] | undefined, expected: string): boolean {
  if (typeof header !== 'string') return false;
  const a = Buffer.from(header);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
