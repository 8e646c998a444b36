/**
 * SQL of the biller's worklists (claims-work.service.ts): claims across patients with their payer, one claim's row
 * with its payer, final-coded encounters without a claim, and the denial work rows of migration 0025 (no
 * patient_id: they hang off `claims.id`; reads of one claim's rows are constrained by the scope's patient).
 */
import type { Db } from '../../db/database.js';
import type { ClaimDenialWorkTable } from '../../db/schema-remittance.js';
import type { ListScope, RecordScope } from '../access/index.js';

export interface ClaimListFilter {
  status?: string | undefined;
  kind?: string | undefined;
  payerId?: string | undefined;
}

/** Claims with payer, account and restriction flag, newest change first (at most `limit`). */
export async function listClaimRows(db: Db, _list: ListScope, f: ClaimListFilter, limit: number) {
  let q = db
    .selectFrom('claims as c')
    .innerJoin('patients as pt', 'pt.id', 'c.patient_id')
    .innerJoin('encounters as e', 'e.id', 'c.encounter_id')
    .innerJoin('patient_coverages as cv', 'cv.id', 'c.coverage_id')
    .innerJoin('payers as py', 'py.id', 'cv.payer_id')
    .select([
      'c.id',
      'c.patient_id',
      'c.encounter_id',
      'c.kind',
      'c.status',
      'c.patient_control_number',
      'c.total_cents',
      'c.statement_from',
      'c.statement_to',
      'c.drg',
      'c.findings',
      'c.released_at',
      'c.updated_at',
      'pt.restricted',
      'pt.mrn',
      'e.account_number',
      'py.id as payer_id',
      'py.name as payer_name',
    ]);
  if (f.status) q = q.where('c.status', '=', f.status);
  if (f.kind) q = q.where('c.kind', '=', f.kind);
  if (f.payerId) q = q.where('py.id', '=', f.payerId);
  return q.orderBy('c.updated_at', 'desc').orderBy('c.id').limit(limit).execute();
}

/** Claim ids among `ids` whose latest acknowledgement rejected them. */
export async function rejectedAmong(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('claim_acknowledgements')
    .select(['claim_id', 'outcome', 'received_at', 'id'])
    .where('claim_id', 'in', [...ids])
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  const last = new Map<string, string>();
  for (const r of rows) last.set(r.claim_id, r.outcome);
  return new Set([...last].filter(([, o]) => o === 'rejected').map(([id]) => id));
}

/** One claim with its payer and encounter account, through the scope. */
export async function findClaimDetail(db: Db, scope: RecordScope, id: string) {
  return db
    .selectFrom('claims as c')
    .innerJoin('encounters as e', 'e.id', 'c.encounter_id')
    .innerJoin('patient_coverages as cv', 'cv.id', 'c.coverage_id')
    .innerJoin('payers as py', 'py.id', 'cv.payer_id')
    .selectAll('c')
    .select(['e.account_number', 'e.type as encounter_type', 'py.id as payer_id', 'py.name as payer_name', 'cv.benefit_order'])
    .where('c.patient_id', '=', scope.patientId)
    .where('c.id', '=', id)
    .executeTakeFirst();
}

/** Final-coded encounters (discharged) that have no claim yet, oldest final coding first. */
export async function listUnbilledEncounters(db: Db, _list: ListScope, limit: number) {
  return db
    .selectFrom('coding_abstracts as a')
    .innerJoin('encounters as e', 'e.id', 'a.encounter_id')
    .innerJoin('patients as pt', 'pt.id', 'a.patient_id')
    .select([
      'e.id',
      'e.patient_id',
      'e.account_number',
      'e.type',
      'e.discharge_at',
      'a.final_drg',
      'a.coded_at',
      'pt.restricted',
      'pt.mrn',
      'pt.family_name',
      'pt.given_name',
    ])
    .where('a.status', '=', 'final')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('claims as c').select('c.id').whereRef('c.encounter_id', '=', 'e.id'))))
    .orderBy('a.coded_at')
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

export const insertDenialWork = (db: Db, row: ClaimDenialWorkTable) => db.insertInto('claim_denial_work').values(row).execute();

/** One claim's denial work, oldest first, through the scope. */
export async function listDenialWork(db: Db, scope: RecordScope, claimId: string) {
  return db
    .selectFrom('claim_denial_work as w')
    .innerJoin('claims as c', 'c.id', 'w.claim_id')
    .selectAll('w')
    .where('c.patient_id', '=', scope.patientId)
    .where('w.claim_id', '=', claimId)
    .orderBy('w.created_at')
    .orderBy('w.id')
    .execute();
}

/** Per claim: the latest work status, the latest note and the amounts written off (for the worklist and A/R). */
export async function denialWorkSummary(db: Db, _list: ListScope) {
  const rows = await db
    .selectFrom('claim_denial_work')
    .select(['claim_id', 'status', 'note', 'action', 'amount_cents', 'created_at', 'id'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const out = new Map<string, { status: string; note: string; writtenOffCents: number; updatedAt: string }>();
  for (const r of rows) {
    const prev = out.get(r.claim_id);
    out.set(r.claim_id, {
      status: r.status,
      note: r.note,
      writtenOffCents: (prev?.writtenOffCents ?? 0) + (r.action === 'write_off' ? (r.amount_cents ?? 0) : 0),
      updatedAt: r.created_at,
    });
  }
  return out;
}

/** Payers (reference data), by name. */
export const listPayers = (db: Db) =>
  db.selectFrom('payers').select(['id', 'name', 'payer_code', 'claim_filing_indicator']).orderBy('name').orderBy('id').execute();
