import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeActor, makeDeps, makeFacility, makePatientInput } from '../../../test/support/factories.js';
import type { Db } from '../../db/database.js';
import { Role } from '../access/index.js';
import { queryAuditEvents, verifyAuditChain } from '../audit/index.js';
import { createEncounter, createPatient, findMatchCandidates, getPatientSummary, searchPatients, updatePatient } from '../patients/index.js';
import { ensureMatchKeysCurrent } from './matching.service.js';
import { listMerges, mergePatients, unmergePatients } from './merge.service.js';
import { getDuplicatePair, listDuplicatePairs, markNotDuplicate } from './worklist.service.js';

/** Every stored row of the given patients, in a stable order: the state a merge and unmerge must restore. */
async function snapshot(db: Db, ids: string[]) {
  const sortRows = <T extends { id?: string; key?: string }>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    patients: sortRows(await db.selectFrom('patients').selectAll().where('id', 'in', ids).execute()),
    names: sortRows(await db.selectFrom('patient_names').selectAll().where('patient_id', 'in', ids).execute()),
    identifiers: sortRows(await db.selectFrom('patient_identifiers').selectAll().where('patient_id', 'in', ids).execute()),
    insurance: sortRows(await db.selectFrom('patient_insurance').selectAll().where('patient_id', 'in', ids).execute()),
    nextOfKin: sortRows(await db.selectFrom('next_of_kin').selectAll().where('patient_id', 'in', ids).execute()),
    encounters: sortRows(await db.selectFrom('encounters').selectAll().where('patient_id', 'in', ids).execute()),
    matchKeys: sortRows(await db.selectFrom('patient_match_keys').selectAll().where('patient_id', 'in', ids).execute()),
    pairs: sortRows(await db.selectFrom('mpi_duplicate_pairs').selectAll().execute()),
  };
}

describe.each(engines)('master patient index on %s', (engine) => {
  let t: TestDatabase;
  let deps: ReturnType<typeof makeDeps>;
  const clerk = makeActor(Role.himClerk);
  const coder = makeActor(Role.coder);
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    deps = makeDeps(t);
    await makeFacility(t);
  });
  afterEach(() => t.dispose());

  const robert = () => makePatientInput({ familyName: 'Whitaker', givenName: 'Robert', middleName: 'James', sex: 'M', dateOfBirth: '1961-04-09', address: { line1: '12 Elm Street', city: 'Springfield', state: 'IL', postalCode: '62704' }, phone: '217-555-0142', ssn: '512-44-9087' });

  it.each([
    ['a nickname (Bob for Robert)', { givenName: 'Bob' }],
    ['a typo in the family name', { familyName: 'Whitacker' }],
    ['day and month of birth swapped', { dateOfBirth: '1961-09-04' }],
    ['given and family names transposed', { givenName: 'Whitaker', familyName: 'Robert' }],
    ['a one-digit typo in the year of birth', { dateOfBirth: '1971-04-09', phone: undefined }],
  ])('shows the existing record first at registration despite %s', async (_, change) => {
    const { id } = await createPatient(deps, clerk, robert());
    await createPatient(deps, clerk, makePatientInput({ familyName: 'Whitman', givenName: 'Rebecca', dateOfBirth: '1990-01-01' }));
    const { facilityId: _f, ...person } = { ...robert(), ...change };
    const hits = await findMatchCandidates(deps, clerk, person);
    expect(hits[0]?.patient.id).toBe(id);
    expect(hits[0]!.score).toBeGreaterThan(0.5);
    expect(hits.map((h) => h.patient.id)).toEqual([id]);
  });

  it('finds a patient registering under a former name kept as an alias (maiden, previous)', async () => {
    const { id } = await createPatient(deps, clerk, makePatientInput({ familyName: 'Castellano', givenName: 'Lucia', dateOfBirth: '1982-11-30', aliases: [{ use: 'maiden', familyName: 'Brennan', givenName: 'Lucia' }] }));
    const hits = await findMatchCandidates(deps, clerk, { familyName: 'Brennan', givenName: 'Lucia', dateOfBirth: '1982-11-30', sex: 'F' });
    expect(hits.map((h) => h.patient.id)).toEqual([id]);
    expect(hits[0]!.fields.familyName).toBe('exact');
  });

  it('finds no candidate for a different person and audits the lookup without PHI', async () => {
    await createPatient(deps, clerk, robert());
    const hits = await findMatchCandidates(deps, clerk, { familyName: 'Okafor', givenName: 'Chidi', dateOfBirth: '1985-12-01', sex: 'M' });
    expect(hits).toEqual([]);
    const events = await queryAuditEvents(t.db, { action: 'search' });
    expect(events.at(-1)).toMatchObject({ detail: { resultCount: 0, by: 'match' } });
    expect(JSON.stringify(events)).not.toMatch(/Okafor|Chidi/);
  });

  it('stores match keys as hashes, never the SSN in the clear', async () => {
    const { id } = await createPatient(deps, clerk, robert());
    const keys = await t.db.selectFrom('patient_match_keys').select('key').where('patient_id', '=', id).execute();
    expect(keys.length).toBeGreaterThan(5);
    expect(JSON.stringify(keys)).not.toMatch(/512449087|9087|whitaker/i);
  });

  it('puts a likely duplicate registered anyway on the worklist and shows the pair side by side', async () => {
    const a = await createPatient(deps, clerk, robert());
    const b = await createPatient(deps, clerk, { ...robert(), givenName: 'Bob', phone: '(217) 555 0142' });
    expect(b.newDuplicatePairs).toBe(1);
    const open = await listDuplicatePairs(deps, clerk);
    expect(open).toHaveLength(1);
    expect(open[0]!.patients.map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
    const detail = await getDuplicatePair(deps, clerk, open[0]!.id);
    expect(detail.comparison.find((c) => c.field === 'givenName')?.level).toBe('nickname_or_close');
    expect(detail.left.ssnMasked).toBe('***-**-9087');
    await expect(listDuplicatePairs(deps, coder)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('lets a clerk resolve a pair as not a duplicate', async () => {
    await createPatient(deps, clerk, robert());
    await createPatient(deps, clerk, { ...robert(), givenName: 'Rob' });
    const [pair] = await listDuplicatePairs(deps, clerk);
    await markNotDuplicate(deps, clerk, pair!.id, 'twins? checked with the patient');
    expect(await listDuplicatePairs(deps, clerk)).toEqual([]);
    expect(await listDuplicatePairs(deps, clerk, { status: 'not_duplicate' })).toHaveLength(1);
    await expect(markNotDuplicate(deps, clerk, pair!.id, null)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('merges everything into the survivor, keeps the old MRN as an alias, and unmerges to the exact prior state', async () => {
    const survivor = await createPatient(deps, clerk, { ...robert(), insurance: [{ payerName: 'Medicare', memberId: '1EG4-TE5-MK72' }], identifiers: [{ system: 'LAB', value: 'L-1' }], nextOfKin: [{ name: 'Ann Whitaker', relationship: 'spouse' }] });
    const other = await createPatient(deps, clerk, {
      ...robert(), givenName: 'Bob', aliases: [{ use: 'alias', familyName: 'Whittaker', givenName: 'Bobby' }],
      insurance: [{ payerName: 'Aetna', memberId: 'W123', subscriberName: 'Bob Whitaker', relationship: 'self' }], identifiers: [{ system: 'CLINIC', value: 'C-77', type: 'PI' }],
      nextOfKin: [{ name: 'Tom Whitaker', relationship: 'son', phone: '555-0100' }],
    });
    await createEncounter(deps, clerk, survivor.id, { accountNumber: 'S-1', type: 'inpatient', admitAt: '2026-01-05T10:00:00Z', dischargeAt: '2026-01-08T10:00:00Z', dischargeStatus: '01' });
    await createEncounter(deps, clerk, other.id, { accountNumber: 'O-1', type: 'emergency', admitAt: '2026-02-01T03:00:00Z' });
    await createEncounter(deps, clerk, other.id, { accountNumber: 'O-2', type: 'outpatient', admitAt: '2026-02-10T09:00:00Z' });
    const ids = [survivor.id, other.id];
    const before = await snapshot(t.db, ids);
    deps.clock.advance(60_000);

    const m = await mergePatients(deps, clerk, { survivorId: survivor.id, mergedId: other.id, reason: 'same person: SSN and DOB agree' });
    expect(m.moved).toMatchObject({ encounters: 2, patient_insurance: 1, next_of_kin: 1, patient_identifiers: 1, patient_names: 1 });
    const s = await getPatientSummary(deps, coder, survivor.id);
    expect(s.encounters.map((e) => e.accountNumber).sort()).toEqual(['O-1', 'O-2', 'S-1']);
    expect(s.identifiers).toEqual(expect.arrayContaining([{ system: 'fac-test', value: other.mrn, type: 'MR' }, { system: 'CLINIC', value: 'C-77', type: 'PI' }, { system: 'LAB', value: 'L-1', type: null }]));
    expect(s.insurance.map((i) => i.payerName).sort()).toEqual(['Aetna', 'Medicare']);
    expect(s.nextOfKin).toHaveLength(2);
    expect(s.aliases.map((a) => `${a.use}:${a.givenName}`).sort()).toEqual(['alias:Bobby', 'merged:Bob']);
    expect((await getPatientSummary(deps, coder, other.id)).patient.mergedInto).toBe(survivor.id);
    // The retired MRN finds the survivor; the merged record is no longer a search result or a match candidate.
    expect((await searchPatients(deps, coder, other.mrn)).map((p) => p.id)).toEqual([survivor.id]);
    expect((await findMatchCandidates(deps, clerk, { familyName: 'Whitaker', givenName: 'Robert', dateOfBirth: '1961-04-09' })).map((h) => h.patient.id)).toEqual([survivor.id]);
    expect(await listDuplicatePairs(deps, clerk, { status: 'merged' })).toHaveLength(1);

    deps.clock.advance(60_000);
    const u = await unmergePatients(deps, clerk, m.mergeId);
    expect(u).toMatchObject({ restored: 6, missing: 0 });
    expect(await snapshot(t.db, ids)).toEqual(before);
    await expect(unmergePatients(deps, clerk, m.mergeId)).rejects.toMatchObject({ code: 'conflict' });
    expect((await listMerges(deps, clerk, { patientId: other.id }))[0]).toMatchObject({ status: 'unmerged', unmergedBy: clerk.username });

    const audit = await queryAuditEvents(t.db, {});
    expect(audit.filter((e) => e.action === 'merge').map((e) => e.patientId).sort()).toEqual(ids.sort());
    expect(audit.filter((e) => e.action === 'unmerge')).toHaveLength(2);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it("moves an encounter's documents, coding abstract and queries with it, and back on unmerge", async () => {
    const survivor = await createPatient(deps, clerk, robert());
    const other = await createPatient(deps, clerk, { ...robert(), givenName: 'Bob' });
    const enc = await createEncounter(deps, clerk, other.id, { accountNumber: 'O-9', type: 'inpatient', admitAt: '2026-02-01T03:00:00Z', dischargeAt: '2026-02-04T03:00:00Z', dischargeStatus: '01' });
    await t.db.insertInto('encounter_documents').values({ patient_id: other.id, id: 'doc-1', encounter_id: enc.id, kind: 'discharge_summary', title: 'Discharge summary', author: null, authored_at: '2026-02-04T03:00:00Z', text: 'text' }).execute();
    const owners = async () => ({
      documents: (await t.db.selectFrom('encounter_documents').select('patient_id').where('encounter_id', '=', enc.id).execute()).map((r) => r.patient_id),
      encounter: (await t.db.selectFrom('encounters').select('patient_id').where('id', '=', enc.id).execute()).map((r) => r.patient_id),
    });
    const m = await mergePatients(deps, clerk, { survivorId: survivor.id, mergedId: other.id });
    expect(await owners()).toEqual({ documents: [survivor.id], encounter: [survivor.id] });
    await unmergePatients(deps, clerk, m.mergeId);
    expect(await owners()).toEqual({ documents: [other.id], encounter: [other.id] });
  });

  it('re-keys a moved row whose id is already used under the survivor, and restores it on unmerge', async () => {
    const a = await createPatient(deps, clerk, robert());
    const b = await createPatient(deps, clerk, makePatientInput({ familyName: 'Other' }));
    await t.db.insertInto('next_of_kin').values([{ patient_id: a.id, id: 'same-id', name: 'A kin', relationship: null, phone: null }, { patient_id: b.id, id: 'same-id', name: 'B kin', relationship: null, phone: null }]).execute();
    const before = await snapshot(t.db, [a.id, b.id]);
    const m = await mergePatients(deps, clerk, { survivorId: a.id, mergedId: b.id });
    const kin = await t.db.selectFrom('next_of_kin').selectAll().where('patient_id', '=', a.id).orderBy('name').execute();
    expect(kin.map((k) => k.name)).toEqual(['A kin', 'B kin']);
    expect(kin[1]!.id).not.toBe('same-id');
    await unmergePatients(deps, clerk, m.mergeId);
    expect(await snapshot(t.db, [a.id, b.id])).toEqual(before);
  });

  it('refuses merges that would lose track of records', async () => {
    const a = await createPatient(deps, clerk, robert());
    const b = await createPatient(deps, clerk, makePatientInput());
    const c = await createPatient(deps, clerk, makePatientInput({ familyName: 'Third' }));
    await expect(mergePatients(deps, clerk, { survivorId: a.id, mergedId: a.id })).rejects.toMatchObject({ code: 'invalid' });
    await mergePatients(deps, clerk, { survivorId: a.id, mergedId: b.id });
    await expect(mergePatients(deps, clerk, { survivorId: c.id, mergedId: b.id })).rejects.toMatchObject({ code: 'conflict' });
    await expect(mergePatients(deps, clerk, { survivorId: b.id, mergedId: c.id })).rejects.toMatchObject({ code: 'conflict' });
    await expect(updatePatient(deps, clerk, b.id, { phone: '1' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(mergePatients(deps, coder, { survivorId: a.id, mergedId: c.id })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('edits demographics, keeps the former legal name as an alias and re-indexes match keys', async () => {
    const { id } = await createPatient(deps, clerk, robert());
    await updatePatient(deps, clerk, id, { familyName: 'Whitaker-Jones', phone: null, ssn: null });
    const s = await getPatientSummary(deps, coder, id);
    expect(s.patient).toMatchObject({ familyName: 'Whitaker-Jones', phone: null, ssnMasked: null });
    expect(s.aliases).toEqual([expect.objectContaining({ use: 'previous', familyName: 'Whitaker' })]);
    expect((await searchPatients(deps, coder, 'Whitaker, Robert')).map((p) => p.id)).toEqual([id]);
    const hits = await findMatchCandidates(deps, clerk, { familyName: 'Whitaker-Jones', givenName: 'Robert', dateOfBirth: '1961-04-09' });
    expect(hits[0]?.patient.id).toBe(id);
    const update = (await queryAuditEvents(t.db, { action: 'update' })).at(-1);
    expect(update?.detail).toMatchObject({ fields: expect.arrayContaining(['family_name', 'phone', 'ssn_encrypted']) });
  });

  it('rebuilds stale stored match keys at start-up exactly as registration makes them, and only when they are stale', async () => {
    const a = await createPatient(deps, clerk, robert());
    const b = await createPatient(deps, clerk, makePatientInput({ familyName: 'Castellano', givenName: 'Lucia', dateOfBirth: '1982-11-30', aliases: [{ use: 'maiden', familyName: 'Brennan', givenName: 'Lucia' }] }));
    const c = await createPatient(deps, clerk, makePatientInput({ familyName: 'Whitaker', givenName: 'Bob', dateOfBirth: '1961-04-09', ssn: '512-44-9087' }));
    await mergePatients(deps, clerk, { survivorId: a.id, mergedId: c.id, reason: 'same person' });
    const keysOf = async () => (await t.db.selectFrom('patient_match_keys').select(['patient_id', 'key']).orderBy('patient_id').orderBy('key').execute());
    const made = await keysOf();
    expect(new Set(made.map((k) => k.patient_id))).toEqual(new Set([a.id, b.id]));

    // Keys of an earlier version: some missing, one that no longer exists, no recorded version.
    await t.db.deleteFrom('patient_match_keys').where('patient_id', '=', a.id).execute();
    await t.db.insertInto('patient_match_keys').values({ patient_id: b.id, key: 'stale-key-of-version-2' }).execute();
    const first = await ensureMatchKeysCurrent(t.db, deps);
    expect(first).toMatchObject({ rebuilt: true, patients: 2 });
    expect(await keysOf()).toEqual(made);
    expect(await t.db.selectFrom('mpi_match_key_state').select(['key_version', 'patient_count']).execute()).toEqual([{ key_version: first.keyVersion, patient_count: 2 }]);

    expect(await ensureMatchKeysCurrent(t.db, deps)).toMatchObject({ rebuilt: false });
    // Another hashing secret (a new encryption key) makes every stored key useless: rebuilt.
    const rekeyed = await ensureMatchKeysCurrent(t.db, { ...deps, config: { encryptionKey: 'a-new-encryption-key-of-32-chars!!' } });
    expect(rekeyed).toMatchObject({ rebuilt: true, patients: 2 });
    expect(rekeyed.keyVersion).not.toBe(first.keyVersion);
    const after = await keysOf();
    expect(after.length).toBe(made.length);
    expect(after.filter((k) => made.some((m) => m.key === k.key))).toEqual([]);
  });
});
