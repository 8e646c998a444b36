import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { insertUserFor, makeActor, makeDeps, makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { Role } from '../access/index.js';
import { queryAuditEvents } from '../audit/index.js';
import { cancelEncounter, createEncounter, listEncounters, searchEncounters, updateEncounter } from './encounters.service.js';
import { breakGlass, createPatient } from './patients.service.js';

describe.each(engines)('encounters on %s', (engine) => {
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

  it('corrects an encounter, keeps the account number unique per facility, and refuses a discharge before admission', async () => {
    const { id } = await createPatient(deps, clerk, makePatientInput());
    const e = await createEncounter(deps, clerk, id, { accountNumber: 'A-1', type: 'observation', admitAt: '2026-02-01T10:00:00Z' });
    await expect(
      createEncounter(deps, clerk, id, { accountNumber: 'A-1', type: 'outpatient', admitAt: '2026-02-02T10:00:00Z' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    const changed = await updateEncounter(deps, clerk, id, e.id, {
      type: 'inpatient',
      dischargeAt: '2026-02-04T12:00:00Z',
      dischargeStatus: '06',
    });
    expect(changed).toMatchObject({
      type: 'inpatient',
      status: 'discharged',
      dischargeAt: '2026-02-04T12:00:00.000Z',
      dischargeStatus: '06',
    });
    await expect(updateEncounter(deps, clerk, id, e.id, { dischargeAt: '2026-01-01T00:00:00Z' })).rejects.toMatchObject({
      code: 'invalid',
    });
    const reopened = await updateEncounter(deps, clerk, id, e.id, { dischargeAt: null, dischargeStatus: null });
    expect(reopened).toMatchObject({ status: 'active', dischargeAt: null });
    await expect(updateEncounter(deps, coder, id, e.id, { type: 'outpatient' })).rejects.toMatchObject({ code: 'forbidden' });
    const audit = await queryAuditEvents(t.db, { action: 'update' });
    expect(audit.map((a) => a.detail)).toEqual([
      expect.objectContaining({ fields: expect.arrayContaining(['type', 'discharge_at', 'discharge_status', 'status']) }),
      expect.objectContaining({ fields: expect.arrayContaining(['discharge_at', 'status']) }),
    ]);
  });

  it('cancels an encounter registered in error and keeps it, then finds encounters by status and dates', async () => {
    const a = await createPatient(deps, clerk, makePatientInput());
    const b = await createPatient(deps, clerk, makePatientInput({ familyName: 'Roe', restricted: true, restrictionReason: 'VIP' }));
    const e1 = await createEncounter(deps, clerk, a.id, { accountNumber: 'A-1', type: 'inpatient', admitAt: '2026-02-01T10:00:00Z' });
    await createEncounter(deps, clerk, a.id, {
      accountNumber: 'A-2',
      type: 'emergency',
      admitAt: '2026-02-03T22:00:00Z',
      dischargeAt: '2026-02-04T02:00:00Z',
      dischargeStatus: '01',
    });
    await insertUserFor(t, clerk);
    await breakGlass(deps, clerk, b.id, 'Registering the admission of a VIP');
    await createEncounter(deps, clerk, b.id, { accountNumber: 'B-1', type: 'inpatient', admitAt: '2026-02-02T08:00:00Z' });
    const cancelled = await cancelEncounter(deps, clerk, a.id, e1.id, 'registered on the wrong patient');
    expect(cancelled.status).toBe('cancelled');
    await expect(updateEncounter(deps, clerk, a.id, e1.id, { type: 'outpatient' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await listEncounters(deps, coder, a.id)).map((e) => [e.accountNumber, e.status])).toEqual([
      ['A-2', 'discharged'],
      ['A-1', 'cancelled'],
    ]);
    await expect(listEncounters(deps, coder, b.id)).rejects.toMatchObject({ code: 'break_glass_required' });

    // The restricted stay matches "active", but a row found by what it hides would reveal it: left out for the coder.
    expect(await searchEncounters(deps, coder, { status: 'active', limit: 100 })).toEqual([]);
    expect(await searchEncounters(deps, clerk, { status: 'active', limit: 100 })).toEqual([
      expect.objectContaining({ accountNumber: 'B-1', restricted: true, familyName: 'Roe', status: 'active' }),
    ]);
    // By its account number the coder learns that it exists and whose it is, nothing more.
    expect(await searchEncounters(deps, coder, { accountNumber: 'B-1', limit: 100 })).toEqual([
      expect.objectContaining({
        accountNumber: 'B-1',
        restricted: true,
        familyName: 'Roe',
        type: '',
        status: '',
        admitAt: '',
        payerName: null,
      }),
    ]);
    const feb3 = await searchEncounters(deps, coder, { admittedFrom: '2026-02-03', admittedTo: '2026-02-03', limit: 100 });
    expect(feb3.map((e) => e.accountNumber)).toEqual(['A-2']);
    const discharged = await searchEncounters(deps, coder, { dischargedFrom: '2026-02-04', dischargedTo: '2026-02-04', limit: 100 });
    expect(discharged.map((e) => e.accountNumber)).toEqual(['A-2']);
    expect(JSON.stringify(await queryAuditEvents(t.db, { action: 'search' }))).not.toContain('2026-02-03');
  });
});
