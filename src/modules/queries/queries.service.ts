/**
 * Physician queries: compliance check, send, the physician's inbox, answer and signature, aging and escalation.
 * The answer is filed with the encounter's documents (part of the record), the author is notified and the
 * encounter is flagged on the coding worklist.
 */
import type { Kysely } from 'kysely';
import type { Database, PhysicianQueryTable } from '../../db/schema.js';
import type { Db } from '../../db/database.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { conflict, DomainError, ErrorCode, invalid, notFound } from '../../core/errors.js';
import { Permission, requirePermission, systemActor, type Actor } from '../access/index.js';
import { recordAudit, type AuditLog } from '../audit/index.js';
import { loadEncounter, markQueryAnswered, workingDrgOfEncounter } from '../coding/index.js';
import {
  agedStatus, answerAgrees, checkQueryCompliance, defaultQueryPolicy, optionsFor, OTHER_OPTION, QueryDraftSchema, QueryStatus,
  type ClinicalIndicator, type ComplianceProblem, type QueryDraft, type QueryDraftInput, type QueryPolicy, type QueryType,
} from './queries.rules.js';
import { notify } from './notifications.service.js';

export interface QueryDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
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
export async function sendQuery(deps: QueryDeps, actor: Actor, encounterId: string, input: QueryDraftInput & { providerId?: string | null | undefined }): Promise<QueryView> {
  await requirePermission(deps, actor, Permission.queryWrite, { type: 'physician_query', id: encounterId });
  const draft = parseDraft(input);
  const problems = checkQueryCompliance(draft);
  if (problems.length > 0) throw new DomainError(ErrorCode.invalid, `the query is not compliant: ${problems.map((p) => p.message).join('; ')}`, { problems });
  return deps.db.transaction().execute(async (trx) => {
    const e = await loadEncounter(trx, encounterId);
    const providerId = input.providerId ?? e.attending_provider_id;
    if (!providerId) throw invalid('providerId: the encounter has no attending physician; name the physician to query');
    const provider = await trx.selectFrom('providers').select('id').where('id', '=', providerId).executeTakeFirst();
    if (!provider) throw invalid('providerId: no such physician');
    const now = isoNow(deps.clock);
    const row: PhysicianQueryTable = {
      id: newId(), patient_id: e.patient_id, encounter_id: e.id, provider_id: providerId, author_id: actor.userId, type: draft.type, purpose: draft.purpose,
      question: draft.question, options: JSON.stringify(optionsFor(draft)), indicators: JSON.stringify(draft.indicators), status: QueryStatus.open,
      drg_at_send: await workingDrgOfEncounter(trx, e.id), created_at: now, sent_at: now, escalated_at: null, closed_at: null, answered_at: null, answered_by: null,
      answer_choice: null, answer_text: null, agreed: null, signature: null,
    };
    await trx.insertInto('physician_queries').values(row).execute();
    const physicians = await trx.selectFrom('users').select('id').where('provider_id', '=', providerId).where('disabled', '=', 0).execute();
    for (const u of physicians) await notify(trx, deps.clock, { userId: u.id, kind: 'query_sent', patientId: e.patient_id, encounterId: e.id, resourceId: row.id, message: `New documentation query for account ${e.account_number}` });
    await recordAudit(trx, deps.audit, actor, { action: 'create', resourceType: 'physician_query', resourceId: row.id, patientId: e.patient_id, outcome: 'success', detail: { encounterId: e.id, type: draft.type } });
    return (await viewsOf(trx, [row], deps.clock))[0]!;
  });
}

/**
 * Ages pending queries under the policy: escalates those unanswered after `escalateAfterDays` and expires those
 * past `expireAfterDays`, notifying the author. Runs on every read of query lists and from `custodian queries escalate`.
 */
export async function applyQueryAging(db: Db, clock: Clock, policy: QueryPolicy = defaultQueryPolicy): Promise<{ escalated: number; expired: number }> {
  const pending = await db.selectFrom('physician_queries').select(['id', 'status', 'sent_at', 'author_id', 'patient_id', 'encounter_id']).where('status', 'in', [QueryStatus.open, QueryStatus.escalated]).execute();
  const now = clock.now();
  let escalated = 0, expired = 0;
  for (const q of pending) {
    const next = agedStatus(q.status as QueryStatus, q.sent_at, now, policy);
    if (next === q.status) continue;
    const at = now.toISOString();
    if (next === QueryStatus.escalated) escalated++;
    else expired++;
    await db.updateTable('physician_queries').set(next === QueryStatus.escalated ? { status: next, escalated_at: at } : { status: next, closed_at: at }).where('id', '=', q.id).where('status', '=', q.status).execute();
    await notify(db, clock, { userId: q.author_id, kind: `query_${next}`, patientId: q.patient_id, encounterId: q.encounter_id, resourceId: q.id, message: next === QueryStatus.escalated ? `A query is unanswered after ${policy.escalateAfterDays} days and was escalated` : `A query expired unanswered after ${policy.expireAfterDays} days` });
  }
  return { escalated, expired };
}

/** The escalation run as a command (CLI, cron, or the director's button); audited with the counts. */
export async function escalateQueries(deps: QueryDeps, actor: Actor): Promise<{ escalated: number; expired: number }> {
  await requirePermission(deps, actor, Permission.queryWrite, { type: 'physician_query' });
  return deps.db.transaction().execute(async (trx) => {
    const r = await applyQueryAging(trx, deps.clock, deps.queryPolicy);
    await recordAudit(trx, deps.audit, actor, { action: 'escalate', resourceType: 'physician_query', outcome: 'success', detail: r });
    return r;
  });
}

/** The queries of one encounter for the coding workspace. */
export async function listEncounterQueries(deps: QueryDeps, actor: Actor, encounterId: string): Promise<QueryView[]> {
  await requirePermission(deps, actor, Permission.codingRead, { type: 'physician_query', id: encounterId });
  return deps.db.transaction().execute(async (trx) => {
    await applyQueryAging(trx, deps.clock, deps.queryPolicy);
    const e = await loadEncounter(trx, encounterId);
    const rows = await trx.selectFrom('physician_queries').selectAll().where('encounter_id', '=', e.id).orderBy('sent_at', 'desc').execute();
    return viewsOf(trx, rows, deps.clock);
  });
}

async function providerOf(db: Db, actor: Actor): Promise<string> {
  const u = await db.selectFrom('users').select('provider_id').where('id', '=', actor.userId).executeTakeFirst();
  if (!u?.provider_id) throw new DomainError(ErrorCode.preconditionFailed, 'your user is not linked to a physician (provider): ask the administrator');
  return u.provider_id;
}

/** The physician's inbox: their queries, pending first, oldest first. */
export async function listInbox(deps: QueryDeps, actor: Actor, opts: { status?: QueryStatus | undefined } = {}): Promise<QueryView[]> {
  await requirePermission(deps, actor, Permission.queryAnswer, { type: 'physician_query' });
  return deps.db.transaction().execute(async (trx) => {
    await applyQueryAging(trx, deps.clock, deps.queryPolicy);
    const providerId = await providerOf(trx, actor);
    let q = trx.selectFrom('physician_queries').selectAll().where('provider_id', '=', providerId);
    if (opts.status) q = q.where('status', '=', opts.status);
    const rows = await q.orderBy('sent_at').limit(500).execute();
    const views = await viewsOf(trx, rows, deps.clock, true);
    const rank = (s: string) => (s === 'escalated' ? 0 : s === 'open' ? 1 : 2);
    await recordAudit(trx, deps.audit, actor, { action: 'search', resourceType: 'physician_query', outcome: 'success', detail: { resultCount: views.length } });
    return views.sort((a, b) => rank(a.status) - rank(b.status) || a.sentAt.localeCompare(b.sentAt));
  });
}

/** One query of the physician's, with its indicators (audited read); another physician's query is not found. */
export async function getInboxQuery(deps: QueryDeps, actor: Actor, queryId: string): Promise<QueryView> {
  await requirePermission(deps, actor, Permission.queryAnswer, { type: 'physician_query', id: queryId });
  return deps.db.transaction().execute(async (trx) => {
    const providerId = await providerOf(trx, actor);
    const row = await trx.selectFrom('physician_queries').selectAll().where('id', '=', queryId).where('provider_id', '=', providerId).executeTakeFirst();
    if (!row) throw notFound('query');
    await recordAudit(trx, deps.audit, actor, { action: 'read', resourceType: 'physician_query', resourceId: row.id, patientId: row.patient_id, outcome: 'success' });
    return (await viewsOf(trx, [row], deps.clock, true))[0]!;
  });
}

/**
 * The physician answers and signs: a choice among the offered options (none for open-ended), free text (required
 * for open-ended queries and "Other"), and the attestation. The answer is filed as a document of the encounter.
 */
export async function answerQuery(deps: QueryDeps, actor: Actor, queryId: string, a: { choice?: string | null | undefined; text?: string | null | undefined; attest: boolean }): Promise<QueryView> {
  await requirePermission(deps, actor, Permission.queryAnswer, { type: 'physician_query', id: queryId });
  if (!a.attest) throw invalid('attest: sign the answer to send it');
  return deps.db.transaction().execute(async (trx) => {
    await applyQueryAging(trx, deps.clock, deps.queryPolicy);
    const providerId = await providerOf(trx, actor);
    const row = await trx.selectFrom('physician_queries').selectAll().where('id', '=', queryId).where('provider_id', '=', providerId).executeTakeFirst();
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
    const me = await trx.selectFrom('users').select('display_name').where('id', '=', actor.userId).executeTakeFirst();
    const now = isoNow(deps.clock);
    const signature = `Electronically signed by ${me?.display_name ?? actor.username} on ${now}`;
    const agreed = answerAgrees(type, choice, text);
    await trx.updateTable('physician_queries').set({ status: QueryStatus.answered, answered_at: now, answered_by: actor.userId, answer_choice: choice, answer_text: text, agreed: agreed ? 1 : 0, signature, closed_at: now }).where('id', '=', row.id).execute();
    await trx.insertInto('encounter_documents').values({
      patient_id: row.patient_id, id: newId(), encounter_id: row.encounter_id, kind: 'query_response', title: 'Physician query response', author: me?.display_name ?? actor.username, authored_at: now,
      text: `Query: ${row.question}\nAnswer: ${[choice, text].filter(Boolean).join(' — ')}\n${signature}`,
    }).execute();
    await markQueryAnswered(trx, deps.clock, row.encounter_id);
    await notify(trx, deps.clock, { userId: row.author_id, kind: 'query_answered', patientId: row.patient_id, encounterId: row.encounter_id, resourceId: row.id, message: 'Your query was answered; the encounter is back on your worklist' });
    await recordAudit(trx, deps.audit, actor, { action: 'answer', resourceType: 'physician_query', resourceId: row.id, patientId: row.patient_id, outcome: 'success', detail: { agreed } });
    const after = await trx.selectFrom('physician_queries').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    return (await viewsOf(trx, [after], deps.clock, true))[0]!;
  });
}

async function viewsOf(db: Db, rows: PhysicianQueryTable[], clock: Clock, withEncounter = false): Promise<QueryView[]> {
  if (rows.length === 0) return [];
  const providerIds = [...new Set(rows.map((r) => r.provider_id))];
  const authorIds = [...new Set(rows.map((r) => r.author_id))];
  const providers = new Map((await db.selectFrom('providers').select(['id', 'given_name', 'family_name', 'credentials']).where('id', 'in', providerIds).execute()).map((p) => [p.id, `${p.given_name} ${p.family_name}${p.credentials ? `, ${p.credentials}` : ''}`]));
  const authors = new Map((await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', authorIds).execute()).map((u) => [u.id, u.display_name]));
  const encounters = withEncounter
    ? new Map((await db.selectFrom('encounters as e').innerJoin('patients as p', 'p.id', 'e.patient_id').select(['e.id', 'e.account_number', 'p.family_name', 'p.given_name']).where('e.id', 'in', [...new Set(rows.map((r) => r.encounter_id))]).execute()).map((e) => [e.id, e]))
    : new Map<string, { account_number: string; family_name: string; given_name: string }>();
  const now = clock.now().getTime();
  return rows.map((r) => {
    const e = encounters.get(r.encounter_id);
    const end = r.answered_at ?? r.closed_at;
    return {
      id: r.id, encounterId: r.encounter_id, patientId: r.patient_id, providerId: r.provider_id, providerName: providers.get(r.provider_id) ?? null, authorId: r.author_id,
      authorName: authors.get(r.author_id) ?? null, type: r.type as QueryType, purpose: r.purpose, question: r.question, options: JSON.parse(r.options) as string[],
      indicators: JSON.parse(r.indicators) as ClinicalIndicator[], status: r.status as QueryStatus, sentAt: r.sent_at,
      daysOpen: Math.floor(((end ? Date.parse(end) : now) - Date.parse(r.sent_at)) / 86_400_000), escalatedAt: r.escalated_at, answeredAt: r.answered_at,
      answerChoice: r.answer_choice, answerText: r.answer_text, agreed: r.agreed === null ? null : r.agreed === 1, signature: r.signature,
      ...(e ? { patientName: `${e.family_name}, ${e.given_name}`, accountNumber: e.account_number } : {}),
    };
  });
}

/** The scheduled escalation (CLI or cron): no signed-in user, audited as the system job `query-escalation`. */
export async function runScheduledEscalation(deps: QueryDeps): Promise<{ escalated: number; expired: number }> {
  return deps.db.transaction().execute(async (trx) => {
    const r = await applyQueryAging(trx, deps.clock, deps.queryPolicy);
    await recordAudit(trx, deps.audit, systemActor('query-escalation'), { action: 'escalate', resourceType: 'physician_query', outcome: 'success', detail: r });
    return r;
  });
}
