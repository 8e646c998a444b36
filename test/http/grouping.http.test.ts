import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config/config.js';
import { buildApp } from '../../src/app/server.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { makeAppDeps, signIn, type SignedIn } from '../support/sessions.js';

const dev = path.resolve(repoRoot, '..', 'shared', 'grouper-cases', 'dev');
const lines = (f: string) =>
  fs
    .readFileSync(path.join(dev, f), 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, 300)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('grouper and code editor over HTTP', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let coder: SignedIn;
  const claims = lines('claims.jsonl');
  const expectedGrouper = lines('expected-grouper.jsonl');
  const expectedMce = lines('expected-mce.jsonl');
  const h = () => ({ cookie: coder.cookie, 'x-csrf-token': coder.csrfToken });

  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    const deps = makeAppDeps(t);
    app = await buildApp(deps);
    coder = await signIn(app, deps, 'coder');
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  it('groups a claim as CMS did, with titles, an explanation and the MCE edits', async () => {
    // A surgical claim with secondary diagnoses, so the explanation has something to say.
    const i = claims.findIndex(
      (c, k) =>
        (c.procedures as unknown[]).length > 0 && (c.secondaryDx as unknown[]).length > 1 && expectedGrouper[k]!.medSurg === 'SURGICAL',
    );
    const res = await app.inject({ method: 'POST', url: '/api/grouper/group', headers: h(), payload: claims[i] });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ grouper: Record<string, unknown> & { explanation: unknown }; mce: Record<string, unknown> }>();
    const { id: _id, ...fields } = expectedGrouper[i]!;
    expect(body.grouper).toMatchObject(fields);
    expect(body.grouper.drgTitle).toEqual(expect.any(String));
    expect(body.grouper.explanation).toBeTruthy();
    const { id: _m, ...mce } = expectedMce[i]!;
    expect(body.mce).toMatchObject(mce);
  });

  it('answers every item of a batch, naming the field of a bad claim, and goes on', async () => {
    const batch = [claims[0], { ...claims[1], ageYears: -4 }, claims[2]];
    const res = await app.inject({ method: 'POST', url: '/api/grouper/batch', headers: h(), payload: { claims: batch } });
    const { results } = res.json<{ results: { ok: boolean; id: string; error?: string; grouper?: { finalDrg: string } }[] }>();
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ id: claims[1]!.id, error: expect.stringMatching(/^ageYears/) });
    expect(results[2]!.grouper!.finalDrg).toBe(expectedGrouper[2]!.finalDrg);
  });

  it('shows which secondary diagnosis carries the severity in the what-if list', async () => {
    const i = expectedGrouper.findIndex(
      (g) =>
        (g.secondaryDxSeverity as string[]).filter((f) => f === 'MCC').length === 1 &&
        g.severity === 'MCC' &&
        (g.secondaryDxSeverity as string[]).length >= 2,
    );
    const res = await app.inject({ method: 'POST', url: '/api/grouper/what-if', headers: h(), payload: { claim: claims[i] } });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ baseline: { finalDrg: string }; withoutSecondaryDx: { index: number; changesDrg: boolean }[] }>();
    expect(body.baseline.finalDrg).toBe(expectedGrouper[i]!.finalDrg);
    const mccIndex = (expectedGrouper[i]!.secondaryDxSeverity as string[]).indexOf('MCC');
    // Removing the only MCC never keeps an MCC-severity result; removing a NEITHER code never changes the DRG.
    for (const s of body.withoutSecondaryDx) {
      if ((expectedGrouper[i]!.secondaryDxSeverity as string[])[s.index] === 'NEITHER') expect(s.changesDrg).toBe(false);
    }
    expect(body.withoutSecondaryDx.find((s) => s.index === mccIndex)).toBeDefined();
  });

  it('rejects a claim that is not a claim, naming the field', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/mce/edit',
      headers: h(),
      payload: { ...claims[0], principalDx: { code: 'I50.9!' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'invalid', errors: [expect.objectContaining({ field: 'body.principalDx.code' })] });
  });
});
