import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js';
import { makeAppDeps } from '../../../test/support/sessions.js';
import { documentsDepsOf } from '../../app/modules.js';
import { Role, systemActor } from '../access/index.js';
import { createDocumentsService } from '../documents/index.js';
import { clockPolicyFor, listRoiRequests } from '../roi/index.js';
import { seedDemo } from './index.js';

describe('demo release of information', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
  });
  afterEach(() => t.dispose());

  it('logs an attorney request with a valid authorization (164.508) and a patient access request near its 30 days (164.524(b)(2))', async () => {
    const deps = makeAppDeps(t, { config: { documentsDir: path.join(os.tmpdir(), `custodian-demo-roi-${process.pid}`) } });
    await seedDemo(deps, { patients: 5 });
    const roi = {
      ...deps,
      documents: createDocumentsService(documentsDepsOf(deps)),
      pdftoppmPath: deps.config.pdftoppmPath,
      roiClockPolicy: clockPolicyFor(deps.config.roiAccessDays, deps.config.roiAccessExtensionDays),
    };
    const clerk = { ...systemActor('test'), role: Role.himClerk };
    const items = await listRoiRequests(roi, clerk, { status: 'open' });
    const attorney = items.find((r) => r.requesterType === 'attorney');
    const patient = items.find((r) => r.requesterType === 'patient');
    expect(attorney?.authorizationDefects).toEqual([]);
    expect(attorney?.blockers).toEqual([]);
    expect(patient?.clock).toMatchObject({ daysLeft: 3, state: 'escalated' });
  }, 120_000);
});
