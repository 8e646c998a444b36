import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/server.js';
import { verifyAuditChain } from '../../src/modules/audit/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { makeFacility, makePatientInput } from '../support/factories.js';
import { makeAppDeps, signIn, TEST_PASSWORD, type SignedIn } from '../support/sessions.js';

/**
 * Text that SQLite and PostgreSQL would store altered (a lone surrogate reads back as U+FFFD) or not at all (NUL in
 * PostgreSQL text) is refused at the HTTP edge, before any handler runs, so it never reaches the audit chain or a record.
 */
describe.each(engines)('invalid text at the HTTP edge on %s', (engine) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let deps: ReturnType<typeof makeAppDeps>;
  let clerk: SignedIn, auditor: SignedIn;
  const h = (s: SignedIn) => ({ cookie: s.cookie, 'x-csrf-token': s.csrfToken });
  const auditCount = async () =>
    Number(
      (
        await t.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    deps = makeAppDeps(t);
    await makeFacility(t);
    app = await buildApp(deps);
    [clerk, auditor] = [await signIn(app, deps, 'him_clerk'), await signIn(app, deps, 'auditor')];
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  it('answers 400 to a sign-in with a lone surrogate in the username and writes nothing to the audit log', async () => {
    const before = await auditCount();
    // The JSON escape as a client sends it: JSON.parse turns it into a lone surrogate.
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":"\\ud800","password":"whatever"}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({
      code: 'invalid',
      detail: 'body.username: contains invalid Unicode (a lone surrogate)',
      errors: [{ field: 'body.username', message: 'contains invalid Unicode (a lone surrogate)' }],
    });
    expect(await auditCount()).toBe(before);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('answers 400 naming the field to a registration with a lone surrogate in the family name, and stores no patient', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/patients',
      headers: h(clerk),
      payload: makePatientInput({ familyName: 'Do\uDC00e' }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'invalid',
      errors: [{ field: 'body.familyName', message: 'contains invalid Unicode (a lone surrogate)' }],
    });
    expect(await t.db.selectFrom('patients').select('id').execute()).toEqual([]);
  });

  it('refuses NUL in a nested body field, a query string and a route parameter', async () => {
    const aliased = await app.inject({
      method: 'POST',
      url: '/api/patients',
      headers: h(clerk),
      payload: makePatientInput({ aliases: [{ use: 'maiden', familyName: 'Ro\u0000e', givenName: 'Jane' }] } as never),
    });
    expect(aliased.json()).toMatchObject({ code: 'invalid', detail: 'body.aliases.0.familyName: contains a NUL character (U+0000)' });
    const query = await app.inject({ method: 'GET', url: '/api/audit/events?patientId=%00', headers: h(auditor) });
    expect(query.statusCode).toBe(400);
    expect(query.json()).toMatchObject({ code: 'invalid', errors: [{ field: 'querystring.patientId' }] });
    const param = await app.inject({ method: 'GET', url: '/api/patients/%00', headers: h(clerk) });
    expect(param.statusCode).toBe(400);
    expect(param.json()).toMatchObject({ code: 'invalid', errors: [{ field: 'params.id' }] });
  });

  it('answers a path that is not UTF-8 with problem+json', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/patients/%ED%A0%80', headers: h(clerk) });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('still asks who is calling first: no session answers 401, whatever the body holds', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/patients', payload: makePatientInput({ familyName: '\uD800' }) });
    expect(res.statusCode).toBe(401);
  });

  it('records a User-Agent with a lone surrogate and control characters in a storable form, and the chain holds', async () => {
    const s = await signIn(app, deps, 'coder');
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'user-agent': 'Agent\uD800/1\u0000.0' },
      payload: { username: s.username, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const last = await t.db.selectFrom('audit_events').select(['action', 'user_agent']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(last).toEqual({ action: 'login', user_agent: 'Agent\uFFFD/1.0' });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('over a real socket: Node refuses a NUL byte in a header, and reads other bytes as Latin-1, which the chain keeps', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const send = (head: Buffer, body = '') =>
      new Promise<string>((resolve, reject) => {
        const c = connect(port, '127.0.0.1', () =>
          c.write(
            Buffer.concat([
              head,
              Buffer.from(
                `\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
              ),
            ]),
          ),
        );
        let got = '';
        c.on('data', (d: Buffer) => (got += d.toString('latin1')));
        c.on('close', () => resolve(got));
        c.on('error', reject);
      });
    const s = await signIn(app, deps, 'coder');
    const body = JSON.stringify({ username: s.username, password: TEST_PASSWORD });
    const before = await auditCount();
    const nul = await send(Buffer.from('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nUser-Agent: a\u0000b', 'latin1'), body);
    expect(nul).toMatch(/^HTTP\/1\.1 400 /);
    expect(await auditCount()).toBe(before);
    // ED A0 80 is what a careless encoder makes of U+D800; the parser reads the bytes as Latin-1 (three characters).
    const surrogateBytes = await send(
      Buffer.concat([Buffer.from('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nUser-Agent: a'), Buffer.from([0xed, 0xa0, 0x80])]),
      body,
    );
    expect(surrogateBytes).toMatch(/^HTTP\/1\.1 200 /);
    const last = await t.db.selectFrom('audit_events').select(['action', 'user_agent']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(last).toEqual({ action: 'login', user_agent: 'a\u00ed\u00a0' });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});
