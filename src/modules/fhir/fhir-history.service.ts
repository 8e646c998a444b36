/**
 * vread and instance `_history` (FHIR R4 RESTful API). Custodian keeps the current state of patients, encounters,
 * final abstracts, providers and facilities, not each earlier state; a versionId is the hash of the content
 * (fhir.rules.ts `versionIdOf`). So a resource's history is its current version, and a vread answers that version
 * and no other (404 for an earlier or unknown versionId: not kept). A document's earlier contents are kept, as
 * Binaries `<document>.v<n>`, each readable.
 */
import { notFound } from '../../core/errors.js';
import { etagOf } from './fhir.rules.js';
import { readResource, type FhirCaller, type FhirDeps, type ResourceType } from './fhir.service.js';
import type { Bundle, Resource } from './fhir.types.js';

/** The resource at `versionId`, when that is its current version; not found otherwise (earlier versions are not kept). */
export async function vreadResource(
  deps: FhirDeps,
  caller: FhirCaller,
  type: ResourceType,
  id: string,
  versionId: string,
): Promise<Resource> {
  const r = await readResource(deps, caller, type, id);
  if (r.meta?.versionId !== versionId) throw notFound(`${type} version (only the current version is kept; see _history)`);
  return r;
}

/** The instance history: a `history` Bundle of the one version kept, the current one (with its ETag and date). */
export async function historyBundle(deps: FhirDeps, caller: FhirCaller, type: ResourceType, id: string, baseUrl: string): Promise<Bundle> {
  const r = await readResource(deps, caller, type, id);
  const versionId = r.meta?.versionId;
  return {
    resourceType: 'Bundle',
    type: 'history',
    total: 1,
    link: [{ relation: 'self', url: `${baseUrl}/${type}/${id}/_history` }],
    entry: [
      {
        fullUrl: `${baseUrl}/${type}/${id}`,
        resource: r,
        // The state as it stands: how it came to be (create or which update) is in the audit trail, not kept here.
        request: { method: 'PUT', url: `${type}/${id}` },
        response: {
          status: '200',
          ...(versionId ? { etag: etagOf(versionId) } : {}),
          ...(r.meta?.lastUpdated ? { lastModified: r.meta.lastUpdated } : {}),
        },
      },
    ],
  };
}
