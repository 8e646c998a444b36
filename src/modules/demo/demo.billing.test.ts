import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js';
import { makeAppDeps } from '../../../test/support/sessions.js';
import { buildModuleDeps } from '../../app/modules.js';
import { Role, systemActor } from '../access/index.js';
import { arAgeing, denialsWorklist, listClaims } from '../claims/index.js';
import { seedDemo } from './index.js';

describe('demo billing', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
  });
  afterEach(() => t.dispose());

  it('final-codes stays with coverages and charges: claims ready to release, three released, two answered by an 835', async () => {
    const deps = makeAppDeps(t, { config: { documentsDir: path.join(os.tmpdir(), `custodian-demo-billing-${process.pid}`) } });
    await seedDemo(deps, { patients: 12, billing: true });
    const claims = buildModuleDeps(deps).claims;
    const biller = { ...systemActor('test'), role: Role.himDirector };
    const all = await listClaims(claims, biller);
    expect(all.filter((c) => c.status === 'ready' && c.kind === '837I').length).toBeGreaterThan(0);
    expect(all.filter((c) => c.status === 'ready' && c.kind === '837P').length).toBeGreaterThan(0);
    expect(all.filter((c) => c.status === 'released')).toHaveLength(3);
    expect(all.every((c) => c.drg === null || /^\d{3}$/.test(c.drg))).toBe(true);
    expect((await denialsWorklist(claims, biller)).map((d) => [d.group, d.reasons[0]?.reason])).toEqual([['CO', '50']]);
    const ar = await arAgeing(claims, biller, deps.clock.now().toISOString().slice(0, 10));
    expect(ar.reduce((s, p) => s + p.claims, 0)).toBe(1);
  }, 120_000);
});
