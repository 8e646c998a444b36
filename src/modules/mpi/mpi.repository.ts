/**
 * SQL of the master patient index, over the tables it owns: patient_match_keys, mpi_match_key_state,
 * mpi_duplicate_pairs, mpi_merges, mpi_merge_rows and mpi_models. Patients' tables are only read here, in joins
 * (see src/db/README.md); every row of theirs a merge moves goes through their module's merge participant.
 */
import { CompiledQuery, PostgresAdapter, sql } from 'kysely';
import { cachedSql, insertRows, type Db } from '../../db/database.js';
import type { MpiDuplicatePairTable, MpiMergeRowTable, MpiMergeTable, MpiModelTable, PatientTable } from '../../db/schema.js';
import type { ListScope } from '../access/index.js';

// --- match keys (patient_match_keys, mpi_match_key_state)

/** Removes one patient's stored match keys. */
export async function deleteMatchKeys(db: Db, patientId: string): Promise<void> {
  await db.deleteFrom('patient_match_keys').where('patient_id', '=', patientId).execute();
}

/** Removes the stored match keys of several patients (a batch of the rebuild). */
export async function deleteMatchKeysOfMany(db: Db, patientIds: readonly string[]): Promise<void> {
  await db
    .deleteFrom('patient_match_keys')
    .where('patient_id', 'in', [...patientIds])
    .execute();
}

/** Inserts match keys (SQL compiled once per row count: registration and the ADT interface insert them all day). */
export async function insertMatchKeys(db: Db, rows: { patient_id: string; key: string }[]): Promise<void> {
  await insertRows(db, 'patient_match_keys', rows);
}

/** Inserts match keys 2,000 a statement, skipping those stored already (another process rebuilding at the same moment). */
export async function insertMatchKeysIfMissing(db: Db, rows: { patient_id: string; key: string }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    await db
      .insertInto('patient_match_keys')
      .values(rows.slice(i, i + 2000))
      .onConflict((oc) => oc.columns(['patient_id', 'key']).doNothing())
      .execute();
  }
}

/** The version of the stored match keys (undefined: none recorded). */
export async function findMatchKeyVersion(db: Db): Promise<string | undefined> {
  return (await db.selectFrom('mpi_match_key_state').select('key_version').where('id', '=', 1).executeTakeFirst())?.key_version;
}

/** Records the version of the stored match keys (run in a transaction: a delete and an insert). */
export async function setMatchKeyState(db: Db, state: { key_version: string; rebuilt_at: string; patient_count: number }): Promise<void> {
  await db.deleteFrom('mpi_match_key_state').execute();
  await db
    .insertInto('mpi_match_key_state')
    .values({ id: 1, ...state })
    .execute();
}

/**
 * The unmerged patients sharing the most of these blocking keys (at most `maxCandidates`), each key reading at most
 * `maxBlock` index entries, joined to their rows, with whether each has other names to read. One statement: the
 * look-up of every registration and ADT message. It reads patients and patient_names (owned by registration) in
 * the join; engine-specific SQL with a portable twin (see src/db/README.md).
 */
export async function findCandidateRows(
  db: Db,
  keys: readonly string[],
  maxBlock: number,
  maxCandidates: number,
): Promise<(PatientTable & { has_other_names: unknown })[]> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const params: unknown[] = [];
  if (postgres) params.push(keys, maxBlock);
  else for (const k of keys) params.push(k, maxBlock);
  params.push(maxCandidates);
  const text = postgres
    ? cachedSql(db, 'mpi-candidates', () => {
        // PostgreSQL: the keys as one array parameter and a lateral join (one statement text whatever their number).
        const perKey = sql`select m.patient_id from unnest(${[]}::text[]) as k(key) cross join lateral (select patient_id from patient_match_keys where key = k.key limit ${maxBlock}) as m`;
        return sql`select p.*, exists (select 1 from patient_names n where n.patient_id = p.id) as has_other_names
      from (select patient_id, count(*) as n from (${perKey}) as hits group by patient_id order by count(*) desc, patient_id limit ${maxCandidates}) as top
      join patients p on p.id = top.patient_id where p.merged_into is null`.compile(db);
      })
    : cachedSql(db, `mpi-candidates|${keys.length}`, () => {
        const perKey = keys.map(
          (k, i) =>
            sql`select patient_id from (select patient_id from patient_match_keys where key = ${k} limit ${maxBlock}) as ${sql.raw(`k${i}`)}`,
        );
        return sql`select p.*, exists (select 1 from patient_names n where n.patient_id = p.id) as has_other_names
      from (select patient_id, count(*) as n from (${sql.join(perKey, sql` union all `)}) as hits group by patient_id order by count(*) desc, patient_id limit ${maxCandidates}) as top
      join patients p on p.id = top.patient_id where p.merged_into is null`.compile(db);
      });
  return (await db.executeQuery<PatientTable & { has_other_names: unknown }>(CompiledQuery.raw(text, params))).rows;
}

// --- fitted models (mpi_models)

/** The latest active fit (the unique index mpi_models_one_active keeps at most one active). */
export async function findActiveModel(db: Db): Promise<MpiModelTable | undefined> {
  return db
    .selectFrom('mpi_models')
    .selectAll()
    .where('active', '=', 1)
    .orderBy('fitted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The id of the fit in use (the latest active row), null when the default model is. */
export async function findActiveModelId(db: Db): Promise<string | null> {
  return (
    (
      await db
        .selectFrom('mpi_models')
        .select('id')
        .where('active', '=', 1)
        .orderBy('fitted_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst()
    )?.id ?? null
  );
}

export async function findModel(db: Db, id: string): Promise<MpiModelTable | undefined> {
  return db.selectFrom('mpi_models').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The stored fits, newest first. */
export async function listModels(db: Db, limit: number): Promise<MpiModelTable[]> {
  return db.selectFrom('mpi_models').selectAll().orderBy('fitted_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Leaves no fit active; answers how many were. */
export async function deactivateModels(db: Db): Promise<number> {
  const { numUpdatedRows } = await db.updateTable('mpi_models').set({ active: 0 }).where('active', '=', 1).executeTakeFirst();
  return Number(numUpdatedRows);
}

export async function activateModel(db: Db, id: string): Promise<void> {
  await db.updateTable('mpi_models').set({ active: 1 }).where('id', '=', id).execute();
}

export async function insertModel(db: Db, row: MpiModelTable): Promise<void> {
  await db.insertInto('mpi_models').values(row).execute();
}

// --- the potential-duplicate worklist (mpi_duplicate_pairs)

export async function findPair(db: Db, pairId: string): Promise<MpiDuplicatePairTable | undefined> {
  return db.selectFrom('mpi_duplicate_pairs').selectAll().where('id', '=', pairId).executeTakeFirst();
}

/** The pair of two records (`patientId1 < patientId2`), if listed. */
export async function findPairIdOf(db: Db, patientId1: string, patientId2: string): Promise<string | undefined> {
  return (
    await db
      .selectFrom('mpi_duplicate_pairs')
      .select('id')
      .where('patient_id_1', '=', patientId1)
      .where('patient_id_2', '=', patientId2)
      .executeTakeFirst()
  )?.id;
}

/** Updates the score of a pair that is still open (a re-screen after a change). */
export async function updateOpenPairScore(db: Db, pairId: string, score: number, weight: number): Promise<void> {
  await db.updateTable('mpi_duplicate_pairs').set({ score, weight }).where('id', '=', pairId).where('status', '=', 'open').execute();
}

export async function insertPair(db: Db, row: MpiDuplicatePairTable): Promise<void> {
  await db.insertInto('mpi_duplicate_pairs').values(row).execute();
}

export type PairResolution = Pick<MpiDuplicatePairTable, 'id' | 'status' | 'resolved_at' | 'resolved_by' | 'resolution_note' | 'merge_id'>;

/** The pairs of two records, in either order, with their resolution (what a merge changes). */
export async function listPairsBetween(db: Db, a: string, b: string): Promise<PairResolution[]> {
  return db
    .selectFrom('mpi_duplicate_pairs')
    .select(['id', 'status', 'resolved_at', 'resolved_by', 'resolution_note', 'merge_id'])
    .where((eb) =>
      eb.or([
        eb.and([eb('patient_id_1', '=', a), eb('patient_id_2', '=', b)]),
        eb.and([eb('patient_id_1', '=', b), eb('patient_id_2', '=', a)]),
      ]),
    )
    .execute();
}

/** Changes the resolution of a pair. */
export async function updatePair(db: Db, pairId: string, set: Partial<Omit<PairResolution, 'id'>>): Promise<void> {
  await db.updateTable('mpi_duplicate_pairs').set(set).where('id', '=', pairId).execute();
}

/** The current status of a pair, read in the resolving transaction. */
export async function findPairStatus(db: Db, pairId: string): Promise<string | undefined> {
  return (await db.selectFrom('mpi_duplicate_pairs').select('status').where('id', '=', pairId).executeTakeFirst())?.status;
}

/** Pairs of a status with both records' display columns (MRN, name, date of birth, sex, restriction, merge), highest score first. */
export async function listPairsWithPatients(db: Db, _list: ListScope, status: string, opts: { onlyUnmerged: boolean; limit: number }) {
  return db
    .selectFrom('mpi_duplicate_pairs as d')
    .innerJoin('patients as a', 'a.id', 'd.patient_id_1')
    .innerJoin('patients as b', 'b.id', 'd.patient_id_2')
    .selectAll('d')
    .select([
      'a.mrn as a_mrn',
      'a.family_name as a_family',
      'a.given_name as a_given',
      'a.date_of_birth as a_dob',
      'a.sex as a_sex',
      'a.restricted as a_restricted',
      'a.merged_into as a_merged',
    ])
    .select([
      'b.mrn as b_mrn',
      'b.family_name as b_family',
      'b.given_name as b_given',
      'b.date_of_birth as b_dob',
      'b.sex as b_sex',
      'b.restricted as b_restricted',
      'b.merged_into as b_merged',
    ])
    .where('d.status', '=', status)
    .$if(opts.onlyUnmerged, (q) => q.where('a.merged_into', 'is', null).where('b.merged_into', 'is', null))
    .orderBy('d.score', 'desc')
    .orderBy('d.id')
    .limit(opts.limit)
    .execute();
}

/** The most recently resolved pairs of these statuses (ids and status only). */
export async function listResolvedPairs(
  db: Db,
  statuses: readonly string[],
  limit: number,
): Promise<Pick<MpiDuplicatePairTable, 'patient_id_1' | 'patient_id_2' | 'status'>[]> {
  return db
    .selectFrom('mpi_duplicate_pairs')
    .select(['patient_id_1', 'patient_id_2', 'status'])
    .where('status', 'in', [...statuses])
    .orderBy('resolved_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

// --- merges and their journal (mpi_merges, mpi_merge_rows)

export async function insertMerge(db: Db, row: MpiMergeTable): Promise<void> {
  await db.insertInto('mpi_merges').values(row).execute();
}

export async function findMerge(db: Db, mergeId: string): Promise<MpiMergeTable | undefined> {
  return db.selectFrom('mpi_merges').selectAll().where('id', '=', mergeId).executeTakeFirst();
}

/** The two records of a merge (ids only), for opening them. */
export async function findMergeRecords(db: Db, mergeId: string): Promise<{ survivor_id: string; merged_id: string } | undefined> {
  return db.selectFrom('mpi_merges').select(['survivor_id', 'merged_id']).where('id', '=', mergeId).executeTakeFirst();
}

export async function updateMerge(
  db: Db,
  mergeId: string,
  set: Pick<MpiMergeTable, 'status' | 'unmerged_at' | 'unmerged_by'>,
): Promise<void> {
  await db.updateTable('mpi_merges').set(set).where('id', '=', mergeId).execute();
}

/** Merges, newest first; of one patient (as survivor or merged record) when `patientId` is given. */
export async function listMerges(db: Db, opts: { patientId?: string | undefined; limit: number }): Promise<MpiMergeTable[]> {
  let q = db.selectFrom('mpi_merges').selectAll();
  if (opts.patientId) q = q.where((eb) => eb.or([eb('survivor_id', '=', opts.patientId!), eb('merged_id', '=', opts.patientId!)]));
  return q.orderBy('merged_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
}

/** Merges with both records' MRN and name and the users' display names (merged_by holds the username). */
export async function listMergesNamed(db: Db, _list: ListScope, opts: { patientId?: string | undefined; limit: number }) {
  let q = db
    .selectFrom('mpi_merges as g')
    .leftJoin('patients as s', 's.id', 'g.survivor_id')
    .leftJoin('patients as m', 'm.id', 'g.merged_id')
    .leftJoin('users as u', 'u.username', 'g.merged_by')
    .leftJoin('users as v', 'v.username', 'g.unmerged_by')
    .selectAll('g')
    .select([
      's.mrn as survivor_mrn',
      's.family_name as survivor_family',
      's.given_name as survivor_given',
      'm.mrn as merged_mrn',
      'm.family_name as merged_family',
      'm.given_name as merged_given',
      'u.display_name as merged_by_name',
      'v.display_name as unmerged_by_name',
    ]);
  if (opts.patientId) q = q.where((eb) => eb.or([eb('g.survivor_id', '=', opts.patientId!), eb('g.merged_id', '=', opts.patientId!)]));
  return q.orderBy('g.merged_at', 'desc').orderBy('g.id', 'desc').limit(opts.limit).execute();
}

export async function insertMergeRows(db: Db, rows: MpiMergeRowTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('mpi_merge_rows').values(rows).execute();
}

/** A merge's journal, newest first (the order an unmerge undoes it). */
export async function listMergeRows(db: Db, mergeId: string): Promise<MpiMergeRowTable[]> {
  return db.selectFrom('mpi_merge_rows').selectAll().where('merge_id', '=', mergeId).orderBy('seq', 'desc').execute();
}
