/**
 * Paper chart tracking: charts (folders, volumes) with their barcode and home, check-out to a person or department
 * with a due-back time, check-in and relocation by scanning the barcode, the movement history, the overdue list and
 * what is in a location (an off-site box).
 *
 * Access: tracking shows and changes only what a list shows of a record — MRN, name, barcode, volume, account number
 * and where the paper is — never its contents. So it runs under the ListScope of the record-access step (permission
 * `chart:track`, the restriction considered per row) and a restricted patient's chart is found, moved and labelled
 * without break-the-glass: moving the paper reveals nothing of what the record hides, and a clerk must be able to
 * put a VIP's chart back on its shelf. Every move is audited on the patient, in the move's transaction.
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { conflict, invalid, notFound } from '../../core/errors.js';
import type { Db } from '../../db/database.js';
import type { ChartLocationTable, PaperChartTable } from '../../db/schema-charts.js';
import { Permission, type Actor, type ListScope } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import * as repo from './charts.repository.js';
import {
  chartStep,
  ChartStatus,
  dueBackOf,
  dueBackProblem,
  isBorrower,
  isFilingPlace,
  makeChartBarcode,
  MovementKind,
  normalizeBarcode,
  parseInput,
  type ChartAction,
} from './charts.rules.js';
import { activeLocation, personLocationOf } from './locations.service.js';
import { chartViews, movementViews, type ChartDeps, type ChartView, type MovementView } from './charts.views.js';

/** The list scope of paper chart tracking (`chart:track`). */
export function trackingScope(deps: ChartDeps, actor: Actor): Promise<ListScope> {
  return deps.records.openList(actor, { permission: Permission.chartTrack, resourceType: 'paper_chart' });
}

const Id = z.string().min(1).max(64);

export const NewChartSchema = z.object({
  patientId: Id,
  encounterId: Id.nullish(),
  /** The next volume of the patient when omitted. */
  volume: z.number().int().min(1).max(999).nullish(),
  /** A label of an earlier system; a new code (C, nine digits, check digit) when omitted. */
  barcode: z.string().max(40).nullish(),
  homeLocationId: Id,
});
export type NewChart = z.input<typeof NewChartSchema>;

/** Where a check-out goes: a location (a department or person) or a user (their person location). */
export const DestinationSchema = z.union([z.object({ locationId: Id }), z.object({ userId: Id })]);
export type Destination = z.infer<typeof DestinationSchema>;

export interface ScanResult {
  chart: ChartView;
  /** False when the scan changed nothing (a chart already in, or already filed there). */
  moved: boolean;
  movement: MovementView | null;
  message: string;
}

async function freeBarcode(db: Db): Promise<string> {
  for (;;) {
    const code = makeChartBarcode(String(randomInt(0, 1_000_000_000)).padStart(9, '0'));
    if (!(await repo.barcodeTaken(db, code))) return code;
  }
}

/** Opens a new paper chart (or the next volume) for a patient, filed at its home location. */
export async function createChart(deps: ChartDeps, actor: Actor, input: NewChart): Promise<ChartView> {
  const v = parseInput(NewChartSchema, input);
  const list = await trackingScope(deps, actor);
  return deps.db.transaction().execute(async (trx) => {
    const p = await repo.findPatientLabel(trx, v.patientId);
    if (!p) throw notFound('patient');
    if (p.merged_into) throw conflict('this record was merged into another: open the chart under the surviving record');
    if (v.encounterId && !(await repo.findEncounterOfPatient(trx, p.id, v.encounterId))) throw notFound('encounter');
    const home = await activeLocation(trx, v.homeLocationId, 'homeLocationId');
    if (!isFilingPlace(home.kind)) throw invalid('homeLocationId: a chart is filed on a file-room shelf or in an off-site box');
    let barcode: string;
    if (v.barcode) {
      const b = normalizeBarcode(v.barcode);
      if (!b.ok) throw invalid(`barcode: ${b.problem}`);
      if (await repo.barcodeTaken(trx, b.barcode)) throw conflict('this barcode is already on another chart');
      barcode = b.barcode;
    } else barcode = await freeBarcode(trx);
    const now = isoNow(deps.clock);
    const row: PaperChartTable = {
      patient_id: p.id,
      id: newId(),
      barcode,
      encounter_id: v.encounterId ?? null,
      volume: v.volume ?? (await repo.maxVolume(trx, list, p.id)) + 1,
      status: ChartStatus.in,
      home_location_id: home.id,
      current_location_id: home.id,
      checked_out_at: null,
      due_back_at: null,
      created_at: now,
      updated_at: now,
    };
    await repo.insertChart(trx, list, row);
    await repo.insertMovement(trx, list, {
      patient_id: p.id,
      id: newId(),
      chart_id: row.id,
      kind: MovementKind.created,
      from_location_id: null,
      to_location_id: home.id,
      due_back_at: null,
      request_id: null,
      moved_by: actor.userId,
      moved_at: now,
    });
    await recordAudit(trx, deps.audit, actor, {
      action: 'create',
      resourceType: 'paper_chart',
      resourceId: row.id,
      patientId: p.id,
      outcome: 'success',
      detail: { volume: row.volume, homeLocationId: home.id },
    });
    const label = { mrn: p.mrn, family_name: p.family_name, given_name: p.given_name, restricted: p.restricted };
    return (await chartViews(trx, [{ ...row, ...label }], deps.clock.now()))[0]!;
  });
}

/** Finds charts by barcode or MRN (exact) or by name ("Family" or "Family, Given", prefixes); audited. */
export async function searchCharts(deps: ChartDeps, actor: Actor, text: string): Promise<ChartView[]> {
  const list = await trackingScope(deps, actor);
  const q = text.trim();
  if (q.length < 2) throw invalid('q: type a barcode, an MRN or at least two letters of a name');
  const [family, given] = q.split(',').map((s) => s.trim().toLowerCase());
  const rows = await repo.searchCharts(deps.db, list, {
    code: q.toUpperCase(),
    family: family && /^[\p{L}' .-]+$/u.test(family) ? family : null,
    given: given || null,
  });
  return deps.db.transaction().execute(async (trx) => {
    await recordAudit(trx, deps.audit, actor, {
      action: 'search',
      resourceType: 'paper_chart',
      outcome: 'success',
      detail: { resultCount: rows.length },
    });
    return chartViews(trx, rows, deps.clock.now());
  });
}

/** One chart with its movement history, newest first: an audited read of where the paper has been. */
export async function getChart(deps: ChartDeps, actor: Actor, chartId: string): Promise<{ chart: ChartView; history: MovementView[] }> {
  const list = await trackingScope(deps, actor);
  return deps.db.transaction().execute(async (trx) => {
    const row = await repo.findChartById(trx, list, chartId);
    if (!row) throw notFound('chart');
    await recordAudit(trx, deps.audit, actor, {
      action: 'read',
      resourceType: 'paper_chart',
      resourceId: row.id,
      patientId: row.patient_id,
      outcome: 'success',
    });
    const history = await movementViews(trx, await repo.listMovements(trx, list, { patientId: row.patient_id, chartId: row.id }));
    return { chart: (await chartViews(trx, [row], deps.clock.now()))[0]!, history };
  });
}

/** Charts out past their due-back time, most overdue first (follow them up: AHIMA chart-tracking practice). */
export async function listOverdueCharts(deps: ChartDeps, actor: Actor): Promise<ChartView[]> {
  const list = await trackingScope(deps, actor);
  const now = deps.clock.now();
  const rows = await repo.listOverdueCharts(deps.db, list, now.toISOString());
  return deps.db.transaction().execute(async (trx) => {
    await recordAudit(trx, deps.audit, actor, {
      action: 'search',
      resourceType: 'paper_chart',
      outcome: 'success',
      detail: { overdue: true, resultCount: rows.length },
    });
    return chartViews(trx, rows, now);
  });
}

/** The charts at a location now (what is in an off-site box, on a shelf, with a physician). */
export async function listChartsAtLocation(deps: ChartDeps, actor: Actor, locationId: string): Promise<ChartView[]> {
  const list = await trackingScope(deps, actor);
  const rows = await repo.listChartsAt(deps.db, list, locationId);
  return deps.db.transaction().execute(async (trx) => {
    if (!(await repo.findLocation(trx, locationId))) throw notFound('location');
    await recordAudit(trx, deps.audit, actor, {
      action: 'search',
      resourceType: 'paper_chart',
      resourceId: locationId,
      outcome: 'success',
      detail: { locationId, resultCount: rows.length },
    });
    return chartViews(trx, rows, deps.clock.now());
  });
}

/** The chart a scanned or typed code names (`invalid` for a code that cannot be one, `not_found` for an unknown one). */
export async function chartOfCode(db: Db, list: ListScope, code: string): Promise<repo.ChartRow> {
  const b = normalizeBarcode(code);
  if (!b.ok) throw invalid(`barcode: ${b.problem}`);
  const row = await repo.findChartByBarcode(db, list, b.barcode);
  if (!row) throw notFound('chart');
  return row;
}

/** Where a check-out goes, as a location row: a department or person location, or the person location of a user. */
export async function borrowerLocation(trx: Db, deps: ChartDeps, actor: Actor, to: Destination): Promise<ChartLocationTable> {
  const l =
    'userId' in to ? await personLocationOf(trx, deps, actor, to.userId) : await activeLocation(trx, to.locationId, 'to.locationId');
  if (!isBorrower(l.kind)) throw invalid('to: a chart is checked out to a person or a department (file it with relocate)');
  return l;
}

/**
 * Moves a chart inside the caller's transaction: the state machine of `chartStep`, the chart's row changed only if
 * no one moved it meanwhile, the movement recorded and audited on the patient.
 */
export async function moveChartInTx(
  trx: Db,
  deps: ChartDeps,
  list: ListScope,
  actor: Actor,
  chart: repo.ChartRow,
  move: { action: ChartAction; to: ChartLocationTable | null; dueBackAt?: Date | null; requestId?: string | null },
): Promise<ScanResult> {
  const now = deps.clock.now();
  const to = move.action === 'check_in' ? await repo.findLocation(trx, chart.home_location_id) : move.to;
  if (!to) throw new Error('a move has a destination');
  const step = chartStep(chart.status as ChartStatus, move.action, { atDestination: chart.current_location_id === to.id });
  if (step.kind === 'refuse') throw conflict(step.message);
  if (step.kind === 'noop') {
    await recordAudit(trx, deps.audit, actor, {
      action: 'read',
      resourceType: 'paper_chart',
      resourceId: chart.id,
      patientId: chart.patient_id,
      outcome: 'success',
      detail: { scan: move.action, moved: false },
    });
    return { chart: (await chartViews(trx, [chart], now))[0]!, moved: false, movement: null, message: step.message };
  }
  let dueBack: string | null = null;
  if (step.status === ChartStatus.out) {
    if (!isBorrower(to.kind)) throw invalid('to: a chart is checked out to a person or a department');
    const due = dueBackOf(to.kind, now, move.dueBackAt);
    const problem = dueBackProblem(due, now);
    if (problem) throw invalid(`dueBackAt: ${problem}`);
    dueBack = due.toISOString();
  }
  const at = now.toISOString();
  const set: Partial<PaperChartTable> = {
    status: step.status,
    current_location_id: to.id,
    // A transfer starts a new loan: the new borrower has it since now.
    checked_out_at: step.status === ChartStatus.out ? at : null,
    due_back_at: dueBack,
    updated_at: at,
    ...(step.movement === MovementKind.relocate ? { home_location_id: to.id } : {}),
  };
  if (!(await repo.updateChartIfUnchanged(trx, list, chart, set))) throw conflict('the chart was moved meanwhile: scan it again');
  const movement = {
    patient_id: chart.patient_id,
    id: newId(),
    chart_id: chart.id,
    kind: step.movement,
    from_location_id: chart.current_location_id,
    to_location_id: to.id,
    due_back_at: dueBack,
    request_id: move.requestId ?? null,
    moved_by: actor.userId,
    moved_at: at,
  };
  await repo.insertMovement(trx, list, movement);
  await recordAudit(trx, deps.audit, actor, {
    action: 'update',
    resourceType: 'paper_chart',
    resourceId: chart.id,
    patientId: chart.patient_id,
    outcome: 'success',
    detail: { movement: step.movement, to: to.id, ...(move.requestId ? { requestId: move.requestId } : {}) },
  });
  const after = { ...chart, ...set };
  const [view] = await chartViews(trx, [after], now);
  const [mv] = await movementViews(trx, [movement]);
  const verb = { check_out: 'Checked out to', transfer: 'Handed on to', check_in: 'Checked in at', relocate: 'Filed at' } as const;
  return { chart: view!, moved: true, movement: mv!, message: `${verb[step.movement as keyof typeof verb]} ${to.name}` };
}

/** Check-out by scan: to a person or department, due back at the given time or after the loan period. */
export async function checkOutChart(
  deps: ChartDeps,
  actor: Actor,
  input: { barcode: string; to: Destination; dueBackAt?: string | null | undefined },
): Promise<ScanResult> {
  const list = await trackingScope(deps, actor);
  const due = input.dueBackAt ? new Date(input.dueBackAt) : null;
  return deps.db.transaction().execute(async (trx) => {
    const chart = await chartOfCode(trx, list, input.barcode);
    const to = await borrowerLocation(trx, deps, actor, input.to);
    return moveChartInTx(trx, deps, list, actor, chart, { action: 'check_out', to, dueBackAt: due });
  });
}

/** Check-in by scan: the chart goes back to its home location (a second scan of a chart that is in changes nothing). */
export async function checkInChart(deps: ChartDeps, actor: Actor, input: { barcode: string }): Promise<ScanResult> {
  const list = await trackingScope(deps, actor);
  return deps.db.transaction().execute(async (trx) => {
    const chart = await chartOfCode(trx, list, input.barcode);
    return moveChartInTx(trx, deps, list, actor, chart, { action: 'check_in', to: null });
  });
}

/** Files a chart that is in somewhere else (another shelf, an off-site box), which becomes its home. */
export async function relocateChart(deps: ChartDeps, actor: Actor, input: { barcode: string; locationId: string }): Promise<ScanResult> {
  const list = await trackingScope(deps, actor);
  return deps.db.transaction().execute(async (trx) => {
    const chart = await chartOfCode(trx, list, input.barcode);
    const to = await activeLocation(trx, input.locationId, 'locationId');
    if (!isFilingPlace(to.kind)) throw invalid('locationId: a chart is filed on a file-room shelf or in an off-site box');
    return moveChartInTx(trx, deps, list, actor, chart, { action: 'relocate', to });
  });
}

/** The paper charts of these patients, for the request queue (where to pull each volume). */
export async function chartsOfPatients(
  db: Db,
  list: ListScope,
  patientIds: readonly string[],
  now: Date,
): Promise<Map<string, ChartView[]>> {
  const views = await chartViews(db, await repo.listChartsOfPatients(db, list, patientIds), now);
  const out = new Map<string, ChartView[]>();
  for (const v of views) out.set(v.patientId, [...(out.get(v.patientId) ?? []), v]);
  return out;
}
