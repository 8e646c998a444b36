/**
 * The FHIR R4 API under /fhir (outside /api: its own media type, its own errors, its own authentication). Every
 * answer is application/fhir+json and every error an OperationOutcome; the token endpoint answers as OAuth 2.0 does
 * (RFC 6749 section 5). A request carries a bearer token (API clients) or the web app's session cookie (its user's
 * role, with the x-csrf-token header on POST).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, isDomainError } from '../../core/errors.js';
import { findInvalidText } from '../../core/shared/text.js';
import { requesterOf } from '../../http/context.js';
import { statusOfCode } from '../../http/problem.js';
import { capabilityStatement, smartConfiguration } from './fhir.capability.js';
import { issueToken, OAuthError } from './fhir-clients.service.js';
import { operationOutcome, searchsetBundle } from './fhir.rules.js';
import { parseSearch } from './fhir.search.js';
import { readResource, resourceTypes, searchResources, type ResourceType } from './fhir.service.js';
import { baseUrlOf, callerOf, idOf, sendFhir, sendResource, type FhirHttpDeps } from './fhir-http.js';
import { FHIR_WRITE_ROUTES, fhirWriteRoutes } from './fhir-write.routes.js';
import { historyBundle, vreadResource } from './fhir-history.service.js';
import { includedResources, patientEverything } from './fhir-include.service.js';

export type FhirRoutesDeps = FhirHttpDeps;

/** Every route of the API, as the restricted-record walk reads them (test/http/restricted-record-walk.test.ts). */
export const FHIR_ROUTES: readonly { method: 'GET' | 'POST' | 'PUT'; url: string }[] = [
  { method: 'GET', url: '/fhir/metadata' },
  { method: 'GET', url: '/fhir/.well-known/smart-configuration' },
  { method: 'POST', url: '/fhir/auth/token' },
  ...resourceTypes.flatMap((t) => [
    { method: 'GET' as const, url: `/fhir/${t}` },
    { method: 'POST' as const, url: `/fhir/${t}/_search` },
    { method: 'GET' as const, url: `/fhir/${t}/:id` },
    { method: 'GET' as const, url: `/fhir/${t}/:id/_history` },
    { method: 'GET' as const, url: `/fhir/${t}/:id/_history/:vid` },
  ]),
  { method: 'GET', url: '/fhir/Binary/:id' },
  { method: 'GET', url: '/fhir/Patient/:id/$everything' },
  ...FHIR_WRITE_ROUTES,
];

export async function fhirRoutes(parent: FastifyInstance, deps: FhirRoutesDeps): Promise<void> {
  await parent.register(async (app) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    app.addContentTypeParser(['application/fhir+json', 'application/json'], { parseAs: 'string' }, (_req, body, done) => {
      done(null, String(body));
    });
    // Any other media type is a Binary's raw content (POST /fhir/Binary); other routes take no such body.
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => {
      done(null, body);
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
        const included = await includedResources(deps, caller, type, parsed, answer.resources);
        return sendFhir(
          reply,
          200,
          searchsetBundle({
            baseUrl: base,
            resources: answer.resources,
            included,
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
      app.get(`/fhir/${type}/:id/_history`, async (req, reply) => {
        const caller = await callerOf(deps, req);
        return sendFhir(reply, 200, await historyBundle(deps, caller, type, idOf(req), baseUrlOf(req)));
      });
      app.get(`/fhir/${type}/:id/_history/:vid`, async (req, reply) => {
        const caller = await callerOf(deps, req);
        return sendResource(reply, 200, await vreadResource(deps, caller, type, idOf(req), idOf(req, 'vid')));
      });
    }
    app.get('/fhir/Patient/:id/$everything', async (req, reply) => {
      const caller = await callerOf(deps, req);
      const base = baseUrlOf(req);
      const resources = await patientEverything(deps, caller, idOf(req));
      const selfUrl = `${base}/Patient/${idOf(req)}/$everything`;
      return sendFhir(reply, 200, searchsetBundle({ baseUrl: base, resources, selfUrl, total: resources.length }));
    });
    await fhirWriteRoutes(app, deps);
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
      return sendResource(reply, 200, await readResource(deps, caller, type, idOf(req)));
    }

    app.all('/fhir/*', async () => {
      throw new DomainError(ErrorCode.notFound, 'no such FHIR endpoint or interaction (see /fhir/metadata)');
    });
    app.all('/fhir', async () => {
      throw new DomainError(ErrorCode.notFound, 'no such FHIR endpoint or interaction (see /fhir/metadata)');
    });
  });
}

/** The query of a page link: the search's own parameters with `_offset` set (never `_offset` twice). */
function pageQuery(strings: Map<string, string>, offset: number): string {
  const q = new URLSearchParams([...strings].filter(([k]) => k !== '_offset'));
  if (offset > 0) q.set('_offset', String(offset));
  return q.toString();
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
