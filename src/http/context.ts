/**
 * What a module's routes use from the server: the `config.access` rule every /api route declares, the request's
 * actor and session, and where a request comes from. Imports no module's services (src/app wires those).
 */
import type { FastifyRequest } from 'fastify';
import { toStorableText } from '../core/shared/text.js';
import type { Actor, PermissionRule } from '../modules/access/index.js';

/**
 * Every /api route declares who may call it in `config.access`: 'public', 'authenticated' (any signed-in user),
 * a permission, or `anyOf(...)` several permissions. Start-up fails for an /api route without it (deny by default).
 */
export type RouteAccess = 'public' | 'authenticated' | PermissionRule;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    actor: Actor | null;
    session: { id: string; csrfToken: string; expiresAt: string } | null;
  }
}

/** The signed-in actor of a request on an authenticated route. */
export function actorOf(req: { actor: Actor | null }): Actor {
  if (!req.actor) throw new Error('route without authentication reached a handler that needs an actor');
  return req.actor;
}

/** The longest User-Agent kept with a session and every audit event (real ones are well under 300 characters). */
export const USER_AGENT_MAX_LENGTH = 512;

/**
 * Where a request comes from, as sessions and audit events record it. The User-Agent is recorded, not validated,
 * so it is made storable instead of refused: Node's HTTP parser already answers 400 to a NUL or other control
 * byte in a header and reads other bytes as Latin-1 (never a lone surrogate), but a header that reaches the app
 * another way (light-my-request, a future proxy) must not put text into the audit chain that reads back altered.
 */
export function requesterOf(req: Pick<FastifyRequest, 'ip' | 'headers'>): { ip: string; userAgent: string | null } {
  const ua = req.headers['user-agent'];
  return { ip: req.ip, userAgent: typeof ua === 'string' ? toStorableText(ua, USER_AGENT_MAX_LENGTH) : null };
}
