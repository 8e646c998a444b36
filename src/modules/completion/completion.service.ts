/**
 * Chart completion: analysis at discharge (the sweep) and after a document arrives, is signed or moved; the analyst's
 * worklist and chart review (add a deficiency by hand with a page reference, waive or reassign with a reason); the
 * physician's inbox (sign with attestation and password re-entry, dispute). Every read of a record goes through the
 * record-access step; every change is audited in its transaction. 42 CFR 482.24(c); see README.md.
 */
import { z } from 'zod';
import { conflict, invalid, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import type { DeficiencyTable } from '../../db/schema-completion.js';
import { Permission, requirePermission, scopeDetail, systemActor, type Actor, type ListScope, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import {
  analyseEncounters,
  delinquentCutoff,
  refreshRecord,
  settingsCache,
  statusNow,
  type AnalysisResult,
} from './completion.analysis.js';
import { dischargedEncountersDuring } from './completion.procedures.js';
import * as repo from './completion.repository.js';
import {
  Citation,
  daysSinceDischarge,
  DeficiencyStatus,
  DeficiencyType,
  noticeAgesReached,
  OUTSTANDING,
  completionDueAt,
} from './completion.rules.js';
import {
  deficiencyView,
  type ChartCompletionView,
  type CompletionDeps,
  type CompletionRecordView,
  type DeficiencyView,
  type InboxItem,
  type RecordLabel,
} from './completion.views.js';

const Id = z.string().min(1).max(64);
const Reason = z.string().trim().min(3, 'give a reason').max(500);

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw invalid(`${i.path.join('.') || 'input'}: ${i.message}`);
}

const analystList = (deps: CompletionDeps, actor: Actor) =>
  deps.records.openList(actor, { permission: Permission.completionAnalyse, resourceType: 'completion_record' });

/** Analysis at discharge: every discharged encounter not analysed yet (run by `serve` each minute, and by the CLI). */
export async function analyseDischarges(deps: CompletionDeps, actor: Actor, opts: { limit?: number } = {}): Promise<AnalysisResult[]> {
  const list = await analystList(deps, actor);
  const ids = await repo.listUnanalysedDischarges(deps.db, list, opts.limit ?? 100_000);
  return analyseEncounters(deps, actor.system ? actor : systemActor('completion-analysis'), list, ids);
}

/** Re-analysis of every encounter a document touches (it arrived, was signed, changed status or was moved). */
export async function reanalyseForDocument(deps: CompletionDeps, documentId: string): Promise<AnalysisResult[]> {
  const actor = systemActor('completion-analysis');
  const list = await deps.records.openList(actor, { permission: Permission.completionAnalyse, resourceType: 'completion_record' });
  const ids = await repo.encountersOfDocument(deps.db, list, documentId);
  return (await analyseEncounters(deps, actor, list, ids)).filter((r) => r.outcome !== 'skipped');
}

/**
 * Re-analysis after a procedure appointment changed status (checked in, completed, cancelled, ...): every discharged
 * encounter of the patient whose stay overlaps the appointment (42 CFR 482.51(b)(6): a scheduled surgery needs its
 * operative report). Called by the composition root after scheduling commits (src/app/completion-hooks.ts).
 */
export async function reanalyseForAppointment(
  deps: CompletionDeps,
  appointment: { patientId: string; start: string; end: string },
): Promise<AnalysisResult[]> {
  const actor = systemActor('completion-analysis');
  const list = await deps.records.openList(actor, { permission: Permission.completionAnalyse, resourceType: 'completion_record' });
  const ids = await dischargedEncountersDuring(deps.db, list, appointment.patientId, appointment.start, appointment.end);
  return ids.length === 0 ? [] : analyseEncounters(deps, actor, list, ids);
}

/** The analyst analyses one chart now (audited as the analyst). */
export async function analyseChart(deps: CompletionDeps, actor: Actor, encounterId: string): Promise<ChartCompletionView> {
  const scope = await openChart(deps, actor, encounterId, 'write');
  const [r] = await analyseEncounters(deps, scope.actor, scope, [encounterId], { scope });
  if (r?.outcome === 'skipped') throw conflict('the encounter is not discharged: a chart is analysed after discharge');
  if (r?.outcome === 'failed') throw conflict('the analysis failed; try again');
  return chartView(deps, scope, encounterId);
}

function openChart(
  deps: CompletionDeps,
  actor: Actor,
  encounterId: string,
  mode: 'read' | 'write',
  permission: Permission = Permission.completionAnalyse,
) {
  return deps.records.open(actor, { encounterId }, { permission, mode, resourceType: 'completion_record', resourceId: encounterId });
}

/** One chart's completion: its record status, deficiencies and their history (an audited read). */
export async function getChartCompletion(deps: CompletionDeps, actor: Actor, encounterId: string): Promise<ChartCompletionView> {
  const scope = await openChart(deps, actor, encounterId, 'read');
  return chartView(deps, scope, encounterId);
}

async function chartView(deps: CompletionDeps, scope: RecordScope, encounterId: string): Promise<ChartCompletionView> {
  const defs = await repo.listDeficienciesOf(deps.db, scope, [encounterId]);
  const names = await repo.providerNames(
    deps.db,
    defs.map((d) => d.responsible_provider_id).filter((x): x is string => x !== null),
  );
  const events = await repo.listEvents(
    deps.db,
    scope,
    defs.map((d) => d.id),
  );
  const rec = await repo.findRecord(deps.db, encounterId);
  const list = await deps.records.openList(systemActor('completion-view'), {
    permission: Permission.completionAnalyse,
    resourceType: 'completion_record',
  });
  const label = (await repo.labelsOf(deps.db, list, [encounterId])).get(encounterId);
  if (!label || label.patient_id !== scope.patientId) throw notFound('encounter');
  const settings = await settingsCache(deps.db)(rec?.facility_id ?? '');
  return {
    record: recordView(labelView(label, true), rec, deps.clock.now(), settings),
    deficiencies: defs.map((d) => deficiencyView(d, names)),
    events: events.map((e) => ({
      deficiencyId: e.deficiency_id,
      kind: e.kind,
      fromProviderId: e.from_provider_id,
      toProviderId: e.to_provider_id,
      reason: e.reason,
      by: e.by_user,
      at: e.at,
    })),
  };
}

function labelView(l: repo.LabelRow, details: boolean): RecordLabel {
  return {
    patientId: l.patient_id,
    encounterId: l.encounter_id,
    mrn: l.mrn,
    patientName: `${l.family_name.toUpperCase()}, ${l.given_name}`,
    accountNumber: l.account_number,
    restricted: l.restricted === 1,
    details,
    type: details ? l.type : null,
    dischargeAt: details ? l.discharge_at : null,
  };
}

function recordView(
  label: RecordLabel,
  rec:
    | {
        status: string;
        outstanding_count: number;
        pending_count: number;
        analysed_at: string;
        completed_at: string | null;
        discharge_at: string;
      }
    | undefined,
  now: Date,
  settings: Parameters<typeof statusNow>[3],
): CompletionRecordView {
  if (!label.details)
    return { ...label, status: 'withheld', outstanding: 0, pending: 0, daysSinceDischarge: null, analysedAt: null, completedAt: null };
  return {
    ...label,
    status: rec ? statusNow(rec, rec.discharge_at, now, settings) : 'not_analysed',
    outstanding: rec?.outstanding_count ?? 0,
    pending: rec?.pending_count ?? 0,
    daysSinceDischarge: rec ? daysSinceDischarge(rec.discharge_at, now) : null,
    analysedAt: rec?.analysed_at ?? null,
    completedAt: rec?.completed_at ?? null,
  };
}

export const WorklistQuerySchema = z.object({
  status: z.enum(['incomplete', 'complete', 'delinquent']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** The analyst's worklist: incomplete (or delinquent, or complete) records, oldest discharge first. */
export async function listCompletionWorklist(deps: CompletionDeps, actor: Actor, input: unknown): Promise<CompletionRecordView[]> {
  const q = parseInput(WorklistQuerySchema, input ?? {});
  const list = await analystList(deps, actor);
  const now = deps.clock.now();
  const settings = settingsCache(deps.db);
  const defaults = await settings('');
  const rows = await repo.listRecords(deps.db, list, {
    status: q.status,
    delinquentBefore: delinquentCutoff(now, defaults),
    limit: q.limit,
  });
  const labels = await repo.labelsOf(
    deps.db,
    list,
    rows.map((r) => r.encounter_id),
  );
  const out: CompletionRecordView[] = [];
  for (const r of rows) {
    const l = labels.get(r.encounter_id);
    if (!l) continue;
    const details = list.showsDetails({ patientId: l.patient_id, restricted: l.restricted });
    out.push(recordView(labelView(l, details), r, now, await settings(r.facility_id)));
  }
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.search,
      resourceType: 'completion_record',
      outcome: 'success',
      detail: { resultCount: out.length },
    }),
  );
  return out;
}

/** A chart's completion as the DNFB worklist shows it beside the coding work. */
export interface ChartCompletionStatus {
  /** incomplete | complete | delinquent (delinquent counted from the discharge date now) */
  status: string;
  /** Deficiencies still open or disputed. */
  outstanding: number;
  /** The facility bills only complete records and this one is not complete: it holds the final bill. */
  blocksFinalBill: boolean;
}

/**
 * The completion statuses of encounters (the DNFB worklist's column), by encounter id; ids only. An encounter the
 * analysis has not seen yet has no entry.
 */
export async function completionStatusesOf(
  deps: Pick<CompletionDeps, 'db' | 'clock'>,
  list: ListScope,
  encounterIds: readonly string[],
): Promise<Map<string, ChartCompletionStatus>> {
  const settings = settingsCache(deps.db);
  const now = deps.clock.now();
  const out = new Map<string, ChartCompletionStatus>();
  for (const r of await repo.recordsOf(deps.db, list, encounterIds)) {
    const s = await settings(r.facility_id);
    const status = statusNow(r, r.discharge_at, now, s);
    out.set(r.encounter_id, {
      status,
      outstanding: r.outstanding_count,
      blocksFinalBill: s.completionRequiredForBilling && status !== 'complete',
    });
  }
  return out;
}

export const ManualDeficiencySchema = z.object({
  type: z.enum([
    DeficiencyType.missingDocument,
    DeficiencyType.unsigned,
    DeficiencyType.cosignature,
    DeficiencyType.verbalOrder,
    DeficiencyType.incompleteContent,
  ]),
  documentTypeCode: z.string().trim().min(1).max(20),
  documentId: Id.nullish(),
  responsibleProviderId: Id,
  message: z.string().trim().min(3).max(500),
  pageRef: z.string().trim().min(1).max(100),
});

/** An analyst adds a deficiency found by reading the chart, with the page it was found on. */
export async function addDeficiency(deps: CompletionDeps, actor: Actor, encounterId: string, input: unknown): Promise<ChartCompletionView> {
  const v = parseInput(ManualDeficiencySchema, input);
  const scope = await openChart(deps, actor, encounterId, 'write');
  await deps.db.transaction().execute(async (trx) => {
    const rec = await repo.findRecord(trx, encounterId);
    if (!rec) throw conflict('analyse the chart first: it has no completion record yet');
    if (!(await repo.providerExists(trx, v.responsibleProviderId))) throw invalid('responsibleProviderId: no such provider');
    const at = isoNow(deps.clock);
    const s = await settingsCache(trx)(rec.facility_id);
    const row: DeficiencyTable = {
      patient_id: scope.patientId,
      id: newId(),
      encounter_id: encounterId,
      key: null,
      type: v.type,
      requirement: 'analyst_review',
      document_id: v.documentId ?? null,
      document_type_code: v.documentTypeCode,
      responsible_provider_id: v.responsibleProviderId,
      citation: Citation.manual,
      message: v.message,
      page_ref: v.pageRef,
      source: 'manual',
      status: DeficiencyStatus.open,
      due_at: completionDueAt(rec.discharge_at, s),
      created_by: actor.userId,
      created_at: at,
      resolved_by: null,
      resolved_at: null,
      reason: null,
      updated_at: at,
    };
    await repo.insertDeficiencies(trx, [row]);
    await repo.insertEvents(trx, [
      {
        patient_id: row.patient_id,
        id: newId(),
        deficiency_id: row.id,
        kind: 'created',
        from_provider_id: null,
        to_provider_id: row.responsible_provider_id,
        reason: null,
        by_user: actor.userId,
        at,
      },
    ]);
    await refreshRecord(trx, scope, encounterId, at);
    await audit(deps, trx, scope, AuditAction.create, row.id, { type: row.type, source: 'manual' });
  });
  return chartView(deps, scope, encounterId);
}

async function audit(
  deps: CompletionDeps,
  trx: Parameters<typeof recordAudit>[0],
  scope: RecordScope,
  action: AuditAction,
  id: string,
  detail: Record<string, unknown>,
) {
  await recordAudit(trx, deps.audit, scope.actor, {
    action,
    resourceType: 'deficiency',
    resourceId: id,
    patientId: scope.patientId,
    outcome: 'success',
    detail: scopeDetail(scope, detail),
  });
}

/** Finds a deficiency and opens its record (not found and no access answered alike). */
async function openDeficiency(
  deps: CompletionDeps,
  actor: Actor,
  id: string,
  permission: Permission,
): Promise<{ scope: RecordScope; d: DeficiencyTable }> {
  const list = await deps.records.openList(actor, { permission, resourceType: 'deficiency' });
  const d = await repo.findDeficiency(deps.db, list, id);
  if (!d) throw notFound('deficiency');
  const scope = await openChart(deps, actor, d.encounter_id, 'write', permission);
  return { scope, d };
}

type Change = { status?: string; responsibleProviderId?: string; reason: string; kind: string; action: AuditAction };

async function changeDeficiency(deps: CompletionDeps, scope: RecordScope, d: DeficiencyTable, c: Change): Promise<DeficiencyView> {
  return deps.db.transaction().execute(async (trx) => {
    const at = isoNow(deps.clock);
    const set: Partial<DeficiencyTable> = { reason: c.reason, updated_at: at };
    if (c.status) set.status = c.status;
    if (c.status === DeficiencyStatus.waived || c.status === DeficiencyStatus.completed)
      Object.assign(set, { resolved_at: at, resolved_by: scope.actor.userId });
    if (c.responsibleProviderId) set.responsible_provider_id = c.responsibleProviderId;
    await repo.updateDeficiencies(trx, scope, [d.id], set);
    await repo.insertEvents(trx, [
      {
        patient_id: d.patient_id,
        id: newId(),
        deficiency_id: d.id,
        kind: c.kind,
        from_provider_id: d.responsible_provider_id,
        to_provider_id: c.responsibleProviderId ?? d.responsible_provider_id,
        reason: c.reason,
        by_user: scope.actor.userId,
        at,
      },
    ]);
    await refreshRecord(trx, scope, d.encounter_id, at);
    await audit(deps, trx, scope, c.action, d.id, { kind: c.kind });
    const names = await repo.providerNames(trx, [c.responsibleProviderId ?? d.responsible_provider_id ?? ''].filter(Boolean));
    return deficiencyView({ ...d, ...set }, names);
  });
}

/** The analyst waives a deficiency with a reason (e.g. the bylaws do not require it for this case). */
export async function waiveDeficiency(deps: CompletionDeps, actor: Actor, id: string, input: unknown): Promise<DeficiencyView> {
  const v = parseInput(z.object({ reason: Reason }), input);
  const { scope, d } = await openDeficiency(deps, actor, id, Permission.completionAnalyse);
  if (!OUTSTANDING.includes(d.status)) throw conflict(`a ${d.status} deficiency cannot be waived`);
  return changeDeficiency(deps, scope, d, { status: DeficiencyStatus.waived, reason: v.reason, kind: 'waived', action: AuditAction.waive });
}

/** The analyst reassigns a deficiency to another physician with a reason (it opens again in their inbox). */
export async function reassignDeficiency(deps: CompletionDeps, actor: Actor, id: string, input: unknown): Promise<DeficiencyView> {
  const v = parseInput(z.object({ providerId: Id, reason: Reason }), input);
  const { scope, d } = await openDeficiency(deps, actor, id, Permission.completionAnalyse);
  if (!OUTSTANDING.includes(d.status)) throw conflict(`a ${d.status} deficiency cannot be reassigned`);
  if (!(await repo.providerExists(deps.db, v.providerId))) throw invalid('providerId: no such provider');
  return changeDeficiency(deps, scope, d, {
    status: DeficiencyStatus.open,
    responsibleProviderId: v.providerId,
    reason: v.reason,
    kind: 'reassigned',
    action: AuditAction.reassign,
  });
}

/** The analyst marks a deficiency added by hand as done (analysis completes its own when the record shows it). */
export async function completeDeficiency(deps: CompletionDeps, actor: Actor, id: string): Promise<DeficiencyView> {
  const { scope, d } = await openDeficiency(deps, actor, id, Permission.completionAnalyse);
  if (d.source !== 'manual') throw conflict('the analysis completes this deficiency when the record shows it done');
  if (!OUTSTANDING.includes(d.status)) throw conflict(`a ${d.status} deficiency cannot be completed`);
  return changeDeficiency(deps, scope, d, {
    status: DeficiencyStatus.completed,
    reason: 'completed',
    kind: 'completed',
    action: AuditAction.update,
  });
}

async function myProvider(deps: CompletionDeps, actor: Actor): Promise<string> {
  const p = await repo.providerOfUser(deps.db, actor.userId);
  if (!p) throw conflict('your user is not linked to a provider: ask the administrator to link it');
  return p;
}

/** The physician disputes a deficiency ("not my patient"); it goes back to the analyst to reassign or waive. */
export async function disputeDeficiency(deps: CompletionDeps, actor: Actor, id: string, input: unknown): Promise<DeficiencyView> {
  const v = parseInput(z.object({ reason: Reason }), input);
  const { scope, d } = await openDeficiency(deps, actor, id, Permission.completionComplete);
  if (d.responsible_provider_id !== (await myProvider(deps, actor))) throw notFound('deficiency');
  if (d.status !== DeficiencyStatus.open) throw conflict(`a ${d.status} deficiency cannot be disputed`);
  return changeDeficiency(deps, scope, d, {
    status: DeficiencyStatus.disputed,
    reason: v.reason,
    kind: 'disputed',
    action: AuditAction.dispute,
  });
}

/** The physician's inbox: their open deficiencies across patients, oldest first. */
export async function listInbox(deps: CompletionDeps, actor: Actor): Promise<InboxItem[]> {
  const list = await deps.records.openList(actor, { permission: Permission.completionComplete, resourceType: 'deficiency' });
  const provider = await myProvider(deps, actor);
  const rows = await repo.listInbox(deps.db, list, provider, 500);
  const labels = await repo.labelsOf(
    deps.db,
    list,
    rows.map((r) => r.encounter_id),
  );
  const names = await repo.providerNames(deps.db, [provider]);
  const now = deps.clock.now();
  const out: InboxItem[] = [];
  for (const r of rows) {
    const l = labels.get(r.encounter_id);
    if (!l) continue;
    const details = list.showsDetails({ patientId: l.patient_id, restricted: l.restricted });
    const view = deficiencyView(r, names);
    // A restricted record shows only that work exists until the physician breaks the glass.
    const shown = details
      ? view
      : {
          ...view,
          message: 'Restricted record: open it to see the deficiency',
          documentId: null,
          documentTypeCode: '',
          citation: '',
          requirement: '',
        };
    out.push({ ...shown, label: labelView(l, details), ageDays: Math.floor((now.getTime() - Date.parse(r.created_at)) / 86_400_000) });
  }
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.search,
      resourceType: 'deficiency',
      outcome: 'success',
      detail: { inbox: true, resultCount: out.length },
    }),
  );
  return out;
}

export const SignBatchSchema = z.object({
  deficiencyIds: z.array(Id).min(1).max(100),
  attestation: z.string().trim().min(10).max(500),
  password: z.string().min(1).max(256),
});

export interface SignResult {
  deficiencyId: string;
  ok: boolean;
  error?: string;
}

/**
 * Signs the documents of the physician's deficiencies (authentication or co-signature), each on its own, after the
 * password is re-entered (42 CFR 482.24(c)(1); bylaws on batch authentication). Answers one result per deficiency.
 */
export async function signFromInbox(deps: CompletionDeps, actor: Actor, input: unknown): Promise<SignResult[]> {
  const v = parseInput(SignBatchSchema, input);
  await requirePermission(deps, actor, Permission.completionComplete, { type: 'deficiency' });
  if (!deps.signing || !deps.verifyPassword) throw conflict('signing needs the documents service, which is not configured');
  if (!(await deps.verifyPassword(actor.userId, v.password))) {
    await deps.db.transaction().execute((trx) =>
      recordAudit(trx, deps.audit, actor, {
        action: AuditAction.sign,
        resourceType: 'deficiency',
        outcome: 'failure',
        detail: { reason: 'password', count: v.deficiencyIds.length },
      }),
    );
    throw invalid('password: the password does not match; re-enter your own password to sign');
  }
  const provider = await myProvider(deps, actor);
  const list = await deps.records.openList(actor, { permission: Permission.completionComplete, resourceType: 'deficiency' });
  const results: SignResult[] = [];
  for (const id of v.deficiencyIds) {
    try {
      const d = await repo.findDeficiency(deps.db, list, id);
      if (d?.responsible_provider_id !== provider || d.status !== DeficiencyStatus.open) throw notFound('deficiency');
      if (
        !d.document_id ||
        !([DeficiencyType.unsigned, DeficiencyType.cosignature, DeficiencyType.verbalOrder] as string[]).includes(d.type)
      )
        throw conflict('this deficiency is not completed by a signature');
      await deps.signing.sign(actor, d.document_id, {
        attestation: v.attestation,
        role: d.type === DeficiencyType.cosignature ? 'cosigner' : 'author',
      });
      await reanalyseForDocument(deps, d.document_id);
      results.push({ deficiencyId: id, ok: true });
    } catch (e) {
      results.push({ deficiencyId: id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return results;
}

/**
 * In-app notices to the responsible physicians of open deficiencies that reached a notice age (bylaws: 7, 14, 21
 * days by default), once per deficiency and age; the message names the account and the requirement, never the
 * patient. Run by `serve` each minute with the sweep. Answers how many notices went out.
 */
export async function sendCompletionNotices(deps: CompletionDeps, actor: Actor): Promise<number> {
  if (!deps.notices) return 0;
  const list = await analystList(deps, actor);
  const now = deps.clock.now();
  const settings = settingsCache(deps.db);
  const open = (await repo.listOutstanding(deps.db, list)).filter((d) => d.status === DeficiencyStatus.open && d.responsible_provider_id);
  const labels = await repo.labelsOf(
    deps.db,
    list,
    open.map((d) => d.encounter_id),
  );
  let sent = 0;
  const perUser = new Map<string, { notices: number; oldestAgeDays: number }>();
  for (const d of open) {
    const rec = await repo.findRecord(deps.db, d.encounter_id);
    const s = await settings(rec?.facility_id ?? '');
    const ages = noticeAgesReached(d.created_at, now, s);
    const age = ages[ages.length - 1];
    if (age === undefined) continue;
    const kind = `completion_notice_${age}`;
    if (await repo.noticeSent(deps.db, kind, d.id)) continue;
    const account = labels.get(d.encounter_id)?.account_number ?? d.encounter_id;
    for (const userId of await repo.usersOfProvider(deps.db, d.responsible_provider_id!)) {
      await deps.notices.send({
        userId,
        kind,
        patientId: d.patient_id,
        encounterId: d.encounter_id,
        resourceId: d.id,
        message: `Chart deficiency ${age} days old (account ${account}): ${d.message}. Complete it in your completion inbox.`,
      });
      const u = perUser.get(userId) ?? { notices: 0, oldestAgeDays: 0 };
      perUser.set(userId, { notices: u.notices + 1, oldestAgeDays: Math.max(u.oldestAgeDays, age) });
      sent++;
    }
  }
  if (deps.notices.digest)
    for (const [userId, n] of perUser) {
      try {
        await deps.notices.digest({ userId, ...n });
      } catch {
        // An email that cannot go out does not undo the in-app notices (already recorded); the next age tries again.
      }
    }
  return sent;
}
