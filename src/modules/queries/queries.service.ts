/**
 * Physician queries: compliance check, send, the physician's inbox, answer and signature, aging and escalation.
 * The answer is filed with the encounter's documents (part of the record), the author is notified and the
 * encounter is flagged on the coding worklist.
 */
import type { Kysely } from 'kysely';
import type { Database, EncounterDocumentTable, PhysicianQueryTable } from '../../db/schema.js';
import type { Db } from '../../db/database.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { conflict, DomainError, ErrorCode, invalid, notFound } from '../../core/errors.js';
import { Permission, requirePermission, scopeDetail, type Actor, type RecordAccess, type RecordScope } from '../access/index.js';
import { recordAudit, type AuditLog } from '../audit/index.js';
import * as repo from './queries.repository.js';
import {
  answerAgrees,
  checkQueryCompliance,
  optionsFor,
  OTHER_OPTION,
  QueryDraftSchema,
  QueryStatus,
  type ClinicalIndicator,
  type ComplianceProblem,
  type QueryDraft,
  type QueryDraftInput,
  type QueryPolicy,
  type QueryType,
} from './queries.rules.js';
import { notify } from './notifications.service.js';
import { applyQueryAging } from './queries-aging.service.js';

/**
 * What queries need of the coding workspace (the port the coding module implements, `codingForQueries`; wired in
 * src/app/bootstrap.ts). Coding reads the queries of its encounters (pending ones hold final coding), so queries
 * reach coding through this port instead of importing it.
 */
export interface CodingForQueries {
  /** The encounter of an opened record; a merged-away patient's and an unknown one answer not found. */
  loadEncounter(
    db: Db,
    scope: RecordScope,
  ): Promise<{ id: string; patient_id: string; account_number: string; attending_provider_id: string | null }>;
  /** The working DRG saved with the encounter's abstract (null before a draft is saved), kept with a query when it is sent. */
  workingDrgOfEncounter(db: Db, scope: RecordScope): Promise<string | null>;
  /** Files a document (the signed answer) with the encounter of an opened record. */
  fileEncounterDocument(db: Db, scope: RecordScope, doc: EncounterDocumentTable): Promise<void>;
  /** Flags the encounter on the coding worklist after an answer (in the answer's transaction). */
  markQueryAnswered(db: Db, clock: Clock, scope: RecordScope): Promise<void>;
}

export interface QueryDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  /** The coding workspace's encounters, documents and worklist flag (implemented by src/modules/coding). */
  coding: CodingForQueries;
  queryPolicy?: QueryPolicy;
}

export interface QueryView {
  id: string;
  encounterId: string;
  patientId: string;
  providerId: string;
  providerName: string | null;
  authorId: string;
  authorName: string | null;
  type: QueryType;
  purpose: string | null;
  question: string;
  options: string[];
  indicators: ClinicalIndicator[];
  status: QueryStatus;
  sentAt: string;
  daysOpen: number;
  escalatedAt: string | null;
  answeredAt: string | null;
  answerChoice: string | null;
  answerText: string | null;
  agreed: boolean | null;
  signature: string | null;
  /** Set in inbox lists: who and which stay the query is about. */
  patientName?: string;
  accountNumber?: string;
  /**
   * In the inbox, false for a query about a restricted record this physician has not opened: it shows who and
   * which account it is about and its status; the question, indicators and answer are withheld.
   */
  details?: boolean;
}

function parseDraft(input: QueryDraftInput): QueryDraft {
  const r = QueryDraftSchema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw invalid(`${i.path.join('.') || 'query'}: ${i.message}`);
  }
  return r.data;
}

/** The compliance check alone, for the composer's live feedback. */
export async function checkQuery(deps: QueryDeps, actor: Actor, input: QueryDraftInput): Promise<{ problems: ComplianceProblem[] }> {
  await requirePermission(deps, actor, Permission.queryWrite, { type: 'physician_query' });
  return { problems: checkQueryCompliance(parseDraft(input)) };
}

/** Sends a query to the responsible physician (the attending unless named); refused until the check is clean. */
export async function sendQuery(
  deps: QueryDeps,
  actor: Actor,
  encounterId: string,
  input: QueryDraftInput & { providerId?: string | null | undefined },
): Promise<QueryView> {
  await requirePermission(deps, actor, Permission.queryWrite, { type: 'physician_query', id: encounterId });
  const draft = parseDraft(input);
  const problems = checkQueryCompliance(draft);
  if (problems.length > 0)
    throw new DomainError(ErrorCode.invalid, `the query is not compliant: ${problems.map((p) => p.message).join('; ')}`, { problems });
  const scope = await deps.records.open(
    actor,
    { encounterId },
    { permission: Permission.queryWrite, mode: 'write', resourceType: 'physician_query', resourceId: encounterId },
  );
  return deps.db.transaction().execute(async (trx) => {
    const e = await deps.coding.loadEncounter(trx, scope);
    const providerId = input.providerId ?? e.attending_provider_id;
    if (!providerId) throw invalid('providerId: the encounter has no attending physician; name the physician to query');
    if (!(await repo.providerExists(trx, providerId))) throw invalid('providerId: no such physician');
    const now = isoNow(deps.clock);
    const row: PhysicianQueryTable = {
      id: newId(),
      patient_id: e.patient_id,
      encounter_id: e.id,
      provider_id: providerId,
      author_id: actor.userId,
      type: draft.type,
      purpose: draft.purpose,
      question: draft.question,
      options: JSON.stringify(optionsFor(draft)),
      indicators: JSON.stringify(draft.indicators),
      status: QueryStatus.open,
      drg_at_send: await deps.coding.workingDrgOfEncounter(trx, scope),
      created_at: now,
      sent_at: now,
      escalated_at: null,
      closed_at: null,
      answered_at: null,
      answered_by: null,
      answer_choice: null,
      answer_text: null,
      agreed: null,
      signature: null,
    };
    await repo.insertQuery(trx, row);
    for (const userId of await repo.usersOfProvider(trx, providerId))
      await notify(trx, deps.clock, {
        userId,
        kind: 'query_sent',
        patientId: e.patient_id,
        encounterId: e.id,
        resourceId: row.id,
        message: `New documentation query for account ${e.account_number}`,
      });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: 'create',
      resourceType: 'physician_query',
      resourceId: row.id,
      patientId: e.patient_id,
      outcome: 'success',
      detail: scopeDetail(scope, { encounterId: e.id, type: draft.type }),
    });
    return (await viewsOf(trx, [row], deps.clock))[0]!;
  });
}

/** The queries of one encounter for the coding workspace. */
export async function listEncounterQueries(deps: QueryDeps, actor: Actor, encounterId: string): Promise<QueryView[]> {
  const scope = await deps.records.open(
    actor,
    { encounterId },
    { permission: Permission.codingRead, mode: 'read', resourceType: 'physician_query', resourceId: encounterId },
  );
  return deps.db.transaction().execute(async (trx) => {
    await applyQueryAging(trx, deps, deps.queryPolicy);
    return viewsOf(trx, await repo.listQueriesOfEncounter(trx, scope), deps.clock);
  });
}

async function providerOf(db: Db, actor: Actor): Promise<string> {
  const providerId = await repo.providerOfUser(db, actor.userId);
  if (!providerId)
    throw new DomainError(ErrorCode.preconditionFailed, 'your user is not linked to a physician (provider): ask the administrator');
  return providerId;
}

/** The physician's inbox: their queries, pending first, oldest first. */
export async function listInbox(deps: QueryDeps, actor: Actor, opts: { status?: QueryStatus | undefined } = {}): Promise<QueryView[]> {
  const list = await deps.records.openList(actor, { permission: Permission.queryAnswer, resourceType: 'physician_query' });
  return deps.db.transaction().execute(async (trx) => {
    await applyQueryAging(trx, deps, deps.queryPolicy);
    const providerId = await providerOf(trx, actor);
    const rows = await repo.listQueriesOfProvider(trx, list, providerId, opts.status, 500);
    const views = (await viewsOf(trx, rows, deps.clock, true)).map((v, i) =>
      list.showsDetails({ patientId: v.patientId, restricted: rows[i]!.restricted }) ? { ...v, details: true } : withheldQuery(v),
    );
    const rank = (s: string) => (s === 'escalated' ? 0 : s === 'open' ? 1 : 2);
    await recordAudit(trx, deps.audit, actor, {
      action: 'search',
      resourceType: 'physician_query',
      outcome: 'success',
      detail: { resultCount: views.length },
    });
    return views.sort((a, b) => rank(a.status) - rank(b.status) || a.sentAt.localeCompare(b.sentAt));
  });
}

/** A query in the inbox about a restricted record this physician has not opened: that it exists, nothing clinical. */
function withheldQuery(v: QueryView): QueryView {
  return {
    ...v,
    purpose: null,
    question: '',
    options: [],
    indicators: [],
    answerChoice: null,
    answerText: null,
    agreed: null,
    signature: null,
    details: false,
  };
}

/** Opens the record of one of this physician's queries (another physician's query is not found). */
async function openInboxQuery(deps: QueryDeps, actor: Actor, queryId: string, mode: 'read' | 'write'): Promise<RecordScope> {
  await requirePermission(deps, actor, Permission.queryAnswer, { type: 'physician_query', id: queryId });
  const target = await repo.findQueryTarget(deps.db, queryId, await providerOf(deps.db, actor));
  if (!target) throw notFound('query');
  return deps.records.open(
    actor,
    { encounterId: target.encounter_id },
    { permission: Permission.queryAnswer, mode, resourceType: 'physician_query', resourceId: queryId },
  );
}

/** One query of the physician's, with its indicators (audited read); another physician's query is not found. */
export async function getInboxQuery(deps: QueryDeps, actor: Actor, queryId: string): Promise<QueryView> {
  const scope = await openInboxQuery(deps, actor, queryId, 'read');
  const row = await repo.findQuery(deps.db, scope, queryId);
  if (!row) throw notFound('query');
  return (await viewsOf(deps.db, [row], deps.clock, true))[0]!;
}

/**
 * The physician answers and signs: a choice among the offered options (none for open-ended), free text (required
 * for open-ended queries and "Other"), and the attestation. The answer is filed as a document of the encounter.
 */
export async function answerQuery(
  deps: QueryDeps,
  actor: Actor,
  queryId: string,
  a: { choice?: string | null | undefined; text?: string | null | undefined; attest: boolean },
): Promise<QueryView> {
  if (!a.attest) throw invalid('attest: sign the answer to send it');
  const scope = await openInboxQuery(deps, actor, queryId, 'write');
  return deps.db.transaction().execute(async (trx) => {
    await applyQueryAging(trx, deps, deps.queryPolicy);
    const row = await repo.findQuery(trx, scope, queryId);
    if (!row) throw notFound('query');
    if (row.status === QueryStatus.answered) throw conflict('this query is already answered');
    if (row.status === QueryStatus.expired) throw conflict('this query expired; the coder may send a new one');
    const options = JSON.parse(row.options) as string[];
    const type = row.type as QueryType;
    const choice = a.choice?.trim() || null;
    const text = a.text?.trim() || null;
    if (options.length > 0 && (!choice || !options.includes(choice))) throw invalid(`choice: pick one of: ${options.join(', ')}`);
    if (options.length === 0 && choice) throw invalid('choice: this query is open-ended; answer in the text');
    if ((options.length === 0 || choice === OTHER_OPTION) && !text) throw invalid('text: write your answer');
    const me = (await repo.userDisplayNames(trx, [actor.userId])).get(actor.userId);
    const now = isoNow(deps.clock);
    const signature = `Electronically signed by ${me ?? actor.username} on ${now}`;
    const agreed = answerAgrees(type, choice, text);
    await repo.updateQuery(trx, scope, row.id, {
      status: QueryStatus.answered,
      answered_at: now,
      answered_by: actor.userId,
      answer_choice: choice,
      answer_text: text,
      agreed: agreed ? 1 : 0,
      signature,
      closed_at: now,
    });
    await deps.coding.fileEncounterDocument(trx, scope, {
      patient_id: row.patient_id,
      id: newId(),
      encounter_id: row.encounter_id,
      kind: 'query_response',
      title: 'Physician query response',
      author: me ?? actor.username,
      authored_at: now,
      text: `Query: ${row.question}\nAnswer: ${[choice, text].filter(Boolean).join(' — ')}\n${signature}`,
    });
    await deps.coding.markQueryAnswered(trx, deps.clock, scope);
    await notify(trx, deps.clock, {
      userId: row.author_id,
      kind: 'query_answered',
      patientId: row.patient_id,
      encounterId: row.encounter_id,
      resourceId: row.id,
      message: 'Your query was answered; the encounter is back on your worklist',
    });
    await recordAudit(trx, deps.audit, scope.actor, {
      action: 'answer',
      resourceType: 'physician_query',
      resourceId: row.id,
      patientId: row.patient_id,
      outcome: 'success',
      detail: scopeDetail(scope, { agreed }),
    });
    const after = await repo.findQuery(trx, scope, row.id);
    return (await viewsOf(trx, [after!], deps.clock, true))[0]!;
  });
}

async function viewsOf(db: Db, rows: PhysicianQueryTable[], clock: Clock, withEncounter = false): Promise<QueryView[]> {
  if (rows.length === 0) return [];
  const providers = await repo.providerNames(db, [...new Set(rows.map((r) => r.provider_id))]);
  const authors = await repo.userDisplayNames(db, [...new Set(rows.map((r) => r.author_id))]);
  const encounters = withEncounter
    ? await repo.encounterLabels(db, [...new Set(rows.map((r) => r.encounter_id))])
    : new Map<string, { account_number: string; family_name: string; given_name: string }>();
  const now = clock.now().getTime();
  return rows.map((r) => {
    const e = encounters.get(r.encounter_id);
    const end = r.answered_at ?? r.closed_at;
    return {
      id: r.id,
      encounterId: r.encounter_id,
      patientId: r.patient_id,
      providerId: r.provider_id,
      providerName: providers.get(r.provider_id) ?? null,
      authorId: r.author_id,
      authorName: authors.get(r.author_id) ?? null,
      type: r.type as QueryType,
      purpose: r.purpose,
      question: r.question,
      options: JSON.parse(r.options) as string[],
      indicators: JSON.parse(r.indicators) as ClinicalIndicator[],
      status: r.status as QueryStatus,
      sentAt: r.sent_at,
      daysOpen: Math.floor(((end ? Date.parse(end) : now) - Date.parse(r.sent_at)) / 86_400_000),
      escalatedAt: r.escalated_at,
      answeredAt: r.answered_at,
      answerChoice: r.answer_choice,
      answerText: r.answer_text,
      agreed: r.agreed === null ? null : r.agreed === 1,
      signature: r.signature,
      ...(e ? { patientName: `${e.family_name}, ${e.given_name}`, accountNumber: e.account_number } : {}),
    };
  });
}
