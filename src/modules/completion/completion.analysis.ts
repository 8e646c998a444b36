/**
 * Running the deficiency analysis: load the facts of a chunk of encounters in a few queries, analyse each (pure
 * rules), reconcile with the stored deficiencies, and write the changes and each record's status in one transaction
 * per chunk (per encounter when a chunk fails, so one bad record does not stop a batch). Audited per record changed.
 */
import { newId } from '../../core/shared/ids.js';
import type { Db } from '../../db/database.js';
import type { CompletionRecordTable, DeficiencyEventTable, DeficiencyTable } from '../../db/schema-completion.js';
import { scopeDetail, systemActor, type Actor, type ListScope, type RecordScope } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import * as repo from './completion.repository.js';
import {
  analyseEncounter,
  CompletionSettingsSchema,
  defaultSettings,
  DeficiencyStatus,
  OUTSTANDING,
  reconcile,
  RecordStatus,
  type CompletionSettings,
} from './completion.rules.js';
import type { CompletionDeps } from './completion.views.js';

export interface AnalysisResult {
  encounterId: string;
  /** analysed | skipped (not discharged, or unknown) | failed */
  outcome: 'analysed' | 'skipped' | 'failed';
  status?: string;
  created?: number;
  completed?: number;
  error?: string;
}

/** The facility's settings (stored by the HIM director), or the defaults; each facility read once per call. */
export function settingsCache(db: Db): (facilityId: string) => Promise<CompletionSettings> {
  const cache = new Map<string, CompletionSettings>();
  return async (facilityId) => {
    let s = cache.get(facilityId);
    if (!s) {
      const json = await repo.findSettings(db, facilityId);
      s = json ? CompletionSettingsSchema.parse(JSON.parse(json)) : defaultSettings;
      cache.set(facilityId, s);
    }
    return s;
  };
}

const BATCH = 200;

/**
 * Analyses the encounters (discharged ones; others are skipped) as `actor` (the system, or a user whose access the
 * caller checked), answering one result per encounter.
 */
export async function analyseEncounters(
  deps: CompletionDeps,
  actor: Actor,
  list: ListScope | RecordScope,
  encounterIds: readonly string[],
  opts: { scope?: RecordScope } = {},
): Promise<AnalysisResult[]> {
  const settings = settingsCache(deps.db);
  const results: AnalysisResult[] = [];
  for (let i = 0; i < encounterIds.length; i += BATCH) {
    const ids = encounterIds.slice(i, i + BATCH);
    try {
      results.push(...(await analyseChunk(deps, actor, list, ids, settings, opts.scope)));
    } catch {
      // One record at a time, so the others of the chunk are done and the failing one is named.
      for (const id of ids) {
        try {
          results.push(...(await analyseChunk(deps, actor, list, [id], settings, opts.scope)));
        } catch (e) {
          results.push({ encounterId: id, outcome: 'failed', error: e instanceof Error ? e.message : String(e) });
        }
      }
    }
  }
  return results;
}

async function analyseChunk(
  deps: CompletionDeps,
  actor: Actor,
  list: ListScope | RecordScope,
  ids: string[],
  settings: (facilityId: string) => Promise<CompletionSettings>,
  given?: RecordScope,
): Promise<AnalysisResult[]> {
  const facts = await repo.loadFacts(deps.db, list, ids);
  const stored = await repo.listDeficienciesOf(deps.db, list, ids);
  const records = new Map((await repo.recordsOf(deps.db, list, ids)).map((r) => [r.encounter_id, r]));
  const now = deps.clock.now();
  const at = now.toISOString();
  const results: AnalysisResult[] = [];
  const writes: ((trx: Db) => Promise<void>)[] = [];
  const inserts: DeficiencyTable[] = [];
  const events: DeficiencyEventTable[] = [];
  for (const id of ids) {
    const f = facts.get(id);
    if (!f || f.encounter.status !== 'discharged' || !f.encounter.dischargeAt) {
      results.push({ encounterId: id, outcome: 'skipped' });
      continue;
    }
    const s = await settings(f.encounter.facilityId);
    const analysis = analyseEncounter(f.encounter, f.documents, s);
    const mine = stored.filter((d) => d.encounter_id === id);
    const r = reconcile(mine, analysis.findings);
    const patientId = f.encounter.patientId;
    const scope = given ?? deps.records.forSystem(systemActor('completion-analysis'), { patientId, encounterId: id });
    for (const x of r.create) {
      const row: DeficiencyTable = {
        patient_id: patientId,
        id: newId(),
        encounter_id: id,
        key: x.key,
        type: x.type,
        requirement: x.requirement,
        document_id: x.documentId,
        document_type_code: x.documentTypeCode,
        responsible_provider_id: x.responsibleProviderId,
        citation: x.citation,
        message: x.message,
        page_ref: null,
        source: 'analysis',
        status: DeficiencyStatus.open,
        due_at: x.dueAt,
        created_by: actor.userId,
        created_at: at,
        resolved_by: null,
        resolved_at: null,
        reason: null,
        updated_at: at,
      };
      inserts.push(row);
      events.push(event(row, 'created', actor, at, null));
    }
    for (const did of r.complete)
      events.push({
        ...event(
          mine.find((d) => d.id === did)!,
          'completed',
          actor,
          at,
          null,
        ),
      });
    const outstanding = mine.filter((d) => OUTSTANDING.includes(d.status) && !r.complete.includes(d.id)).length + r.create.length;
    const prior = records.get(id);
    const row = recordRow(prior, f.encounter, outstanding, analysis.pending.length, at);
    const changed = given !== undefined || r.create.length > 0 || r.complete.length > 0 || !prior || prior.status !== row.status;
    // An automatic re-analysis that changes nothing (a document event that satisfies or raises nothing) writes
    // nothing: no commit to wait for. `analysed_at` is the last analysis that changed the record, or an analyst's own.
    const same = prior !== undefined && prior.outstanding_count === row.outstanding_count && prior.pending_count === row.pending_count;
    if (!changed && same) {
      results.push({
        encounterId: id,
        outcome: 'analysed',
        status: statusNow(row, f.encounter.dischargeAt, now, s),
        created: 0,
        completed: 0,
      });
      continue;
    }
    writes.push(async (trx) => {
      await writeRecord(trx, scope, row, prior !== undefined);
      if (r.complete.length > 0)
        await repo.updateDeficiencies(trx, scope, r.complete, {
          status: DeficiencyStatus.completed,
          resolved_at: at,
          resolved_by: actor.userId,
          updated_at: at,
        });
    });
    if (changed)
      writes.push(async (trx) => {
        await recordAudit(trx, deps.audit, actor, {
          action: AuditAction.analyse,
          resourceType: 'completion_record',
          resourceId: id,
          patientId,
          outcome: 'success',
          detail: scopeDetail(scope, { created: r.create.length, completed: r.complete.length, status: row.status }),
        });
      });
    results.push({
      encounterId: id,
      outcome: 'analysed',
      status: statusNow(row, f.encounter.dischargeAt, now, s),
      created: r.create.length,
      completed: r.complete.length,
    });
  }
  if (writes.length === 0) return results;
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertDeficiencies(trx, inserts);
    await repo.insertEvents(trx, events);
    for (const w of writes) await w(trx);
  });
  return results;
}

function event(d: DeficiencyTable, kind: string, actor: Actor, at: string, reason: string | null): DeficiencyEventTable {
  return {
    patient_id: d.patient_id,
    id: newId(),
    deficiency_id: d.id,
    kind,
    from_provider_id: null,
    to_provider_id: d.responsible_provider_id,
    reason,
    by_user: actor.userId,
    at,
  };
}

function recordRow(
  prior: CompletionRecordTable | undefined,
  e: { patientId: string; encounterId: string; facilityId: string; dischargeAt: string | null },
  outstanding: number,
  pending: number,
  at: string,
): CompletionRecordTable {
  const complete = outstanding === 0 && pending === 0;
  return {
    patient_id: e.patientId,
    encounter_id: e.encounterId,
    facility_id: e.facilityId,
    discharge_at: e.dischargeAt!,
    status: complete ? RecordStatus.complete : RecordStatus.incomplete,
    outstanding_count: outstanding,
    pending_count: pending,
    analysed_at: at,
    completed_at: complete ? (prior?.status === RecordStatus.complete ? prior.completed_at : at) : null,
    updated_at: at,
  };
}

async function writeRecord(trx: Db, scope: RecordScope, row: CompletionRecordTable, exists: boolean): Promise<void> {
  if (row.patient_id !== scope.patientId) throw new Error('the record belongs to another patient than the scope');
  await repo.upsertRecord(trx, row, exists);
}

/** The status shown now: a stored incomplete record is delinquent once past the bylaws' days after discharge. */
export function statusNow(row: Pick<CompletionRecordTable, 'status'>, dischargeAt: string, now: Date, s: CompletionSettings): string {
  if (row.status === RecordStatus.complete) return RecordStatus.complete;
  const cutoff = delinquentCutoff(now, s);
  return dischargeAt < cutoff ? RecordStatus.delinquent : RecordStatus.incomplete;
}

/** Records discharged before this instant are delinquent when incomplete (day 31 after discharge by default). */
export function delinquentCutoff(now: Date, s: CompletionSettings): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - s.delinquentAfterDays * 86_400_000).toISOString();
}

/**
 * Recomputes a record's status after a deficiency changed by hand (waived, reassigned, disputed, added, completed),
 * in the caller's transaction; the pending count stays as the last analysis left it.
 */
export async function refreshRecord(
  trx: Db,
  scope: RecordScope,
  encounterId: string,
  at: string,
): Promise<CompletionRecordTable | undefined> {
  const prior = await repo.findRecord(trx, encounterId);
  if (!prior || prior.patient_id !== scope.patientId) return prior;
  const defs = await repo.listDeficienciesOf(trx, scope, [encounterId]);
  const outstanding = defs.filter((d) => OUTSTANDING.includes(d.status)).length;
  const row = recordRow(
    prior,
    { patientId: prior.patient_id, encounterId, facilityId: prior.facility_id, dischargeAt: prior.discharge_at },
    outstanding,
    prior.pending_count,
    prior.analysed_at,
  );
  row.updated_at = at;
  if (row.status === RecordStatus.complete && prior.status !== RecordStatus.complete) row.completed_at = at;
  await repo.upsertRecord(trx, row, true);
  return row;
}
