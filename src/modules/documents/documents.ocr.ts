/**
 * The documents module's side of the `document.ocr` job (src/modules/ocr): where a queued version's content comes
 * from and where its recognised text goes. The job runs as the system (records.forSystem): it keeps the record, it
 * shows it to no one; each save is audited.
 */
import { isoNow } from '../../core/shared/clock.js';
import { systemActor, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { PermanentJobError } from '../jobs/index.js';
import type { OcrJobDeps, OcrResult } from '../ocr/index.js';
import * as repo from './documents.repository.js';
import * as pages from './documents.pages.repository.js';
import { DocumentStatus, TextSource } from './documents.rules.js';
import type { DocumentsDeps } from './documents.views.js';

/** A page as the OCR engine may answer it: with word boxes when it has them. */
type OcrPageWithWords = OcrResult['pages'][number] & { words?: { text: string; x: number; y: number; w: number; h: number }[] };

function payloadIds(payload: Record<string, unknown>): { documentId: string; version: number } {
  const { documentId, version } = payload;
  if (typeof documentId !== 'string' || typeof version !== 'number')
    throw new PermanentJobError('payload: documentId and version expected');
  return { documentId, version };
}

/** Load and save for the OCR job handler, as the system actor `actor` (default `system:ocr`). */
export function documentsOcrJobDeps(deps: DocumentsDeps, actor: Actor = systemActor('system:ocr')): Omit<OcrJobDeps, 'engine'> {
  const scopeOf = async (documentId: string) => {
    const loc = await repo.locateDocument(deps.db, documentId);
    if (!loc) throw new PermanentJobError('the document no longer exists');
    return deps.records.forSystem(actor, { patientId: loc.patient_id, encounterId: loc.encounter_id });
  };
  return {
    async loadContent(payload) {
      const { documentId, version } = payloadIds(payload);
      const scope = await scopeOf(documentId);
      const v = await repo.findVersion(deps.db, scope, documentId, version);
      if (!v || !v.blob_sha256) throw new PermanentJobError('the document version has no content (destroyed?)');
      return { bytes: await deps.blobs.get(v.blob_sha256), mediaType: v.media_type };
    },
    async saveText(payload, result) {
      const { documentId, version } = payloadIds(payload);
      const scope = await scopeOf(documentId);
      await deps.db.transaction().execute(async (trx) => {
        const doc = await repo.findDocument(trx, scope, documentId);
        if (!doc || doc.status === DocumentStatus.destroyed) return;
        await pages.deletePages(trx, scope, documentId, version);
        await pages.insertPages(
          trx,
          scope,
          (result.pages as OcrPageWithWords[]).map((p) => ({
            document_id: documentId,
            version,
            page: p.page,
            source: 'ocr',
            text: p.text,
            confidence: p.confidence,
            words: p.words ? JSON.stringify(p.words) : null,
          })),
        );
        await repo.setVersionTextSource(trx, scope, documentId, version, TextSource.ocr);
        await recordAudit(trx, deps.audit, actor, {
          action: AuditAction.update,
          resourceType: 'document_text',
          resourceId: documentId,
          patientId: scope.patientId,
          outcome: 'success',
          detail: { version, pages: result.pages.length, at: isoNow(deps.clock) },
        });
      });
    },
  };
}
