/**
 * The individual's electronic copy as FHIR (164.524(c)(2)(ii): the electronic form and format requested, if readily
 * producible): a `collection` Bundle of the released documents, each a DocumentReference with its Binary, made with
 * the FHIR module's own mappers. Only for the patient's or representative's own access, after the release (the
 * disclosure and invoice are recorded there), and only when no areas were redacted: the Binaries are the documents
 * as filed, so a request with redactions gets the PDF packet instead.
 */
import { conflict, invalid } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { AuditAction } from '../audit/index.js';
import { binaryId, toBinary, toDocumentReference } from '../fhir/index.js';
import type { Actor } from '../access/index.js';
import { REQUEST_TYPE_RULES, type RequesterType } from './roi.requests.rules.js';
import { auditRoi, loadRequest, openRequest } from './roi.service.js';
import type { RoiDeps } from './roi.views.js';

export interface FhirBundle {
  resourceType: 'Bundle';
  type: 'collection';
  timestamp: string;
  entry: { fullUrl: string; resource: object }[];
}

/** The released documents of an individual's access request as a FHIR R4 collection Bundle (audited as an export). */
export async function roiFhirBundle(deps: RoiDeps, actor: Actor, id: string): Promise<FhirBundle> {
  const scope = await openRequest(deps, actor, id, 'read');
  const row = await loadRequest(deps, scope, id);
  if (REQUEST_TYPE_RULES[row.requester_type as RequesterType].basis !== 'individual_access')
    throw invalid('a FHIR copy is made for the patient’s or representative’s own access only');
  if (row.status !== 'released' || row.clock_kind === 'accounting') throw conflict('release the request first');
  const redactions = JSON.parse(row.redactions) as Record<string, unknown[]>;
  if (Object.values(redactions).some((a) => a.length > 0)) throw conflict('areas were redacted: send the PDF packet');
  const entry: FhirBundle['entry'] = [];
  for (const docId of JSON.parse(row.selected) as string[]) {
    const d = await deps.documents.getDocument(actor, docId);
    const c = await deps.documents.readContent(actor, docId);
    const bin = binaryId(d.id, c.version);
    entry.push({ fullUrl: `DocumentReference/${d.id}`, resource: toDocumentReference({ ...d, currentVersion: c.version }) });
    entry.push({ fullUrl: `Binary/${bin}`, resource: toBinary(bin, c) });
  }
  await deps.db
    .transaction()
    .execute((trx) => auditRoi(deps, trx, scope, AuditAction.export, id, { format: 'fhir', documents: entry.length / 2 }));
  return { resourceType: 'Bundle', type: 'collection', timestamp: isoNow(deps.clock), entry };
}
