/**
 * Full-text search of the record's text (native and OCR) with filters, across the whole record or one patient,
 * answered most recently filed first with snippets that mark the hits. Words travel in request bodies, never URLs or audit
 * events (an event says a search ran, on which patients it showed text, and how many hits).
 *
 * What a user sees: one patient's search opens that record (restriction and break-the-glass as for any read); the
 * whole-record search leaves out restricted records (search them one at a time, through the record) and, for a
 * role without `document:sensitive`, documents under a confidentiality flag.
 */
import { invalid } from '../../core/errors.js';
import { Permission, roleMeets, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import * as pages from './documents.pages.repository.js';
import { markSnippet, parseInput, searchTerms, SearchSchema } from './documents.rules.js';
import type { DocumentsDeps } from './documents.views.js';

export interface SearchInput {
  words: string;
  patientId?: string | null | undefined;
  typeCode?: string | null | undefined;
  encounterId?: string | null | undefined;
  authorName?: string | null | undefined;
  status?: string | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
  limit?: number | null | undefined;
}

export interface SearchHit {
  documentId: string;
  version: number;
  page: number;
  patientId: string;
  encounterId: string | null;
  typeCode: string;
  title: string;
  serviceAt: string;
  status: string;
  authorName: string | null;
  /** Text around the hits, HTML-escaped, with <mark> around each hit. */
  snippet: string;
}

/** Searches document text. */
export async function searchDocuments(
  deps: DocumentsDeps,
  actor: Actor,
  input: SearchInput,
): Promise<{ hits: SearchHit[]; terms: string[] }> {
  const q = parseInput(SearchSchema, input);
  const terms = searchTerms(q.words);
  if (terms.length === 0) throw invalid('words: give at least one word (letters or digits)');
  const list = await deps.records.openList(actor, { permission: Permission.documentRead, resourceType: 'document' });
  let sensitiveOk = actor.system === true || roleMeets(actor.role, Permission.documentSensitive);
  if (q.patientId) {
    const scope = await deps.records.open(
      actor,
      { patientId: q.patientId },
      {
        permission: Permission.documentRead,
        mode: 'read',
        resourceType: 'document',
        action: AuditAction.search,
        detail: { fullText: true, terms: terms.length },
      },
    );
    sensitiveOk ||= scope.breakGlassGrantId !== null;
  }
  const rows = await pages.searchPages(deps.db, list, {
    terms,
    patientId: q.patientId,
    typeCode: q.typeCode,
    encounterId: q.encounterId,
    authorName: q.authorName?.trim() || null,
    status: q.status,
    from: q.from ? new Date(q.from).toISOString() : null,
    to: q.to ? new Date(q.to).toISOString() : null,
    excludeSensitive: !sensitiveOk,
    excludeRestricted: !q.patientId && actor.system !== true,
    limit: q.limit ?? 50,
  });
  // Whole-record search: restricted records stay out (filtered here too, whatever the engine returned).
  const visible = q.patientId ? rows : rows.filter((r) => actor.system === true || r.restricted === 0);
  const hits = visible.map((r) => ({
    documentId: r.document_id,
    version: r.version,
    page: r.page,
    patientId: r.patient_id,
    encounterId: r.encounter_id,
    typeCode: r.type_code,
    title: r.title,
    serviceAt: r.service_at,
    status: r.status,
    authorName: r.author_name,
    snippet: markSnippet(r.snippet),
  }));
  if (!q.patientId) {
    await deps.db.transaction().execute(async (trx) => {
      await recordAudit(trx, deps.audit, actor, {
        action: AuditAction.search,
        resourceType: 'document',
        outcome: 'success',
        detail: { fullText: true, terms: terms.length, resultCount: hits.length },
      });
      // Each record whose text the answer shows gets its own event (accounting of who saw what).
      for (const patientId of new Set(hits.map((h) => h.patientId))) {
        await recordAudit(trx, deps.audit, actor, {
          action: AuditAction.search,
          resourceType: 'document',
          patientId,
          outcome: 'success',
          detail: { fullText: true, hits: hits.filter((h) => h.patientId === patientId).length },
        });
      }
    });
  }
  return { hits, terms };
}
