import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js';
import { makeAppDeps } from '../../../test/support/sessions.js';
import { documentsDepsOf } from '../../app/modules.js';
import { Role, systemActor } from '../access/index.js';
import { listAmendmentRequests } from '../amendments/index.js';
import { createDocumentsService } from '../documents/index.js';
import { listEligible } from '../retention/index.js';
import { seedDemo } from './index.js';

describe('demo amendments and retention', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
  });
  afterEach(() => t.dispose());

  it('logs two amendment requests (one overdue) and puts the hospital policy in force, with an outside record eligible', async () => {
    const deps = makeAppDeps(t, { config: { documentsDir: path.join(os.tmpdir(), `custodian-demo-life-${process.pid}`) } });
    await seedDemo(deps, { patients: 3 });
    const life = { ...deps, documents: createDocumentsService(documentsDepsOf(deps)) };
    const director = { ...systemActor('test'), role: Role.himDirector };
    expect(await listAmendmentRequests(life, director, { status: 'open' })).toHaveLength(2);
    expect((await listAmendmentRequests(life, director, { overdueOnly: true })).map((a) => a.clock.state)).toEqual(['overdue']);
    const eligible = await listEligible(life, director);
    expect(eligible.ruleSet.name).toContain('Custodian General policy');
    expect(eligible.items.map((i) => i.typeCode)).toEqual(['OUTSIDE']);
  }, 120_000);
});
