/**
 * SQL of remittance posting (tables of migration 0022). Postings and acknowledgements hang off a claim id; reading or
 * writing one claim's rows takes the RecordScope of its record (the claim is checked to belong to it); reads across
 * patients take a ListScope. Files, payments, PLBs and the unmatched queue carry no patient data.
 */
import type { Db } from '../../db/database.js';
import type {
  ClaimAcknowledgementTable,
  RemittanceFileTable,
  RemittancePostingTable,
  RemittanceProviderAdjustmentTable,
  RemittanceTable,
  RemittanceUnmatchedTable,
} from '../../db/schema-remittance.js';
import type { ListScope, RecordScope } from '../access/index.js';

export const findFileByHash = (db: Db, sha256: string) =>
  db.selectFrom('remittance_files').select(['id', 'received_at']).where('sha256', '=', sha256).executeTakeFirst();
export const insertFile = (db: Db, row: RemittanceFileTable) => db.insertInto('remittance_files').values(row).execute();
export const insertRemittance = (db: Db, row: RemittanceTable) => db.insertInto('remittances').values(row).execute();
export const insertProviderAdjustment = (db: Db, row: RemittanceProviderAdjustmentTable) =>
  db.insertInto('remittance_provider_adjustments').values(row).execute();
export const insertUnmatched = (db: Db, row: RemittanceUnmatchedTable) => db.insertInto('remittance_unmatched').values(row).execute();

/** Released claims (or ones being replaced) with these patient control numbers (ids, patients, charges: what matching needs). */
export async function findReleasedClaimsByControlNumber(db: Db, _list: ListScope, pcns: readonly string[]) {
  const out = [];
  // In chunks: a large 835 names thousands of claims, more than one statement's bound parameters should carry.
  for (let i = 0; i < pcns.length; i += 500)
    out.push(
      ...(await db
        .selectFrom('claims')
        .select(['id', 'patient_id', 'encounter_id', 'patient_control_number', 'total_cents', 'transaction_control_number'])
        // A claim whose replacement is not released yet still takes the payer's answers to what was sent.
        .where((eb) => eb.or([eb('status', '=', 'released'), eb('prior_submissions', '!=', '[]')]))
        .where('patient_control_number', 'in', pcns.slice(i, i + 500))
        .execute()),
    );
  return out;
}

/** Released claims of one 837 transaction set (ISA13 and ST02), for a 999 acknowledging it. */
export async function findReleasedClaimsOfTransaction(db: Db, _list: ListScope, isa13: string, st02: string) {
  // ISA13 is stored as written (nine digits); a 999 names the group (GS06) without the leading zeros.
  const rows = await db
    .selectFrom('claims')
    .select(['id', 'patient_id', 'encounter_id', 'patient_control_number', 'interchange_control_number'])
    .where('status', '=', 'released')
    .where('transaction_control_number', '=', st02)
    .execute();
  return rows.filter((r) => Number(r.interchange_control_number) === Number(isa13));
}

async function claimOfScope(db: Db, scope: RecordScope, claimId: string): Promise<boolean> {
  const r = await db
    .selectFrom('claims')
    .select('id')
    .where('patient_id', '=', scope.patientId)
    .where('id', '=', claimId)
    .executeTakeFirst();
  return r !== undefined;
}

export async function insertPosting(db: Db, scope: RecordScope, row: RemittancePostingTable): Promise<void> {
  if (!(await claimOfScope(db, scope, row.claim_id))) throw new Error('posting of a claim of another record');
  await db.insertInto('remittance_postings').values(row).execute();
}

export const ackFileReceived = (db: Db, sha256: string) =>
  db.selectFrom('claim_acknowledgements').select('received_at').where('file_sha256', '=', sha256).executeTakeFirst();

export async function insertAcknowledgement(db: Db, scope: RecordScope, row: ClaimAcknowledgementTable): Promise<void> {
  if (!(await claimOfScope(db, scope, row.claim_id))) throw new Error('acknowledgement of a claim of another record');
  await db.insertInto('claim_acknowledgements').values(row).execute();
}

/** The latest payment or denial posting of a claim that nothing reversed yet: what a reversal undoes. */
export async function findReversiblePosting(db: Db, scope: RecordScope, claimId: string, payerClaimControlNumber: string | null) {
  let q = db
    .selectFrom('remittance_postings as p')
    .innerJoin('claims as c', 'c.id', 'p.claim_id')
    .selectAll('p')
    .where('c.patient_id', '=', scope.patientId)
    .where('p.claim_id', '=', claimId)
    .where('p.kind', 'in', ['payment', 'denial'])
    .where('p.reversed_by_posting_id', 'is', null);
  if (payerClaimControlNumber) q = q.where('p.payer_claim_control_number', '=', payerClaimControlNumber);
  return q.orderBy('p.posted_at', 'desc').orderBy('p.id', 'desc').executeTakeFirst();
}

export async function findPosting(db: Db, scope: RecordScope, id: string) {
  return db
    .selectFrom('remittance_postings as p')
    .innerJoin('claims as c', 'c.id', 'p.claim_id')
    .selectAll('p')
    .where('c.patient_id', '=', scope.patientId)
    .where('p.id', '=', id)
    .executeTakeFirst();
}

/** Where a posting is (claim and patient), to open its record. */
export const locatePosting = (db: Db, id: string) =>
  db
    .selectFrom('remittance_postings as p')
    .innerJoin('claims as c', 'c.id', 'p.claim_id')
    .select(['p.claim_id', 'c.patient_id', 'c.encounter_id', 'c.patient_control_number'])
    .where('p.id', '=', id)
    .executeTakeFirst();

export async function markReversed(db: Db, scope: RecordScope, id: string, by: string): Promise<void> {
  const p = await findPosting(db, scope, id);
  if (!p) throw new Error('posting of another record');
  await db.updateTable('remittance_postings').set({ reversed_by_posting_id: by }).where('id', '=', id).execute();
}

/** One claim's postings and acknowledgements, oldest first. */
export async function listClaimPostings(db: Db, scope: RecordScope, claimId: string) {
  return db
    .selectFrom('remittance_postings as p')
    .innerJoin('claims as c', 'c.id', 'p.claim_id')
    .selectAll('p')
    .where('c.patient_id', '=', scope.patientId)
    .where('p.claim_id', '=', claimId)
    .orderBy('p.posted_at')
    .orderBy('p.id')
    .execute();
}

export async function listClaimAcknowledgements(db: Db, scope: RecordScope, claimId: string) {
  return db
    .selectFrom('claim_acknowledgements as a')
    .innerJoin('claims as c', 'c.id', 'a.claim_id')
    .selectAll('a')
    .where('c.patient_id', '=', scope.patientId)
    .where('a.claim_id', '=', claimId)
    .orderBy('a.received_at')
    .orderBy('a.id')
    .execute();
}

/**
 * Per released claim: charge, release date, payer, and the sums of its postings (reversals are negative rows, so a
 * plain sum nets them). For A/R and the denials worklist.
 */
export async function listReleasedClaimBalances(db: Db, _list: ListScope) {
  return db
    .selectFrom('claims as c')
    .innerJoin('patients as pt', 'pt.id', 'c.patient_id')
    .innerJoin('patient_coverages as cv', 'cv.id', 'c.coverage_id')
    .innerJoin('payers as py', 'py.id', 'cv.payer_id')
    .leftJoin('remittance_postings as p', 'p.claim_id', 'c.id')
    .select((eb) => [
      'c.id',
      'c.patient_id',
      'c.patient_control_number',
      'c.total_cents',
      'c.released_at',
      'pt.restricted',
      'py.id as payer_id',
      'py.name as payer_name',
      eb.fn.count<number>('p.id').as('postings'),
      eb.fn.coalesce(eb.fn.sum<number | string>('p.paid_cents'), eb.lit(0)).as('paid'),
      eb.fn.coalesce(eb.fn.sum<number | string>('p.contractual_cents'), eb.lit(0)).as('contractual'),
      eb.fn.coalesce(eb.fn.sum<number | string>('p.patient_responsibility_cents'), eb.lit(0)).as('patient_responsibility'),
      eb.fn.coalesce(eb.fn.sum<number | string>('p.other_adjustment_cents'), eb.lit(0)).as('other'),
    ])
    .where('c.status', '=', 'released')
    .groupBy(['c.id', 'c.patient_id', 'c.patient_control_number', 'c.total_cents', 'c.released_at', 'pt.restricted', 'py.id', 'py.name'])
    .orderBy('c.released_at')
    .orderBy('c.id')
    .execute();
}

/** The postings in force (not reversed, not a reversal) of released claims, for the denials worklist. */
export async function listPostingsInForce(db: Db, _list: ListScope) {
  return db
    .selectFrom('remittance_postings as p')
    .innerJoin('claims as c', 'c.id', 'p.claim_id')
    .select(['p.id', 'p.claim_id', 'p.kind', 'p.paid_cents', 'p.adjustments', 'p.remarks', 'p.posted_at'])
    .where('c.status', '=', 'released')
    .where('p.kind', 'in', ['payment', 'denial'])
    .where('p.reversed_by_posting_id', 'is', null)
    .orderBy('p.posted_at')
    .orderBy('p.id')
    .execute();
}

export async function listUnmatched(db: Db, status: string) {
  return db
    .selectFrom('remittance_unmatched as u')
    .innerJoin('remittances as r', 'r.id', 'u.remittance_id')
    .selectAll('u')
    .select(['r.payer_name', 'r.trace'])
    .where('u.status', '=', status)
    .orderBy('u.created_at')
    .orderBy('u.id')
    .execute();
}

/** Claims by id (ids and patients only), to open their records. */
export async function findClaimsByIds(db: Db, _list: ListScope, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('claims')
    .select(['id', 'patient_id', 'encounter_id'])
    .where('id', 'in', [...ids])
    .execute();
}

export const findUnmatched = (db: Db, id: string) =>
  db.selectFrom('remittance_unmatched').selectAll().where('id', '=', id).executeTakeFirst();

export async function resolveUnmatchedRow(db: Db, id: string, set: { resolved_by: string; resolved_at: string; resolution: string }) {
  const r = await db
    .updateTable('remittance_unmatched')
    .set({ ...set, status: 'resolved' })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** A claim's postings in force (payments and denials nothing reversed) with the remittance date, oldest first. */
export async function listClaimPostingsInForce(db: Db, scope: RecordScope, claimId: string) {
  return db
    .selectFrom('remittance_postings as p')
    .innerJoin('claims as c', 'c.id', 'p.claim_id')
    .leftJoin('remittances as r', 'r.id', 'p.remittance_id')
    .select(['p.id', 'p.paid_cents', 'p.adjustments', 'p.adjudication', 'p.payer_claim_control_number', 'p.posted_at', 'r.payment_date'])
    .where('c.patient_id', '=', scope.patientId)
    .where('p.claim_id', '=', claimId)
    .where('p.kind', 'in', ['payment', 'denial'])
    .where('p.reversed_by_posting_id', 'is', null)
    .orderBy('p.posted_at')
    .orderBy('p.id')
    .execute();
}

/** One claim a queued CLP may be posted to by hand: released, or being replaced (what matching needs). */
export async function findPostableClaim(db: Db, _list: ListScope, id: string) {
  return db
    .selectFrom('claims')
    .select(['id', 'patient_id', 'encounter_id', 'patient_control_number', 'total_cents', 'transaction_control_number'])
    .where('id', '=', id)
    .where((eb) => eb.or([eb('status', '=', 'released'), eb('prior_submissions', '!=', '[]')]))
    .executeTakeFirst();
}
