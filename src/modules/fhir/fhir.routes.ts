/**
 * The FHIR R4 API under /fhir (outside /api: its own media type, its own errors, its own authentication). Every
 * answer is application/fhir+json and every error an OperationOutcome; the token endpoint answers as OAuth 2.0 does
 * (RFC 6749 section 5). A request carries a bearer token (API clients) or the web app's session cookie (its user's
 * role, with the x-csrf-token header on POST).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, isDomainError, unauthenticated } from '../../core/errors.js';
import { findInvalidText } from '../../core/shared/text.js';
import { requesterOf } from '../../http/context.js';
import { statusOfCode } from '../../http/problem.js';
import type { Actor } from '../access/index.js';
import { capabilityStatement, smartConfiguration } from './fhir.capability.js';
import { issueToken, OAuthError, resolveToken, sessionGrant } from './fhir-clients.service.js';
import { FHIR_JSON, operationOutcome, searchsetBundle } from './fhir.rules.js';
import { parseSearch } from './fhir.search.js';
import { readResource, resourceTypes, searchResources, type FhirCaller, type FhirDeps, type ResourceType } from './fhir.service.js';

export interface FhirRoutesDeps extends FhirDeps {
  /** Name of the web app's session cookie, and its resolution (the auth module's, wired in src/app/modules.ts). */
  sessionCookie: string;
  resolveSession(
    token: string,
    requester: { ip: string; userAgent: string | null },
  ): Promise<{ actor: Actor; session: { csrfToken: string } } | null>;
}

/** Every route of the API, as the restricted-record walk reads them (test/http/restricted-record-walk.test.ts). */
export const FHIR_ROUTES: readonly { method: 'GET' | 'POST'; url: string }[] = [
  { method: 'GET', url: '/fhir/metadata' },
  { method: 'GET', url: '/fhir/.well-known/smart-configuration' },
  { method: 'POST', url: '/fhir/auth/token' },
  ...resourceTypes.flatMap((t) => [
    { method: 'GET' as const, url: `/fhir/${t}` },
    { method: 'POST' as const, url: `/fhir/${t}/_search` },
    { method: 'GET' as const, url: `/fhir/${t}/:id` },
  ]),
  { method: 'GET', url: '/fhir/Binary/:id' },
];

const baseUrlOf = (req: FastifyRequest) => `${req.protocol}://${req.host}/fhir`;
const idPattern = /^[A-Za-z0-9.-]{1,64}$/;

export async function fhirRoutes(parent: FastifyInstance, deps: FhirRoutesDeps): Promise<void> {
  await parent.register(async (app) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    app.addContentTypeParser(['application/fhir+json', 'application/json'], { parseAs: 'string' }, (_req, body, done) => {
      done(null, String(body));
    });
    app.setErrorHandler(fhirErrorHandler);
    app.addHook('onSend', async (_req, reply) => {
      reply.header('cache-control', 'no-store');
    });
    app.addHook('preHandler', async (req) => {
      const bad = findInvalidText(req.query) ?? findInvalidText(req.params);
      if (bad) throw new DomainError(ErrorCode.invalid, `${bad.path || 'query'}: ${bad.problem}`);
    });

    app.get('/fhir/metadata', async (req, reply) =>
      sendFhir(reply, 200, capabilityStatement(baseUrlOf(req), deps.clock.now().toISOString())),
    );
    app.get('/fhir/.well-known/smart-configuration', async (req, reply) =>
      reply.type('application/json').send(smartConfiguration(baseUrlOf(req))),
    );
    app.post('/fhir/auth/token', async (req, reply) => {
      const answer = await issueToken(deps, req.body, {
        ...basicCredentials(req),
        audience: `${baseUrlOf(req)}/auth/token`,
        requester: requesterOf(req),
      });
      return reply.type('application/json').header('pragma', 'no-cache').send(answer);
    });

    for (const type of resourceTypes) {
      const search = async (req: FastifyRequest, reply: FastifyReply, params: Record<string, unknown>) => {
        const caller = await callerOf(deps, req);
        const parsed = parseSearch(type, params);
        const answer = await searchResources(deps, caller, type, parsed);
        const base = baseUrlOf(req);
        if ('total' in answer) return sendFhir(reply, 200, { resourceType: 'Bundle', type: 'searchset', total: answer.total });
        const link = (offset: number) => `${base}/${type}?${pageQuery(parsed.strings, offset)}`;
        return sendFhir(
          reply,
          200,
          searchsetBundle({
            baseUrl: base,
            resources: answer.resources,
            selfUrl: link(parsed.offset),
            nextUrl: answer.hasMore ? link(parsed.offset + parsed.count) : undefined,
          }),
        );
      };
      app.get(`/fhir/${type}`, async (req, reply) => search(req, reply, req.query as Record<string, unknown>));
      app.post(`/fhir/${type}/_search`, async (req, reply) => {
        const body = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
        return search(req, reply, { ...(req.query as Record<string, unknown>), ...body });
      });
      app.get(`/fhir/${type}/:id`, async (req, reply) => read(req, reply, type));
    }
    app.get('/fhir/Binary/:id', async (req, reply) => {
      const caller = await callerOf(deps, req);
      const resource = await readResource(deps, caller, 'Binary', idOf(req));
      // A client that does not ask for FHIR JSON gets the content itself (FHIR R4 Binary, "Serving Binary Resources").
      const accept = req.headers.accept ?? '';
      if (resource.resourceType === 'Binary' && !/fhir\+json|application\/json/.test(accept)) {
        return reply.type(resource.contentType).send(Buffer.from(resource.data ?? '', 'base64'));
      }
      return sendFhir(reply, 200, resource);
    });

    async function read(req: FastifyRequest, reply: FastifyReply, type: ResourceType) {
      const caller = await callerOf(deps, req);
      return sendFhir(reply, 200, await readResource(deps, caller, type, idOf(req)));
    }

    app.all('/fhir/*', async () => {
      throw new DomainError(ErrorCode.notFound, 'no such FHIR endpoint or interaction (see /fhir/metadata)');
    });
    app.all('/fhir', async () => {
      throw new DomainError(ErrorCode.notFound, 'no such FHIR endpoint or interaction (see /fhir/metadata)');
    });
  });
}

function idOf(req: FastifyRequest): string {
  const id = (req.params as { id?: string }).id ?? '';
  // An id that cannot be one answers as an unknown one does.
  if (!idPattern.test(id)) throw new DomainError(ErrorCode.notFound, 'resource not found');
  return id;
}

/** The query of a page link: the search's own parameters with `_offset` set (never `_offset` twice). */
function pageQuery(strings: Map<string, string>, offset: number): string {
  const q = new URLSearchParams([...strings].filter(([k]) => k !== '_offset'));
  if (offset > 0) q.set('_offset', String(offset));
  return q.toString();
}

function sendFhir(reply: FastifyReply, status: number, body: object): FastifyReply {
  return reply.status(status).type(`${FHIR_JSON}; charset=utf-8`).send(JSON.stringify(body));
}

/** The caller of a FHIR request: a bearer token's client, or the web session's user (CSRF token on POST). */
async function callerOf(deps: FhirRoutesDeps, req: FastifyRequest): Promise<FhirCaller> {
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

function basicCredentials(req: FastifyRequest): { basic?: { id: string; secret: string } } {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return {};
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return {};
  return { basic: { id: decodeURIComponent(text.slice(0, colon)), secret: decodeURIComponent(text.slice(colon + 1)) } };
}

/** Every error as an OperationOutcome (the token endpoint's as OAuth errors); unknown ones as 500 with the request id only. */
function fhirErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof OAuthError) {
    const status = err.error === 'invalid_client' ? 401 : 400;
    return reply.status(status).type('application/json').send({ error: err.error, error_description: err.message });
  }
  if (isDomainError(err)) {
    const status = statusOfCode[err.code];
    if (status === 401) reply.header('www-authenticate', 'Bearer realm="fhir"');
    return sendFhir(reply, status, operationOutcome(err.code, err.message));
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) return sendFhir(reply, status, operationOutcome('invalid', err.message));
  req.log.error({ err: { type: err.name, code: err.code, frames: err.stack?.split('\n').slice(1, 8).join('\n') } }, 'unhandled error');
  return sendFhir(reply, 500, operationOutcome('exception', `something went wrong; quote request id ${req.id} to support`));
}
