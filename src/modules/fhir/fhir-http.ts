/**
 * The HTTP pieces the FHIR routes share: the base URL, ids from the path, the caller of a request (bearer token or web
 * session), and FHIR answers (media type; ETag and Last-Modified for one resource).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, unauthenticated } from '../../core/errors.js';
import { requesterOf } from '../../http/context.js';
import type { Actor } from '../access/index.js';
import { resolveToken, sessionGrant } from './fhir-clients.service.js';
import { etagOf, FHIR_JSON } from './fhir.rules.js';
import type { FhirCaller, FhirDeps } from './fhir.service.js';
import type { Resource } from './fhir.types.js';

export interface FhirHttpDeps extends FhirDeps {
  /** Name of the web app's session cookie, and its resolution (the auth module's, wired in src/app/modules.ts). */
  sessionCookie: string;
  resolveSession(
    token: string,
    requester: { ip: string; userAgent: string | null },
  ): Promise<{ actor: Actor; session: { csrfToken: string } } | null>;
}

export const baseUrlOf = (req: FastifyRequest) => `${req.protocol}://${req.host}/fhir`;
const idPattern = /^[A-Za-z0-9.-]{1,64}$/;

export function idOf(req: FastifyRequest, param = 'id'): string {
  const id = (req.params as Record<string, string | undefined>)[param] ?? '';
  // An id that cannot be one answers as an unknown one does.
  if (!idPattern.test(id)) throw new DomainError(ErrorCode.notFound, 'resource not found');
  return id;
}

export function sendFhir(reply: FastifyReply, status: number, body: object): FastifyReply {
  return reply.status(status).type(`${FHIR_JSON}; charset=utf-8`).send(JSON.stringify(body));
}

/** One resource with its version headers: ETag W/"versionId" and Last-Modified (FHIR R4 RESTful API, "read"). */
export function sendResource(reply: FastifyReply, status: number, r: Resource, location?: string): FastifyReply {
  if (r.meta?.versionId) reply.header('etag', etagOf(r.meta.versionId));
  if (r.meta?.lastUpdated) reply.header('last-modified', new Date(r.meta.lastUpdated).toUTCString());
  if (location) reply.header('location', location);
  return sendFhir(reply, status, r);
}

/** The caller of a FHIR request: a bearer token's client, or the web session's user (CSRF token on POST). */
export async function callerOf(deps: FhirHttpDeps, req: FastifyRequest): Promise<FhirCaller> {
  const requester = requesterOf(req);
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(auth);
    if (!m?.[1]) throw unauthenticated('send Authorization: Bearer <access token>');
    const caller = await resolveToken(deps, m[1], requester);
    req.actor = caller.actor;
    return caller;
  }
  const token = req.cookies[deps.sessionCookie];
  const resolved = token ? await deps.resolveSession(token, requester) : null;
  if (!resolved) throw unauthenticated('send a bearer token from /fhir/auth/token');
  if (req.method !== 'GET' && req.headers['x-csrf-token'] !== resolved.session.csrfToken)
    throw new DomainError(ErrorCode.forbidden, 'missing or wrong x-csrf-token header');
  req.actor = resolved.actor;
  return { actor: resolved.actor, grant: sessionGrant() };
}
