/**
 * The FHIR API's write interactions: Patient create (with If-None-Exist) and update (with If-Match), DocumentReference
 * create, Binary create (FHIR JSON, or the raw content with X-Security-Context). Creates answer 201 with Location
 * `<type>/<id>/_history/<versionId>`; every answer that is one resource carries ETag and Last-Modified.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidField } from '../../core/errors.js';
import { versionOfIfMatch } from './fhir.rules.js';
import { baseUrlOf, callerOf, idOf, sendResource, type FhirHttpDeps } from './fhir-http.js';
import { createBinary, createDocumentReference, createPatientResource, updatePatientResource } from './fhir-write.service.js';
import type { Resource } from './fhir.types.js';

export const FHIR_WRITE_ROUTES: readonly { method: 'POST' | 'PUT'; url: string }[] = [
  { method: 'POST', url: '/fhir/Patient' },
  { method: 'PUT', url: '/fhir/Patient/:id' },
  { method: 'POST', url: '/fhir/DocumentReference' },
  { method: 'POST', url: '/fhir/Binary' },
];

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const locationOf = (req: FastifyRequest, r: Resource) =>
  `${baseUrlOf(req)}/${r.resourceType}/${String(r.id)}${r.meta?.versionId ? `/_history/${r.meta.versionId}` : ''}`;

export async function fhirWriteRoutes(app: FastifyInstance, deps: FhirHttpDeps): Promise<void> {
  app.post('/fhir/Patient', async (req, reply) => {
    const caller = await callerOf(deps, req);
    const answer = await createPatientResource(deps, caller, req.body, header(req, 'if-none-exist'));
    return sendResource(reply, answer.created ? 201 : 200, answer.resource, locationOf(req, answer.resource));
  });
  app.put('/fhir/Patient/:id', async (req, reply) => {
    const caller = await callerOf(deps, req);
    const ifMatch = versionOfIfMatch(header(req, 'if-match'));
    if (ifMatch === '') throw invalidField('If-Match', 'W/"<versionId>" as the ETag of a read gave it');
    return sendResource(reply, 200, await updatePatientResource(deps, caller, idOf(req), req.body, ifMatch));
  });
  app.post('/fhir/DocumentReference', async (req, reply) => {
    const caller = await callerOf(deps, req);
    const r = await createDocumentReference(deps, caller, req.body);
    return sendResource(reply, 201, r, locationOf(req, r));
  });
  app.post('/fhir/Binary', async (req, reply) => {
    const caller = await callerOf(deps, req);
    const type = (header(req, 'content-type') ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
    const isFhir = type === 'application/fhir+json' || type === 'application/json';
    const body: unknown = req.body;
    const content = isFhir
      ? { resource: body }
      : {
          bytes: new Uint8Array(Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : '', 'utf8')),
          mediaType: type,
        };
    const b = await createBinary(deps, caller, content, header(req, 'x-security-context'));
    return sendResource(reply, 201, b, `${baseUrlOf(req)}/Binary/${String(b.id)}`);
  });
}
