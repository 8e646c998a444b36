import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCliDeps } from '../../src/cli/shared.js';
import { Role, systemActor } from '../../src/modules/access/index.js';
import { createPatient, insertFacility } from '../../src/modules/patients/index.js';
import { addTemplates, bookAppointment, createAppointmentType, createResource } from '../../src/modules/scheduling/index.js';
import { runCli } from '../support/cli.js';
import { engines } from '../support/databases.js';
import { FACILITY_ID, makePatientInput } from '../support/factories.js';
import { processDatabaseUrl } from '../support/process-databases.js';

describe.each(engines)('custodian scheduling request-charts on %s', (engine) => {
  let dir: string;
  let db: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-scheduling-cli-'));
    db = await processDatabaseUrl(engine, dir, 'scheduling_cli');
  });
  afterAll(async () => {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("requests the charts of the day's appointments once, and refuses a date that is not one", async () => {
    const { deps, modules, close } = await openCliDeps({ database: db.url });
    try {
      const clerk = { ...systemActor('test'), role: Role.himClerk };
      const s = modules.scheduling;
      await insertFacility(deps.db, {
        id: FACILITY_ID,
        name: 'Test',
        mrn_prefix: '',
        next_mrn: 1000001,
        created_at: '2026-01-01T00:00:00.000Z',
      });
      const dr = await createResource(s, clerk, { kind: 'provider', code: 'DRC', name: 'Dr C', timeZone: 'America/New_York' });
      await addTemplates(s, clerk, dr.id, [{ weekday: 1, start: '09:00', end: '12:00', slotMinutes: 30, validFrom: '2026-01-01' }]);
      const type = await createAppointmentType(s, clerk, {
        code: 'FU',
        name: 'Follow-up',
        durationMinutes: 30,
        resourceKinds: ['provider'],
      });
      for (const start of ['2026-03-09T13:00:00Z', '2026-03-09T14:00:00Z']) {
        const p = await createPatient(deps, clerk, makePatientInput({ familyName: `Cli${start.slice(11, 13)}` }));
        await bookAppointment(s, clerk, { patientId: p.id, typeId: type.id, resourceIds: [dr.id], start });
      }
    } finally {
      await close();
    }
    const args = ['scheduling', 'request-charts', '--date', '2026-03-09', '--zone', 'America/New_York', '--database', db.url];
    const first = await runCli(args);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toBe('2026-03-09: 2 appointments, 2 charts requested, 0 already requested, 0 failed\n');
    const again = await runCli(args);
    expect(again.out).toBe('2026-03-09: 2 appointments, 0 charts requested, 2 already requested, 0 failed\n');
    const bad = await runCli(['scheduling', 'request-charts', '--date', '9 March', '--database', db.url]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('--date must be YYYY-MM-DD');
  });
});
