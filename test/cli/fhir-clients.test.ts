import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { engines } from '../support/databases.js';
import { processDatabaseUrl } from '../support/process-databases.js';

describe.each(engines)('custodian fhir clients on %s', (engine) => {
  let dir: string;
  let db: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-fhir-cli-'));
    db = await processDatabaseUrl(engine, dir, 'fhir_cli');
  });
  afterAll(async () => {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates a secret client and prints {"clientId","clientSecret"}, and a JWKS client without a secret', async () => {
    const made = await runCli([
      'fhir',
      'clients',
      'create',
      '--name',
      'EHR feed',
      '--scope',
      'system/*.rs',
      '--json',
      '--database',
      db.url,
    ]);
    expect(made.code, made.err).toBe(0);
    const out = JSON.parse(made.out) as { clientId: string; clientSecret: string };
    expect(out.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.clientSecret.length).toBeGreaterThanOrEqual(40);
    const jwks = path.join(dir, 'jwks.json');
    fs.writeFileSync(jwks, JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-384', x: 'x', y: 'y', kid: 'k1' }] }));
    const backend = await runCli([
      'fhir',
      'clients',
      'create',
      '--name',
      'Analytics',
      '--scope',
      'system/Patient.read',
      '--jwks',
      jwks,
      '--json',
      '--database',
      db.url,
    ]);
    expect(Object.keys(JSON.parse(backend.out) as object)).toEqual(['clientId']);
    const list = await runCli(['fhir', 'clients', 'list', '--json', '--database', db.url]);
    expect(
      list.out
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { auth: string }).auth),
    ).toEqual(['secret', 'jwks']);
    expect(list.out).not.toContain(out.clientSecret);
  });

  it('refuses a scope that is not a SMART resource scope, naming it', async () => {
    const r = await runCli(['fhir', 'clients', 'create', '--name', 'x', '--scope', 'launch system/*.rs', '--database', db.url]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('launch');
  });
});
