/**
 * Computer-assisted coding in the workspace: suggestions for an encounter from its documents' text (through the
 * record-access step and the documents service), the coder's accept (the code goes onto the abstract's draft through
 * the coding module, with the working DRG answered) or reject (with a reason), and the acceptance report.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CacDecisionTable } from '../../db/schema-cac.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { conflict, invalid, isDomainError } from '../../core/errors.js';
import { suggestCodes, type CacKnowledge, type CacSystem, type Reason } from '../../core/cac/index.js';
import { Permission, requirePermission, scopeDetail, type Actor, type RecordAccess } from '../access/index.js';
import { AuditAction, recordAudit, type AuditLog } from '../audit/index.js';
import { getAbstract, saveDraft, toClaim, type AbstractView, type CodingDeps, type Feedback } from '../coding/index.js';
import type { DocumentsService } from '../documents/index.js';
import * as repo from './cac.repository.js';
import {
  acceptanceReport,
  addAcceptedCode,
  codesOnAbstract,
  decisionCountMap,
  tuneByDecisions,
  type DecisionCounts,
  DecisionSchema,
  joinDocuments,
  locateEvidence,
  PAGE_BREAK,
  settingOf,
  type AcceptAs,
  type DocumentText,
  type EvidenceLink,
} from './cac.rules.js';

/**
 * Where the knowledge comes from (the port this module owns): `serve` loads or builds it in the background
 * (src/app/cac-knowledge.ts), tests hand in a small one built from written examples.
 */
export interface CacKnowledgeProvider {
  /** The knowledge, or a `precondition_failed` error naming why it is not ready yet (e.g. still being built). */
  get(): Promise<CacKnowledge>;
}

export interface CacDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  /** The coding module's deps: the abstract is read and saved through its index. */
  coding: CodingDeps;
  /** The documents service: each document's text is read through it (its own access check and audit). */
  documents: Pick<DocumentsService, 'listForPatient' | 'listPages'>;
  knowledge: CacKnowledgeProvider;
}

export interface SuggestionView {
  code: string;
  system: CacSystem;
  /** The engine's score before the coders' decisions tuned it (`score` is the tuned one, the list's order). */
  engineScore: number;
  /** Coders' past decisions on this code, hospital-wide, that tuned the score (null: none yet). */
  tuning: DecisionCounts | null;
  /** The code's title in the release of the encounter's date (null when the code sets are not loaded). */
  title: string | null;
  score: number;
  rank: number;
  evidence: EvidenceLink[];
  why: Reason[];
  uncertain: boolean;
  /** The code is already on the abstract (principal, secondary or procedure). */
  onAbstract: boolean;
  /** The latest decision on this code for this encounter, if any. */
  decided: { decision: 'accepted' | 'rejected'; by: string; at: string; reason: string | null } | null;
}

export interface SuggestionsResult {
  encounterId: string;
  setting: 'inpatient' | 'outpatient';
  abstractVersion: number;
  /** The documents read (id and version). */
  documents: { documentId: string; version: number }[];
  /**
   * Inpatient only: the highest-ranked diagnosis the Medicare Code Editor accepts as a principal diagnosis for this
   * patient (not a manifestation, external cause or unacceptable principal; age and sex fit). A suggestion: UHDDS
   * leaves the principal to the coder after study. Null for outpatients, with no candidate, or without MCE tables.
   */
  principalSuggestion: string | null;
  /** Documents not read, with why (a flagged document the user may not read, no text yet). */
  skipped: { documentId: string; reason: string }[];
  suggestions: SuggestionView[];
}

const SKIPPED_STATUSES: ReadonlySet<string> = new Set(['entered_in_error', 'destroyed']);

/** The current version's text of each live document of the encounter, read through the documents service. */
async function readEncounterDocuments(
  deps: CacDeps,
  actor: Actor,
  patientId: string,
  encounterId: string,
): Promise<{ docs: DocumentText[]; skipped: SuggestionsResult['skipped'] }> {
  const list = await deps.documents.listForPatient(actor, patientId, { encounterId });
  const docs: DocumentText[] = [];
  const skipped: SuggestionsResult['skipped'] = [];
  // Oldest first, so the joined text reads in the order the stay was documented.
  for (const d of [...list].sort((a, b) => a.serviceAt.localeCompare(b.serviceAt) || a.id.localeCompare(b.id))) {
    if (SKIPPED_STATUSES.has(d.status)) continue;
    try {
      const pages = await deps.documents.listPages(actor, d.id, d.currentVersion);
      const text = pages.map((p) => p.text).join(PAGE_BREAK);
      if (text.trim() === '') skipped.push({ documentId: d.id, reason: 'no text (yet): OCR pending or an image without text' });
      else docs.push({ documentId: d.id, version: d.currentVersion, text });
    } catch (e) {
      // A flagged document this user may not read is left out and named, not a failure of the whole list.
      if (isDomainError(e) && (e.code === 'forbidden' || e.code === 'break_glass_required'))
        skipped.push({ documentId: d.id, reason: 'confidential document: not readable by this user' });
      else throw e;
    }
  }
  return { docs, skipped };
}

/** MCE edits that say a code cannot stand as this patient's principal diagnosis. */
const NOT_PRINCIPAL = [
  'INVALID_CODE',
  'SEX_CONFLICT',
  'AGE_CONFLICT',
  'MANIFESTATION_AS_PDX',
  'E_CODE_AS_PDX',
  'UNACCEPTABLE_PDX',
] as const;

/** The best-ranked diagnosis (of the first ten) the MCE accepts as the principal diagnosis on this encounter. */
async function principalCandidate(
  deps: CacDeps,
  encounterId: string,
  abstract: AbstractView,
  suggestions: readonly { code: string; system: CacSystem }[],
): Promise<string | null> {
  const e = abstract.encounter;
  for (const s of suggestions.filter((x) => x.system === 'cm').slice(0, 10)) {
    const claim = toClaim(encounterId, { ...abstract.data, principalDx: { code: s.code, poa: 'Y' }, secondaryDx: [], procedures: [] }, e);
    if (!claim) return null;
    try {
      const r = (await deps.coding.grouping.groupEncounter(claim)).mce;
      if (!NOT_PRINCIPAL.some((name) => (r.edits[name] ?? 0) > 0)) return s.code;
    } catch (err) {
      // No MCE tables for the date: no principal suggestion, the list still stands.
      if (isDomainError(err) && err.code === 'precondition_failed') return null;
      throw err;
    }
  }
  return null;
}

/** The suggested codes' titles; none (not an error) while the code sets cannot be loaded: the codes still stand. */
async function titlesOf(
  deps: CacDeps,
  date: string,
  codes: readonly { code: string; system: CacSystem }[],
): Promise<Record<string, string>> {
  if (codes.length === 0) return {};
  try {
    return await deps.coding.encoder.titles(
      date,
      codes.map((c) => ({ code: c.code, system: c.system })),
    );
  } catch (e) {
    if (isDomainError(e) && e.code === 'precondition_failed') return {};
    throw e;
  }
}

/**
 * Code suggestions for an encounter from its documents, each with evidence (document, version, span), marked when
 * already on the abstract or already decided. An audited read of the record (`suggest`), needing coding:read.
 */
export async function suggestForEncounter(
  deps: CacDeps,
  actor: Actor,
  encounterId: string,
  opts: { system?: CacSystem | 'both' | undefined; limit?: number | undefined } = {},
): Promise<SuggestionsResult> {
  const scope = await deps.records.open(
    actor,
    { encounterId },
    {
      permission: Permission.codingRead,
      mode: 'read',
      resourceType: 'cac_suggestions',
      resourceId: encounterId,
      action: AuditAction.suggest,
    },
  );
  const abstract = await getAbstract(deps.coding, actor, encounterId);
  const setting = settingOf(abstract.encounter.type);
  const { docs, skipped } = await readEncounterDocuments(deps, actor, scope.patientId, encounterId);
  const knowledge = await deps.knowledge.get();
  const joined = joinDocuments(docs);
  // Twice the limit from the engine, so a code the coders' decisions lift can rise into the list.
  const limit = opts.limit ?? 20;
  const counts = decisionCountMap(await repo.decisionCountsByCode(deps.db));
  const found = joined.text
    ? tuneByDecisions(suggestCodes(knowledge, joined.text, { system: opts.system ?? 'both', limit: limit * 2, setting }), counts).slice(
        0,
        limit,
      )
    : [];
  const on = codesOnAbstract(abstract.data);
  const latest = new Map<string, CacDecisionTable>();
  for (const d of await repo.listDecisions(deps.db, scope, encounterId)) latest.set(`${d.system}|${d.code}`, d);
  const names = await repo.userNames(deps.db, [...new Set([...latest.values()].map((d) => d.decided_by))]);
  const titles = await titlesOf(deps, (abstract.encounter.dischargeAt ?? abstract.encounter.admitAt).slice(0, 10), found);
  const suggestions = found.map((s, i): SuggestionView => {
    const d = latest.get(`${s.system}|${s.code}`);
    return {
      code: s.code,
      system: s.system,
      title: titles[s.code] ?? null,
      score: s.score,
      engineScore: s.engineScore,
      tuning: s.tuning,
      rank: i + 1,
      evidence: s.evidence.flatMap((e) => locateEvidence(docs, joined.starts, e) ?? []),
      why: s.why,
      uncertain: s.uncertain === true,
      onAbstract: on[s.system].has(s.code),
      decided: d
        ? {
            decision: d.decision as 'accepted' | 'rejected',
            by: names.get(d.decided_by) ?? d.decided_by,
            at: d.decided_at,
            reason: d.reason,
          }
        : null,
    };
  });
  return {
    encounterId,
    setting,
    principalSuggestion: setting === 'inpatient' ? await principalCandidate(deps, encounterId, abstract, suggestions) : null,
    abstractVersion: abstract.version,
    documents: docs.map((d) => ({ documentId: d.documentId, version: d.version })),
    skipped,
    suggestions,
  };
}

export interface DecisionResult {
  decisionId: string;
  decision: 'accepted' | 'rejected';
  code: string;
  system: CacSystem;
  evidence: EvidenceLink | null;
  score: number;
  rank: number;
  /** For an acceptance: the abstract's new version and working DRG (from the coding module's save). */
  abstractVersion?: number;
  workingDrg?: string | null;
  workingDrgTitle?: string | null;
  feedback?: Feedback;
}

/**
 * Records the coder's decision on a suggested code. The suggestion is read again on the server (its score, rank and
 * best evidence are stored as they are now, not as a client says); a code no longer suggested is refused. Accepting
 * adds the code to the abstract's draft through the coding module (its access check, version and audit) and answers
 * the new working DRG; rejecting needs a reason.
 */
export async function decideSuggestion(deps: CacDeps, actor: Actor, encounterId: string, input: unknown): Promise<DecisionResult> {
  const parsed = DecisionSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw invalid(`${i.path.join('.') || 'decision'}: ${i.message}`);
  }
  const d = parsed.data;
  const scope = await deps.records.open(
    actor,
    { encounterId },
    { permission: Permission.codingWrite, mode: 'write', resourceType: 'cac_decision', resourceId: encounterId },
  );
  // Both systems, as the workspace lists them by default, so the rank stored is the rank the coder saw.
  const current = await suggestForEncounter(deps, actor, encounterId, { system: 'both', limit: 100 });
  const s = current.suggestions.find((x) => x.code === d.code && x.system === d.system);
  if (!s) throw conflict(`${d.code} is not among the current suggestions for this encounter: refresh the suggestions`);
  const evidence = s.evidence[0] ?? null;
  const id = newId();
  const now = isoNow(deps.clock);
  const acceptedAs: AcceptAs | null = d.decision === 'accepted' ? (d.system === 'pcs' ? 'procedure' : (d.as ?? 'secondary')) : null;
  const writeDecision = async (trx: Kysely<Database>, abstractVersion?: number) => {
    await repo.insertDecision(trx, scope, {
      patient_id: scope.patientId,
      id,
      encounter_id: encounterId,
      code: d.code,
      system: d.system,
      decision: d.decision,
      reason: d.decision === 'rejected' ? d.reason : null,
      accepted_as: acceptedAs,
      evidence_document_id: evidence?.documentId ?? null,
      evidence_version: evidence?.version ?? null,
      evidence_start: evidence?.start ?? null,
      evidence_end: evidence?.end ?? null,
      evidence_text: evidence?.text ?? null,
      score: s.score,
      rank: s.rank,
      decided_by: actor.userId,
      decided_at: now,
    });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: d.decision === 'accepted' ? AuditAction.accept : AuditAction.reject,
      resourceType: 'cac_decision',
      resourceId: id,
      patientId: scope.patientId,
      outcome: 'success',
      // Ids and numbers only: the code itself stays out of the audit detail (codes are PHI).
      detail: scopeDetail(scope, { encounterId, rank: s.rank, ...(abstractVersion !== undefined ? { abstractVersion } : {}) }),
    });
  };
  let saved: Awaited<ReturnType<typeof saveDraft>> | undefined;
  if (d.decision === 'accepted' && acceptedAs) {
    if (s.onAbstract) throw conflict(`${d.code} is already on the abstract`);
    const abstract = await getAbstract(deps.coding, actor, encounterId);
    // The code onto the draft and its decision row in one transaction: both land or neither.
    saved = await saveDraft(
      deps.coding,
      actor,
      encounterId,
      addAcceptedCode(abstract.data, d.code, d.system, acceptedAs),
      d.expectedVersion,
      {
        alsoInTransaction: (trx, r) => writeDecision(trx, r.version),
      },
    );
  } else {
    await deps.db.transaction().execute((trx) => writeDecision(trx));
  }
  return {
    decisionId: id,
    decision: d.decision,
    code: d.code,
    system: d.system,
    evidence,
    score: s.score,
    rank: s.rank,
    ...(saved
      ? { abstractVersion: saved.version, workingDrg: saved.workingDrg, workingDrgTitle: saved.workingDrgTitle, feedback: saved.feedback }
      : {}),
  };
}

/** Accepts a suggested code (see decideSuggestion). */
export function acceptSuggestion(
  deps: CacDeps,
  actor: Actor,
  encounterId: string,
  input: { code: string; system: CacSystem; as?: 'principal' | 'secondary'; expectedVersion?: number },
): Promise<DecisionResult> {
  return decideSuggestion(deps, actor, encounterId, { ...input, decision: 'accepted' });
}

/** Rejects a suggested code with a reason (see decideSuggestion). */
export function rejectSuggestion(
  deps: CacDeps,
  actor: Actor,
  encounterId: string,
  input: { code: string; system: CacSystem; reason: string },
): Promise<DecisionResult> {
  return decideSuggestion(deps, actor, encounterId, { ...input, decision: 'rejected' });
}

export type CacReport = ReturnType<typeof acceptanceReport> & {
  byCoder: (ReturnType<typeof acceptanceReport>['byCoder'][number] & { name: string })[];
};

/** Acceptance rate per code and per coder over a period (decided_at in [from, to)); needs reports:read. No patient data. */
export async function cacAcceptanceReport(
  deps: Pick<CacDeps, 'db' | 'clock' | 'audit'> & { records: RecordAccess },
  actor: Actor,
  range: { from?: string | undefined; to?: string | undefined } = {},
): Promise<CacReport> {
  await requirePermission(deps, actor, Permission.reportsRead, { type: 'cac_report' });
  const report = acceptanceReport(await repo.listDecisionsForReport(deps.db, range));
  const names = await repo.userNames(
    deps.db,
    report.byCoder.map((l) => l.key),
  );
  return { ...report, byCoder: report.byCoder.map((l) => ({ ...l, name: names.get(l.key) ?? l.key })) };
}
