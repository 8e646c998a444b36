import type { Kysely } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { createRecordAccess, systemActor, type RecordScope } from '../modules/access/index.js';
import { createDocumentsService, type DocumentsDeps, type DocumentView } from '../modules/documents/index.js';
import type { MdmDocument, MdmDocuments } from '../modules/interfaces/index.js';
import { patientRecordDirectory } from '../modules/patients/index.js';

/**
 * A database handle that runs everything in `trx`: its queries go to the transaction, and a "new" transaction
 * opened on it is the same one (the callback is handed `trx` itself, so audit events chained in memory for `trx`,
 * see withDeferredAudit, stay one chain).
 */
function inTransaction(trx: Db): Kysely<Database> {
  const nested = { execute: <T>(fn: (t: Db) => Promise<T>) => fn(trx) };
  return new Proxy(trx, {
    get(target, prop) {
      if (prop === 'transaction') return () => nested;
      const v = Reflect.get(target, prop, target) as unknown;
      // Kysely's classes keep their state in private fields: methods run on the transaction object itself.
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

const toMdm = (d: DocumentView): MdmDocument => ({
  id: d.id,
  patientId: d.patientId,
  encounterId: d.encounterId,
  status: d.status,
  version: d.currentVersion,
  sha256: d.versions.find((v) => v.version === d.currentVersion)?.sha256 ?? null,
  authorSigned: d.signatures.some((s) => s.version === d.currentVersion && s.role === 'author'),
  awaitingCosign: d.awaitingCosign,
});

/**
 * The documents service as the HL7 interface's MdmDocuments port: the same service, made for each call over the
 * interface's transaction (its record-access step too, so that a record is looked up, and a read audited, inside
 * it), so that what an MDM message files commits with the message's outcome, before the ACK.
 */
export function mdmDocumentsOf(docs: DocumentsDeps): MdmDocuments {
  const bound = (trx: Db) => {
    const db = inTransaction(trx);
    return createDocumentsService({
      ...docs,
      db,
      records: createRecordAccess({ db, clock: docs.clock, audit: docs.audit, directory: patientRecordDirectory }),
    });
  };
  const actorOf = (scope: RecordScope) => scope.actor;
  return {
    async resolveType(trx, candidates) {
      const types = await bound(trx).listTypes(systemActor('hl7'));
      for (const c of candidates) {
        const t = types.find((x) => x.code === c) ?? types.find((x) => x.loincCode === c);
        if (t) return t.code;
      }
      return null;
    },
    async findByExternalId(trx, actor, sourceSystem, externalId) {
      const d = await bound(trx).findByExternalId(actor, sourceSystem, externalId);
      return d ? toMdm(d) : null;
    },
    async fileDocument(trx, scope, input) {
      return toMdm(await bound(trx).fileDocument(actorOf(scope), input));
    },
    async addVersion(trx, scope, documentId, input) {
      return toMdm(await bound(trx).addVersion(actorOf(scope), documentId, input));
    },
    async setStatus(trx, scope, documentId, status, reason) {
      return toMdm(await bound(trx).setStatus(actorOf(scope), documentId, status, reason));
    },
    async sign(trx, scope, documentId, input) {
      return toMdm(await bound(trx).sign(actorOf(scope), documentId, input));
    },
  };
}
