import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { insertUserFor, makeActor, makeDeps, makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { Role } from '../access/index.js';
import { queryAuditEvents, verifyAuditChain } from '../audit/index.js';
import {
  breakGlass,
  createPatient,
  getPatientSummary,
  listBreakGlass,
  reviewBreakGlass,
  searchPatients,
  setRestriction,
} from './patients.service.js';
import { createEncounter } from './encounters.service.js';
import { formatMrn, isValidMrn, parsePatientQuery } from './patients.rules.js';

describe('patient rules', () => {
  it.each([[1000001], [42], [9999999]])('gives MRN %i a valid Luhn check digit', (seq) => {
    const mrn = formatMrn(seq);
    expect(mrn).toHaveLength(8);
    expect(isValidMrn(mrn)).toBe(true);
  });
  it('rejects an MRN with one digit mistyped', () => {
    const mrn = formatMrn(1000123);
    const typo = mrn.slice(0, 3) + String((Number(mrn[3]) + 1) % 10) + mrn.slice(4);
    expect(isValidMrn(typo)).toBe(false);
  });
  it.each([
    ['Doe, Jane', { kind: 'name', family: 'Doe', given: 'Jane' }],
    ['Jane Doe', { kind: 'name', family: 'Doe', given: 'Jane' }],
    ['doe', { kind: 'name', family: 'doe' }],
    ['10000011', { kind: 'mrn', mrn: '10000011' }],
    ['5/17/1970', { kind: 'dob', dateOfBirth: '1970-05-17' }],
    ['Doe 1970-05-17', { kind: 'name', family: 'Doe', dateOfBirth: '1970-05-17' }],
    ['%', { kind: 'name', family: '%' }],
    [',', null],
    [', Jane', null],
    ['  ', null],
  ])('reads the search %j', (q, expected) => {
    expect(parsePatientQuery(q)).toEqual(expected);
  });
});

describe.each(engines)('patients service on %s', (engine) => {
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

  it('registers patients with sequential MRNs, stores the SSN encrypted and shows it masked', async () => {
    const a = await createPatient(deps, clerk, makePatientInput({ ssn: '999-12-3456' }));
    const b = await createPatient(deps, clerk, makePatientInput({ givenName: 'John', sex: 'M' }));
    expect(isValidMrn(a.mrn) && isValidMrn(b.mrn)).toBe(true);
    expect(Number(b.mrn.slice(0, -1))).toBe(Number(a.mrn.slice(0, -1)) + 1);
    const row = await t.db.selectFrom('patients').select(['ssn_encrypted', 'ssn_last4']).where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row.ssn_encrypted).not.toContain('3456');
    expect(deps.cipher.decrypt(row.ssn_encrypted!)).toBe('999-12-3456');
    const s = await getPatientSummary(deps, coder, a.id);
    expect(s.patient.ssnMasked).toBe('***-**-3456');
  });

  it('finds patients by name in either order, by MRN and by date of birth', async () => {
    const { id, mrn } = await createPatient(deps, clerk, makePatientInput());
    await createPatient(deps, clerk, makePatientInput({ familyName: 'Roe', givenName: 'Richard', sex: 'M', dateOfBirth: '1980-01-01' }));
    for (const q of ['Doe, Jane', 'jane doe', 'DO', mrn, '1970-05-17']) {
      expect(
        (await searchPatients(deps, coder, q)).map((p) => p.id),
        q,
      ).toEqual([id]);
    }
  });

  it('finds SMITH, James as registration matching does: sound-alike, nickname, transposed; exact prefixes first', async () => {
    const { id } = await createPatient(deps, clerk, makePatientInput({ familyName: 'Smith', givenName: 'James', sex: 'M' }));
    const smithers = await createPatient(deps, clerk, makePatientInput({ familyName: 'Smithers', givenName: 'Jim', sex: 'M' }));
    await createPatient(deps, clerk, makePatientInput({ familyName: 'Jones', givenName: 'Robert', sex: 'M' }));
    for (const q of ['smyth', 'jim smith', 'Smith, Jimmy', 'james smith', 'smith james']) {
      expect(
        (await searchPatients(deps, coder, q)).map((p) => p.id),
        q,
      ).toContain(id);
    }
    expect((await searchPatients(deps, coder, 'jim smith')).map((p) => p.id)).toEqual([smithers.id, id]);
    expect(await searchPatients(deps, coder, 'jones, james')).toEqual([]);
  });

  it('matches LIKE wildcards and the escape character in a name search literally', async () => {
    const ids: Record<string, string> = {};
    for (const familyName of ['Doe', 'Roe', 'Under_score', 'Back\\slash', '50%Off']) {
      ids[familyName] = (
        await createPatient(
          deps,
          clerk,
          makePatientInput({ familyName, aliases: [{ use: 'alias', familyName: `${familyName}-alias`, givenName: 'Jane' }] }),
        )
      ).id;
    }
    const found = async (q: string) => (await searchPatients(deps, coder, q, 100)).map((p) => p.familyName).sort();
    expect(await found('%')).toEqual([]);
    expect(await found('_oe')).toEqual([]);
    expect(await found('%, Jane')).toEqual([]);
    expect(await found('under_')).toEqual(['Under_score']);
    expect(await found('back\\')).toEqual(['Back\\slash']);
    expect(await found('back\\%')).toEqual([]);
    expect(await found('50%')).toEqual(['50%Off']);
    expect(await found('doe-alias')).toEqual(['Doe']);
    await expect(searchPatients(deps, coder, ',')).rejects.toMatchObject({ code: 'invalid' });
  });

  it('audits reads and writes with the patient id and never the search text', async () => {
    const { id } = await createPatient(deps, clerk, makePatientInput());
    await searchPatients(deps, coder, 'Doe');
    await getPatientSummary(deps, coder, id);
    const events = await queryAuditEvents(t.db, {});
    expect(events.map((e) => [e.action, e.username])).toEqual([
      ['create', clerk.username],
      ['search', coder.username],
      ['read', coder.username],
    ]);
    expect(events[2]).toMatchObject({ patientId: id, resourceType: 'patient', outcome: 'success' });
    expect(JSON.stringify(events)).not.toMatch(/Doe|Jane/);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('answers not found for a missing patient', async () => {
    await expect(getPatientSummary(deps, coder, 'no-such-id')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('denies and audits a role without the permission', async () => {
    const admin = makeActor(Role.administrator);
    await expect(searchPatients(deps, admin, 'Doe')).rejects.toMatchObject({ code: 'forbidden' });
    const denied = await queryAuditEvents(t.db, { action: 'access_denied' });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ userId: admin.userId, outcome: 'denied', detail: { permission: 'patient:search' } });
  });

  it('needs break-the-glass with a reason for a restricted record, grants it to that user only, and lists it for review', async () => {
    await insertUserFor(t, coder);
    await insertUserFor(t, clerk);
    const { id } = await createPatient(deps, clerk, makePatientInput({ restricted: true, restrictionReason: 'VIP' }));
    // Adding a visit is a use of the record like reading it: the clerk breaks the glass first.
    const visit = { accountNumber: 'A1', type: 'inpatient', admitAt: '2026-02-01T10:00:00Z' } as const;
    await expect(createEncounter(deps, clerk, id, visit)).rejects.toMatchObject({ code: 'break_glass_required' });
    await breakGlass(deps, clerk, id, 'Registering the inpatient admission');
    await createEncounter(deps, clerk, id, visit);
    const listed = await searchPatients(deps, coder, 'Doe');
    expect(listed[0]).toMatchObject({ restricted: true, dateOfBirth: null });
    await expect(getPatientSummary(deps, coder, id)).rejects.toMatchObject({ code: 'break_glass_required' });
    await expect(breakGlass(deps, coder, id, 'short')).rejects.toMatchObject({ code: 'invalid' });
    await breakGlass(deps, coder, id, 'Coding the inpatient stay for DNFB');
    const s = await getPatientSummary(deps, coder, id);
    expect(s.encounters).toHaveLength(1);
    const other = makeActor(Role.coder);
    await expect(getPatientSummary(deps, other, id)).rejects.toMatchObject({ code: 'break_glass_required' });
    // The grant expires after a few hours.
    deps.clock.advance(5 * 3600_000);
    await expect(getPatientSummary(deps, coder, id)).rejects.toMatchObject({ code: 'break_glass_required' });

    const director = makeActor(Role.himDirector);
    const review = await listBreakGlass(deps, director, { unreviewedOnly: true });
    expect(review.map((g) => [g.userId, g.reason]).sort()).toEqual(
      [
        [coder.userId, 'Coding the inpatient stay for DNFB'],
        [clerk.userId, 'Registering the inpatient admission'],
      ].sort(),
    );
    for (const g of review) await reviewBreakGlass(deps, director, g.id, 'appropriate');
    expect(await listBreakGlass(deps, director, { unreviewedOnly: true })).toEqual([]);
    expect((await queryAuditEvents(t.db, { action: 'break_glass' }))[0]).toMatchObject({ patientId: id, purposeOfUse: 'ETREAT' });
  });

  it('lets the HIM director restrict a record and lift the restriction', async () => {
    const { id } = await createPatient(deps, clerk, makePatientInput());
    const director = makeActor(Role.himDirector);
    await insertUserFor(t, director);
    await setRestriction(deps, director, id, true, 'Employee');
    await expect(getPatientSummary(deps, coder, id)).rejects.toMatchObject({ code: 'break_glass_required' });
    await expect(setRestriction(deps, coder, id, false, null)).rejects.toMatchObject({ code: 'forbidden' });
    // Lifting a restriction would otherwise be a way round break-the-glass: the director opens the record first.
    await expect(setRestriction(deps, director, id, false, null)).rejects.toMatchObject({ code: 'break_glass_required' });
    await breakGlass(deps, director, id, 'Employee has left; restriction review');
    await setRestriction(deps, director, id, false, null);
    expect((await getPatientSummary(deps, coder, id)).patient.restricted).toBe(false);
  });
});
