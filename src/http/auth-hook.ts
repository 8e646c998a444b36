import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, unauthenticated } from '../core/errors.js';
import type { Actor, PermissionRule } from '../modules/access/index.js';
import { requesterOf } from './context.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * What the hook needs from the auth and access modules, declared here and wired in src/app/server.ts, so that
 * the server kit imports no module's services.
 */
export interface RequestAuthenticator {
  /** Name of the session cookie. */
  sessionCookie: string;
  /** The actor and session of a session token; null when there is none or it has ended (idle, absolute lifetime). */
  resolveSession(
    token: string,
    requester: { ip: string; userAgent: string | null },
  ): Promise<{ actor: Actor; session: { id: string; csrfToken: string; expiresAt: string } } | null>;
  /** Throws a `forbidden` domain error (and audits the denial) unless the actor's role meets the rule. */
  requirePermission(actor: Actor, rule: PermissionRule): Promise<void>;
}

/**
 * Runs before every handler: resolves the session cookie to an actor (idle timeout and absolute lifetime are
 * enforced by resolveSession), checks the CSRF token on state-changing requests (double submit: the
 * `x-csrf-token` header must equal the session's token) and the route's access rule. Services check again.
 */
export function authenticateRequest(auth: RequestAuthenticator) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const access = req.routeOptions.config.access;
    if (!req.url.startsWith('/api') || access === undefined) return;
    const token = req.cookies[auth.sessionCookie];
    const requester = requesterOf(req);
    const resolved = token ? await auth.resolveSession(token, requester) : null;
    if (resolved) {
      req.actor = resolved.actor;
      req.session = resolved.session;
    }
    if (access === 'public') return;
    if (!resolved) throw unauthenticated(token ? 'your session has ended; sign in again' : 'sign in first');
    if (!safeMethods.has(req.method) && !sameToken(req.headers['x-csrf-token'], resolved.session.csrfToken)) {
      throw new DomainError(ErrorCode.forbidden, 'missing or wrong x-csrf-token header');
    }
    if (access !== 'authenticated') await auth.requirePermission(resolved.actor, access);
  };
}

/** Constant-time comparison of the CSRF header with the session's token. */
function sameToken(header: string | string[] | undefined, expected: string): boolean {
  if (typeof header !== 'string') return false;
  const a = Buffer.from(header);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
