import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeActor, makeDeps, makeFacility } from '../../../test/support/factories.js';
import { encodeMllp, isInformationalAdtEvent, MllpDecoder, SUPPORTED_ADT_EVENTS } from '../../core/hl7/index.js';
import { Role } from '../access/index.js';
import { queryAuditEvents, verifyAuditChain } from '../audit/index.js';
import { getPatientSummary, listEncounters } from '../patients/index.js';
import {
  createFacilityDirectory,
  getHl7Message,
  type FacilityDirectory,
  listHl7Messages,
  receiveHl7,
  receiveHl7Batch,
  receiveHl7Group,
  reprocessMessage,
  startMllpListener,
} from './index.js';
import { mllpSession, readAck as msa } from './hl7-session.test-support.js';

const CORPUS = path.resolve(import.meta.dirname, '../../../../shared/corpora/hl7v2');
function corpusFiles(dir = CORPUS): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? corpusFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

/** A small ADT message (v2.5.1) with the fields the tests vary. */
function adt(o: {
  trigger: string;
  control: string;
  mrn?: string;
  account?: string;
  family?: string;
  given?: string;
  dob?: string;
  pv1?: string;
  mrg?: string;
  extra?: string;
  version?: string;
}): string {
  const segs = [
    `MSH|^~\\&|REG|MAIN|CUSTODIAN|fac-test|20260301080000+0000||ADT^${o.trigger}^ADT_A01|${o.control}|P|${o.version ?? '2.5.1'}`,
    `EVN|${o.trigger}|20260301080000+0000`,
    `PID|1||${o.mrn ?? 'E100'}^^^REG^MR||${o.family ?? 'Lindqvist'}^${o.given ?? 'Astrid'}^M||${o.dob ?? '19800312'}|F|||7 Harbor Rd^^Duluth^MN^55802||218-555-0101|||||${o.account ?? ''}|471-22-9001`,
  ];
  if (o.mrg) segs.push(`MRG|${o.mrg}^^^REG^MR`);
  if (o.pv1 !== undefined) segs.push(`PV1|1|${o.pv1}`);
  if (o.extra) segs.push(o.extra);
  return segs.join('\r') + '\r';
}
describe.each(engines)('HL7 ADT interface on %s', (engine) => {
  let t: TestDatabase;
  let deps: ReturnType<typeof makeDeps> & { engine: typeof engine; facilities: FacilityDirectory };
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    deps = { ...makeDeps(t), engine, facilities: createFacilityDirectory(t.db) };
    await makeFacility(t);
  });
  afterEach(() => t.dispose());

  it('stores every corpus message raw and answers it: ADT applied or AE/AR with a reason, others acknowledged', async () => {
    const files = corpusFiles();
    expect(files.length).toBeGreaterThan(100);
    const seen: Record<string, number> = {};
    for (const [i, f] of files.entries()) {
      // Unique control ids: the corpus reuses MSG00001 across files (duplicates are tested on their own).
      const raw = fs.readFileSync(f, 'utf8').replace(/^(\uFEFF?MSH\|(?:[^|\r\n]*\|){8})[^|\r\n]*/, (_m, head: string) => `${head}C${i}`);
      const r = await receiveHl7(deps, raw, { channel: 'file' });
      const row = await t.db.selectFrom('hl7_messages').selectAll().where('id', '=', r.messageId).executeTakeFirstOrThrow();
      expect(row.raw).toBe(raw);
      const ack = msa(r.ack);
      expect(ack.code).toBe(r.ackCode);
      const name = path.relative(CORPUS, f);
      if (row.message_type === 'ADT' && (SUPPORTED_ADT_EVENTS as readonly string[]).includes(row.trigger_event ?? '')) {
        expect(['applied', 'error'], name).toContain(r.status);
        if (r.status === 'error') expect(ack.code === 'AE' && row.error_text, name).toBeTruthy();
      } else if (row.message_type === 'ADT' && isInformationalAdtEvent(row.trigger_event ?? '')) {
        expect([r.status, ack.code, ack.err], name).toEqual(['ignored', 'AA', null]);
      } else if (row.message_type === 'ADT') {
        expect([r.status, ack.code, ack.err], name).toEqual(['rejected', 'AR', '201']);
      } else if (row.message_type === 'MDM') {
        // MDM is applied (mdm.test.ts); without the documents port wired it is refused and kept, or its content is wrong.
        expect(['rejected', 'error'], name).toContain(r.status);
        expect([ack.code === r.ackCode, row.error_code !== null], name).toEqual([true, true]);
      } else if (row.message_type === 'SIU') {
        // SIU is applied to the schedule (siu.test.ts); the corpus's patients and resources are not set up here, and
        // events other than S12-S15, S17, S26 are refused (AR 201).
        if (['S12', 'S13', 'S14', 'S15', 'S17', 'S26'].includes(row.trigger_event ?? ''))
          expect([r.status, ack.code, row.error_text !== null], name).toEqual(['error', 'AE', true]);
        else expect([r.status, ack.code, ack.err], name).toEqual(['rejected', 'AR', '201']);
      } else if (row.message_type === 'DFT') {
        // DFT^P03 posts charges (billing.test.ts); the corpus's patients and chargemaster are not set up here. Other
        // DFT events (P11) are refused (AR 201).
        if (row.trigger_event === 'P03') expect([r.status, ack.code, row.error_text !== null], name).toEqual(['error', 'AE', true]);
        else expect([r.status, ack.code, ack.err], name).toEqual(['rejected', 'AR', '201']);
      } else if (row.message_type) {
        expect([r.status, ack.code], name).toEqual(['ignored', 'AA']);
      } else {
        expect([r.status, ack.code], name).toEqual(['rejected', 'AR']);
      }
      seen[r.status] = (seen[r.status] ?? 0) + 1;
    }
    expect(seen.applied).toBeGreaterThanOrEqual(30);
    expect(
      await t.db
        .selectFrom('hl7_messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toMatchObject({ n: expect.anything() });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  }, 120_000);

  it('follows a stay through preadmit, admit, transfer, cancels, discharge and update', async () => {
    const send = async (o: Parameters<typeof adt>[0]) => {
      const r = await receiveHl7(deps, adt(o));
      expect(msa(r.ack), `${o.trigger} ${o.control}`).toMatchObject({ code: 'AA', control: o.control });
      return r;
    };
    const first = await send({ trigger: 'A05', control: 'M1', account: 'V-100', pv1: 'I|4W^401^A', extra: 'PV2|||^Chest pain' });
    const patientId = (
      await t.db.selectFrom('hl7_messages').select('patient_id').where('id', '=', first.messageId).executeTakeFirstOrThrow()
    ).patient_id!;
    const clerk = makeActor(Role.himClerk);
    const visit = async () => (await listEncounters(deps, clerk, patientId))[0]!;
    expect(await visit()).toMatchObject({ accountNumber: 'V-100', status: 'preadmit', type: 'inpatient' });
    await send({ trigger: 'A01', control: 'M2', account: 'V-100', pv1: 'I|4W^401^A' });
    expect(await visit()).toMatchObject({ status: 'active', location: '4W/401/A' });
    await send({ trigger: 'A02', control: 'M3', account: 'V-100', pv1: 'I|ICU^2^B|||4W^401^A' });
    expect((await visit()).location).toBe('ICU/2/B');
    await send({ trigger: 'A12', control: 'M4', account: 'V-100', pv1: 'I|ICU^2^B|||4W^401^A' });
    expect((await visit()).location).toBe('4W/401/A');
    const pv1Discharge = 'I|4W^401^A' + '|'.repeat(33) + '03' + '|'.repeat(9) + '20260305113000+0000';
    await send({ trigger: 'A03', control: 'M5', account: 'V-100', pv1: pv1Discharge });
    expect(await visit()).toMatchObject({ status: 'discharged', dischargeAt: '2026-03-05T11:30:00.000Z', dischargeStatus: '03' });
    await send({ trigger: 'A13', control: 'M6', account: 'V-100', pv1: 'I' });
    expect(await visit()).toMatchObject({ status: 'active', dischargeAt: null, dischargeStatus: null });
    await send({ trigger: 'A08', control: 'M7', family: 'Lindqvist-Berg', given: 'Astrid' });
    const s = await getPatientSummary(deps, makeActor(Role.coder), patientId);
    expect(s.patient).toMatchObject({
      familyName: 'Lindqvist-Berg',
      ssnMasked: '***-**-9001',
      dateOfBirth: '1980-03-12',
      phone: '218-555-0101',
    });
    expect(s.identifiers).toEqual([{ system: 'REG', value: 'E100', type: 'MR' }]);
    expect(s.aliases).toEqual([expect.objectContaining({ use: 'previous', familyName: 'Lindqvist' })]);
    await send({ trigger: 'A11', control: 'M8', account: 'V-100', pv1: 'I' });
    expect((await visit()).status).toBe('cancelled');
    await send({ trigger: 'A06', control: 'M9', account: 'V-200', pv1: 'O' });
    expect((await listEncounters(deps, clerk, patientId)).find((e) => e.accountNumber === 'V-200')?.type).toBe('inpatient');
    await send({ trigger: 'A07', control: 'M10', account: 'V-200', pv1: 'I' });
    expect((await listEncounters(deps, clerk, patientId)).find((e) => e.accountNumber === 'V-200')?.type).toBe('outpatient');
  });

  it("reads the visit with the patient (by identifier or by MRN): another patient's account number is answered AE 205 and changes nothing", async () => {
    await receiveHl7(deps, adt({ trigger: 'A04', control: 'K1', mrn: 'K-P1', account: 'K-1', pv1: 'O' }));
    await receiveHl7(
      deps,
      adt({ trigger: 'A04', control: 'K2', mrn: 'K-P2', family: 'Okafor', given: 'Chidi', dob: '19700101', account: 'K-2', pv1: 'O' }),
    );
    const okafor = await t.db.selectFrom('patients').select(['id', 'mrn']).where('family_name', '=', 'Okafor').executeTakeFirstOrThrow();
    const byIdentifier = await receiveHl7(
      deps,
      adt({
        trigger: 'A02',
        control: 'K3',
        mrn: 'K-P2',
        family: 'Okafor',
        given: 'Chidi',
        dob: '19700101',
        account: 'K-1',
        pv1: 'I|ICU^1^A',
      }),
    );
    expect(msa(byIdentifier.ack)).toMatchObject({ code: 'AE', err: '205' });
    // PID-3 carrying the facility's own MRN (assigning authority = facility id) finds the record by MRN.
    const byMrn = await receiveHl7(
      deps,
      adt({
        trigger: 'A02',
        control: 'K4',
        mrn: `${okafor.mrn}^^^fac-test^MR~ZZ`,
        family: 'Okafor',
        given: 'Chidi',
        dob: '19700101',
        account: 'K-1',
        pv1: 'I|ICU^1^A',
      }),
    );
    expect(msa(byMrn.ack)).toMatchObject({ code: 'AE', err: '205' });
    const own = await receiveHl7(
      deps,
      adt({
        trigger: 'A02',
        control: 'K5',
        mrn: `${okafor.mrn}^^^fac-test^MR~ZZ`,
        family: 'Okafor',
        given: 'Chidi',
        dob: '19700101',
        account: 'K-2',
        pv1: 'I|ICU^1^A',
      }),
    );
    expect(msa(own.ack).code).toBe('AA');
    const encs = await t.db
      .selectFrom('encounters')
      .select(['account_number', 'patient_id', 'location'])
      .orderBy('account_number')
      .execute();
    expect(encs.map((e) => [e.account_number, e.patient_id === okafor.id, e.location])).toEqual([
      ['K-1', false, null],
      ['K-2', true, 'ICU/1/A'],
    ]);
  });

  it('merges with A40 (encounters move, the old identifier finds the survivor) and changes an identifier with A47', async () => {
    await receiveHl7(deps, adt({ trigger: 'A04', control: 'R1', mrn: 'E1', account: 'V-1', pv1: 'O' }));
    await receiveHl7(deps, adt({ trigger: 'A04', control: 'R2', mrn: 'E2', account: 'V-2', pv1: 'E', given: 'Astrd' }));
    const merge = await receiveHl7(deps, adt({ trigger: 'A40', control: 'R3', mrn: 'E1', mrg: 'E2' }));
    expect(msa(merge.ack).code).toBe('AA');
    const survivor = await t.db.selectFrom('patient_identifiers').select('patient_id').where('value', '=', 'E1').executeTakeFirstOrThrow();
    const encs = await t.db.selectFrom('encounters').select(['patient_id', 'account_number']).orderBy('account_number').execute();
    expect(encs).toEqual([
      { patient_id: survivor.patient_id, account_number: 'V-1' },
      { patient_id: survivor.patient_id, account_number: 'V-2' },
    ]);
    // A later message under the retired identifier updates the survivor.
    const later = await receiveHl7(deps, adt({ trigger: 'A08', control: 'R4', mrn: 'E2', given: 'Astrid' }));
    expect(
      (await t.db.selectFrom('hl7_messages').select('patient_id').where('id', '=', later.messageId).executeTakeFirstOrThrow()).patient_id,
    ).toBe(survivor.patient_id);
    // A visit event under the retired identifier: the visit read with the merged record is the survivor's now.
    const transfer = await receiveHl7(
      deps,
      adt({ trigger: 'A02', control: 'R4b', mrn: 'E2', given: 'Astrid', account: 'V-2', pv1: 'E|ER^3^B' }),
    );
    expect(msa(transfer.ack).code).toBe('AA');
    expect(
      await t.db.selectFrom('encounters').select(['patient_id', 'location']).where('account_number', '=', 'V-2').executeTakeFirstOrThrow(),
    ).toEqual({ patient_id: survivor.patient_id, location: 'ER/3/B' });
    const change = await receiveHl7(deps, adt({ trigger: 'A47', control: 'R5', mrn: 'E9', mrg: 'E1' }));
    expect(msa(change.ack).code).toBe('AA');
    const ids = await t.db
      .selectFrom('patient_identifiers')
      .select('value')
      .where('patient_id', '=', survivor.patient_id)
      .where('system', '=', 'REG')
      .orderBy('value')
      .execute();
    expect(ids.map((i) => i.value)).toEqual(['E2', 'E9']);
    const unknown = await receiveHl7(deps, adt({ trigger: 'A40', control: 'R6', mrn: 'E9', mrg: 'NOPE' }));
    expect(msa(unknown.ack)).toMatchObject({ code: 'AE', err: '204' });
  });

  it('audits an A47 identifier change (system and type, never the value) in the commit that makes it', async () => {
    await receiveHl7(deps, adt({ trigger: 'A04', control: 'I1', mrn: 'K1', account: 'K-1', pv1: 'O' }));
    const patientId = (
      await t.db.selectFrom('patient_identifiers').select('patient_id').where('value', '=', 'K1').executeTakeFirstOrThrow()
    ).patient_id;
    const before = (await queryAuditEvents(t.db, { patientId })).length;
    expect(msa((await receiveHl7(deps, adt({ trigger: 'A47', control: 'I2', mrn: 'K7', mrg: 'K1' }))).ack).code).toBe('AA');
    const events = (await queryAuditEvents(t.db, { patientId })).slice(before);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'update',
        resourceType: 'patient_identifier',
        username: 'hl7:REG',
        outcome: 'success',
        detail: expect.objectContaining({ system: 'REG', type: 'MR', change: 'replaced', source: 'hl7' }),
      }),
    ]);
    expect(JSON.stringify(events)).not.toMatch(/K1|K7/);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });

  it('receives a batch file message by message: a bad message is stored and rejected, the others go on', async () => {
    const batch = [
      'FHS|^~\\&|REG|MAIN',
      'BHS|^~\\&|REG|MAIN',
      adt({ trigger: 'A04', control: 'F1', account: 'W1', pv1: 'O' }).trim(),
      'MSH|^~\\&|REG|MAIN|CUST|fac-test|2026||ADT^A04|F2|P|2.5.1\rPID|1||||',
      adt({ trigger: 'A04', control: 'F3', mrn: 'E3', account: 'W3', pv1: 'O' }).trim(),
      'BTS|3',
      'FTS|1',
    ].join('\n');
    const results = await receiveHl7Batch(deps, batch);
    expect(results.map((r) => [r.status, r.ackCode])).toEqual([
      ['applied', 'AA'],
      ['error', 'AE'],
      ['applied', 'AA'],
    ]);
    expect(await t.db.selectFrom('hl7_messages').select('id').execute()).toHaveLength(3);
  });

  it('commits a pipelined group at once: a failing message rolls back alone, a control id repeated in the group applies once', async () => {
    const group = [
      adt({ trigger: 'A04', control: 'G1', mrn: 'G-P1', account: 'GX', pv1: 'O' }),
      // A new person whose account number belongs to G-P1: the patient it would create is rolled back with it.
      adt({ trigger: 'A01', control: 'G2', mrn: 'G-P2', family: 'Okafor', given: 'Chidi', dob: '19700101', account: 'GX', pv1: 'I' }),
      'not hl7 at all',
      adt({ trigger: 'A04', control: 'G1', mrn: 'G-P1', account: 'GX', pv1: 'O' }),
      adt({ trigger: 'A08', control: 'G3', mrn: 'G-P1', account: 'GX', pv1: 'O|ER^1^A' }),
      adt({ trigger: 'ORU', control: 'G4' }).replace('ADT^ORU^ADT_A01', 'ORU^R01^ORU_R01'),
    ];
    const results = await receiveHl7Group(deps, group);
    expect(results.map((r) => [r.status, r.ackCode])).toEqual([
      ['applied', 'AA'],
      ['error', 'AE'],
      ['rejected', 'AR'],
      ['duplicate', 'AA'],
      ['applied', 'AA'],
      ['ignored', 'AA'],
    ]);
    expect(msa(results[1]!.ack)).toMatchObject({ code: 'AE', control: 'G2', err: '205' });
    expect(await t.db.selectFrom('patients').select('family_name').execute()).toEqual([{ family_name: 'Lindqvist' }]);
    expect(await t.db.selectFrom('encounters').select(['account_number', 'location']).execute()).toEqual([
      { account_number: 'GX', location: 'ER/1/A' },
    ]);
    const stored = await t.db.selectFrom('hl7_messages').select(['control_id', 'status', 'attempts']).orderBy('id').execute();
    expect(stored.map((m) => [m.control_id, m.status, m.attempts])).toEqual([
      ['G1', 'applied', 1],
      ['G2', 'error', 1],
      [null, 'rejected', 1],
      ['G1', 'duplicate', 1],
      ['G3', 'applied', 1],
      ['G4', 'ignored', 1],
    ]);
    // The rolled-back message's audit events are gone and the chain still links up.
    const chain = await verifyAuditChain(t.db);
    expect(chain.ok).toBe(true);
    // Patient and encounter created (G1), the location changed (G3); the same SSN again is not a change.
    const events = await t.db.selectFrom('audit_events').select(['resource_type', 'action']).orderBy('seq').execute();
    expect(events.map((e) => `${e.resource_type}:${e.action}`)).toEqual(['patient:create', 'encounter:create', 'encounter:update']);
  });

  it('receives a group one message at a time when it cannot commit as a whole, applying each once', async () => {
    // The store of the group's messages fails once, as a lost connection or a race with another sender would.
    let failures = 1;
    const failing = t.db.withPlugin({
      transformQuery: (args) => {
        if (
          args.node.kind === 'InsertQueryNode' &&
          JSON.stringify(args.node.into).includes('hl7_messages') &&
          (args.node.values as { values?: unknown[] } | undefined)?.values?.length === 3 &&
          failures-- > 0
        )
          throw new Error('connection lost');
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const group = [1, 2, 3].map((i) =>
      adt({ trigger: 'A04', control: `FB${i}`, mrn: `FB-P${i}`, given: `Given${i}`, account: `FB${i}`, pv1: 'O' }),
    );
    const results = await receiveHl7Group({ ...deps, db: failing }, group);
    expect(failures).toBe(0);
    expect(results.map((r) => [r.status, msa(r.ack).control])).toEqual([
      ['applied', 'FB1'],
      ['applied', 'FB2'],
      ['applied', 'FB3'],
    ]);
    expect(await t.db.selectFrom('patients').select('id').execute()).toHaveLength(3);
    expect(
      (await t.db.selectFrom('hl7_messages').select(['control_id', 'status']).orderBy('id').execute()).map(
        (m) => `${m.control_id}:${m.status}`,
      ),
    ).toEqual(['FB1:applied', 'FB2:applied', 'FB3:applied']);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('records the attending physician by NPI when PV1-7 carries one, else by name, without duplicating providers', async () => {
    await receiveHl7(deps, adt({ trigger: 'A01', control: 'P1', account: 'Q1', pv1: 'I|4W^1^A||||1234567893^Welby^Marcus^^^^MD' }));
    await receiveHl7(
      deps,
      adt({ trigger: 'A01', control: 'P2', mrn: 'E2', given: 'Other', account: 'Q2', pv1: 'I|4W^2^A||||1234567893^Welby^Marcus^^^^MD' }),
    );
    await receiveHl7(
      deps,
      adt({ trigger: 'A01', control: 'P3', mrn: 'E3', given: 'Third', account: 'Q3', pv1: 'I|4W^3^A||||D042^Kildare^James' }),
    );
    const providers = await t.db.selectFrom('providers').select(['npi', 'family_name']).orderBy('family_name').execute();
    expect(providers).toEqual([
      { npi: null, family_name: 'Kildare' },
      { npi: '1234567893', family_name: 'Welby' },
    ]);
    const attending = await t.db
      .selectFrom('encounters')
      .select('attending_provider_id')
      .where('account_number', 'in', ['Q1', 'Q2'])
      .execute();
    expect(new Set(attending.map((a) => a.attending_provider_id)).size).toBe(1);
  });

  it('acknowledges a repeated control id without applying it twice', async () => {
    const msg = adt({ trigger: 'A04', control: 'DUP-1', account: 'V-9', pv1: 'O' });
    const a = await receiveHl7(deps, msg);
    const b = await receiveHl7(deps, msg);
    expect([a.status, b.status]).toEqual(['applied', 'duplicate']);
    expect(msa(b.ack)).toMatchObject({ code: 'AA', control: 'DUP-1' });
    expect(await t.db.selectFrom('patients').select('id').execute()).toHaveLength(1);
    expect(await t.db.selectFrom('hl7_messages').select('status').orderBy('id').execute()).toEqual([
      { status: 'applied' },
      { status: 'duplicate' },
    ]);
  });

  it.each([
    ['binary garbage', '\u0000\u0001\u00ff\u00fe garbage \u0007'],
    ['a truncated message', 'MSH|^~\\&|REG|MAIN|CUST|fac-test|2026'],
    ['wrong delimiters', 'MSH|^~|REG|MAIN\rPID|1'],
    ['an empty message', ''],
  ])('stores %s and answers AR', async (_, raw) => {
    const r = await receiveHl7(deps, raw);
    expect(r.status).toBe('rejected');
    expect(msa(r.ack).code).toBe('AR');
    expect((await getHl7Message(deps, makeActor(Role.administrator), r.messageId)).raw).toBe(raw);
  });

  it('acknowledges and stores ADT events that change nothing kept here; answers AR 201 to events it would have to apply and cannot', async () => {
    await receiveHl7(deps, adt({ trigger: 'A01', control: 'I0', account: 'V-9', pv1: 'I' }));
    const patientRow = () => t.db.selectFrom('patients').select(['id', 'family_name', 'updated_at']).executeTakeFirstOrThrow();
    const before = await patientRow();
    const pending = await receiveHl7(deps, adt({ trigger: 'A16', control: 'I1', account: 'V-9', pv1: 'I', family: 'Renamed' }));
    // A20 (bed status) carries no PID at all.
    const bed = await receiveHl7(
      deps,
      `MSH|^~\\&|REG|MAIN|CUSTODIAN|fac-test|20260301080000+0000||ADT^A20^ADT_A20|I2|P|2.5.1\rEVN|A20|20260301080000+0000\rNPU|4W^401^1|U\r`,
    );
    const moveVisit = await receiveHl7(deps, adt({ trigger: 'A45', control: 'I3', account: 'V-9', pv1: 'I', mrg: 'E999' }));
    const deletePerson = await receiveHl7(deps, adt({ trigger: 'A29', control: 'I4' }));
    expect([pending, bed].map((r) => [r.status, msa(r.ack).code, msa(r.ack).err])).toEqual([
      ['ignored', 'AA', null],
      ['ignored', 'AA', null],
    ]);
    expect([moveVisit, deletePerson].map((r) => [r.status, msa(r.ack).code, msa(r.ack).err])).toEqual([
      ['rejected', 'AR', '201'],
      ['rejected', 'AR', '201'],
    ]);
    const log = await listHl7Messages(deps, makeActor(Role.administrator), { status: 'ignored' });
    expect(log.items.map((m) => [m.controlId, m.triggerEvent, m.errorText])).toEqual([
      ['I2', 'A20', 'ADT A20 changes nothing kept here: stored, not applied'],
      ['I1', 'A16', 'ADT A16 changes nothing kept here: stored, not applied'],
    ]);
    // Nothing changed: the A16's different name was not applied.
    expect(await patientRow()).toEqual(before);
    expect(before.family_name).toBe('Lindqvist');
  });

  it('answers AE naming the field when content is wrong, and applies the message on reprocess once the data is there', async () => {
    const cancel = await receiveHl7(deps, adt({ trigger: 'A11', control: 'X1', account: 'V-5', pv1: 'I' }));
    expect(msa(cancel.ack)).toMatchObject({ code: 'AE', err: '204' });
    const noName = await receiveHl7(deps, adt({ trigger: 'A28', control: 'X2', mrn: 'E77', family: '', given: '' }));
    expect(msa(noName.ack)).toMatchObject({ code: 'AE', err: '101' });
    const badVersion = await receiveHl7(deps, adt({ trigger: 'A01', control: 'X3', version: '2.1' }));
    expect(msa(badVersion.ack)).toMatchObject({ code: 'AR' });
    await receiveHl7(deps, adt({ trigger: 'A01', control: 'X4', account: 'V-5', pv1: 'I' }));
    const admin = makeActor(Role.administrator);
    expect(await reprocessMessage(deps, admin, cancel.messageId)).toMatchObject({ status: 'applied', ackCode: 'AA' });
    await expect(reprocessMessage(deps, admin, cancel.messageId)).rejects.toMatchObject({ code: 'conflict' });
    await expect(reprocessMessage(deps, makeActor(Role.himClerk), noName.messageId)).rejects.toMatchObject({ code: 'forbidden' });
    const log = await listHl7Messages(deps, admin, { status: 'error' });
    expect(log.items.map((m) => m.controlId)).toEqual(['X2']);
    expect(log.counts).toMatchObject({ applied: 2, error: 1, rejected: 1 });
    expect(JSON.stringify(log)).not.toContain('Lindqvist');
    const one = await getHl7Message(deps, admin, cancel.messageId);
    expect(one).toMatchObject({ status: 'applied', attempts: 2 });
    expect(one.raw).toContain('PID|');
  });

  it('applies every supported ADT trigger event end to end over one MLLP connection', async () => {
    const listener = await startMllpListener(deps, { port: 0, host: '127.0.0.1' });
    const session = await mllpSession(listener.port);
    try {
      const send = async (o: Parameters<typeof adt>[0]) => {
        const ack = await session.send(adt(o));
        expect(msa(ack), `${o.trigger} ${o.control}`).toMatchObject({ code: 'AA', control: o.control });
      };
      const discharge = 'I|4W^401^A' + '|'.repeat(33) + '01' + '|'.repeat(9) + '20260305113000+0000';
      const steps: Parameters<typeof adt>[0][] = [
        { trigger: 'A28', control: 'E01', mrn: 'T1' },
        { trigger: 'A31', control: 'E02', mrn: 'T1', family: 'Lindqvist-Berg' },
        { trigger: 'A05', control: 'E03', mrn: 'T1', account: 'W-1', pv1: 'I|4W^401^A' },
        { trigger: 'A01', control: 'E04', mrn: 'T1', account: 'W-1', pv1: 'I|4W^401^A' },
        { trigger: 'A02', control: 'E05', mrn: 'T1', account: 'W-1', pv1: 'I|ICU^2^B|||4W^401^A' },
        { trigger: 'A12', control: 'E06', mrn: 'T1', account: 'W-1', pv1: 'I|ICU^2^B|||4W^401^A' },
        { trigger: 'A03', control: 'E07', mrn: 'T1', account: 'W-1', pv1: discharge },
        { trigger: 'A13', control: 'E08', mrn: 'T1', account: 'W-1', pv1: 'I' },
        { trigger: 'A08', control: 'E09', mrn: 'T1', account: 'W-1', pv1: 'I|4W^401^A' },
        { trigger: 'A11', control: 'E10', mrn: 'T1', account: 'W-1', pv1: 'I' },
        { trigger: 'A04', control: 'E11', mrn: 'T1', account: 'W-2', pv1: 'O' },
        { trigger: 'A06', control: 'E12', mrn: 'T1', account: 'W-2', pv1: 'O' },
        { trigger: 'A07', control: 'E13', mrn: 'T1', account: 'W-2', pv1: 'I' },
        { trigger: 'A04', control: 'E14', mrn: 'T2', account: 'W-3', pv1: 'E', given: 'Astrd' },
        { trigger: 'A40', control: 'E15', mrn: 'T1', mrg: 'T2' },
        { trigger: 'A47', control: 'E16', mrn: 'T9', mrg: 'T1' },
      ];
      for (const step of steps) {
        await send(step);
        if (step.trigger === 'A31') {
          // A31 updates person information: the new family name is stored (later messages carry the old one again).
          const names = await t.db.selectFrom('patients').select('family_name').execute();
          expect(names).toEqual([{ family_name: 'Lindqvist-Berg' }]);
        }
      }
      expect(new Set(steps.map((x) => x.trigger))).toEqual(new Set(SUPPORTED_ADT_EVENTS));
      const stored = await t.db.selectFrom('hl7_messages').select(['control_id', 'status']).execute();
      expect(
        stored
          .filter((m) => m.status === 'applied')
          .map((m) => m.control_id)
          .sort(),
      ).toEqual(steps.map((x) => x.control).sort());
      const survivor = await t.db
        .selectFrom('patient_identifiers')
        .select('patient_id')
        .where('value', '=', 'T9')
        .executeTakeFirstOrThrow();
      const encs = await t.db
        .selectFrom('encounters')
        .select(['account_number', 'status', 'type', 'patient_id'])
        .orderBy('account_number')
        .execute();
      expect(encs).toEqual([
        { account_number: 'W-1', status: 'cancelled', type: 'inpatient', patient_id: survivor.patient_id },
        { account_number: 'W-2', status: expect.any(String), type: 'outpatient', patient_id: survivor.patient_id },
        { account_number: 'W-3', status: expect.any(String), type: 'emergency', patient_id: survivor.patient_id },
      ]);
    } finally {
      session.close();
      await listener.close();
    }
  });

  it('round-trips over MLLP on 127.0.0.1 and loses no acknowledged message across a listener restart', async () => {
    const exchange = async (port: number, messages: string[]) => {
      const socket = net.connect(port, '127.0.0.1');
      const decoder = new MllpDecoder();
      const acks: string[] = [];
      await new Promise<void>((resolve, reject) => {
        socket.on('error', reject);
        socket.on('data', (chunk) => {
          for (const f of decoder.push(chunk)) if (f.ok) acks.push(f.message);
          if (acks.length === messages.length) resolve();
        });
        socket.on('connect', () => socket.write(Buffer.concat(messages.map(encodeMllp))));
      });
      socket.destroy();
      return acks;
    };
    const batch = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) =>
        adt({ trigger: 'A04', control: `T${from + i}`, mrn: `P${from + i}`, given: `Given${from + i}`, account: `A${from + i}`, pv1: 'O' }),
      );
    let listener = await startMllpListener(deps, { port: 0, host: '127.0.0.1' });
    const acks1 = await exchange(listener.port, [...batch(0, 5), 'not hl7 at all']);
    expect(acks1.map((a) => msa(a).code)).toEqual(['AA', 'AA', 'AA', 'AA', 'AA', 'AR']);
    expect(acks1.slice(0, 5).map((a) => msa(a).control)).toEqual(['T0', 'T1', 'T2', 'T3', 'T4']);
    await listener.close();
    listener = await startMllpListener(deps, { port: 0, host: '127.0.0.1' });
    // The sender resends the last message it is unsure of, then goes on.
    const acks2 = await exchange(listener.port, batch(4, 8));
    expect(acks2.map((a) => msa(a).code)).toEqual(['AA', 'AA', 'AA', 'AA']);
    await listener.close();
    const statuses = await t.db.selectFrom('hl7_messages').select(['control_id', 'status']).orderBy('id').execute();
    expect(statuses.filter((s) => s.status === 'applied').map((s) => s.control_id)).toEqual([
      'T0',
      'T1',
      'T2',
      'T3',
      'T4',
      'T5',
      'T6',
      'T7',
    ]);
    expect(statuses.filter((s) => s.status === 'duplicate').map((s) => s.control_id)).toEqual(['T4']);
    expect(await t.db.selectFrom('encounters').select('id').execute()).toHaveLength(8);
  });

  it('answers a batch sent as one MLLP frame with a batch of ACKs, between single messages of the same connection', async () => {
    const listener = await startMllpListener(deps, { port: 0, host: '127.0.0.1' });
    try {
      const frames = [
        adt({ trigger: 'A04', control: 'S1', mrn: 'S-P1', account: 'S-1', pv1: 'O' }),
        [
          'FHS|^~\\&|REG|MAIN|CUSTODIAN|fac-test|20260301080000||||F-1',
          'BHS|^~\\&|REG|MAIN|CUSTODIAN|fac-test|20260301080000||||B-1',
          adt({ trigger: 'A04', control: 'S2', mrn: 'S-P2', given: 'Bo', account: 'S-2', pv1: 'O' }).trim(),
          'MSH|^~\\&|REG|MAIN|CUSTODIAN|fac-test|2026||ADT^A04|S3|P|2.5.1\rPID|1||||',
          adt({ trigger: 'A04', control: 'S4', mrn: 'S-P4', given: 'Cy', account: 'S-4', pv1: 'O' }).trim(),
          'BTS|3',
          'FTS|1',
        ].join('\r'),
        adt({ trigger: 'A08', control: 'S5', mrn: 'S-P1', family: 'Lindqvist-Berg', account: 'S-1', pv1: 'O' }),
      ];
      const socket = net.connect(listener.port, '127.0.0.1');
      const decoder = new MllpDecoder();
      const acks: string[] = [];
      await new Promise<void>((resolve, reject) => {
        socket.on('error', reject);
        socket.on('data', (chunk) => {
          for (const f of decoder.push(chunk)) if (f.ok) acks.push(f.message);
          if (acks.length === frames.length) resolve();
        });
        socket.on('connect', () => socket.write(Buffer.concat(frames.map(encodeMllp))));
      });
      socket.destroy();
      expect(msa(acks[0]!)).toMatchObject({ code: 'AA', control: 'S1' });
      expect(msa(acks[2]!)).toMatchObject({ code: 'AA', control: 'S5' });
      const lines = acks[1]!.split('\r').filter((l) => l !== '');
      expect(lines[0]).toMatch(/^FHS\|\^~\\&\|CUSTODIAN\|fac-test\|REG\|MAIN\|\d{14}[+-]\d{4}\|\|\|\|[^|]+\|F-1$/);
      expect(lines[1]).toMatch(/\|B-1$/);
      expect(lines.filter((l) => l.startsWith('MSA')).map((l) => l.split('|').slice(1, 3))).toEqual([
        ['AA', 'S2'],
        ['AE', 'S3'],
        ['AA', 'S4'],
      ]);
      expect(lines.slice(-2)).toEqual(['BTS|3', 'FTS|1']);
      const stored = await t.db.selectFrom('hl7_messages').select(['control_id', 'status', 'channel']).orderBy('id').execute();
      expect(stored.map((m) => [m.control_id, m.status, m.channel])).toEqual([
        ['S1', 'applied', 'mllp'],
        ['S2', 'applied', 'mllp'],
        ['S3', 'error', 'mllp'],
        ['S4', 'applied', 'mllp'],
        ['S5', 'applied', 'mllp'],
      ]);
      expect(await t.db.selectFrom('patients').select('family_name').where('family_name', '=', 'Lindqvist-Berg').execute()).toHaveLength(1);
    } finally {
      await listener.close();
    }
  });

  it('stores a frame cut off by a new start block as rejected and answers AR, then goes on', async () => {
    const listener = await startMllpListener(deps, { port: 0, host: '127.0.0.1' });
    try {
      const socket = net.connect(listener.port, '127.0.0.1');
      const decoder = new MllpDecoder();
      const acks: string[] = [];
      const good = adt({ trigger: 'A04', control: 'CUT2', account: 'C2', pv1: 'O' });
      await new Promise<void>((resolve, reject) => {
        socket.on('error', reject);
        socket.on('data', (chunk) => {
          for (const f of decoder.push(chunk)) if (f.ok) acks.push(f.message);
          if (acks.length === 2) resolve();
        });
        // The first frame never ends: the sender started the next one.
        socket.on('connect', () =>
          socket.write(
            Buffer.concat([
              Buffer.from([0x0b]),
              Buffer.from('MSH|^~\\&|REG|MAIN|CUST|fac-test|2026||ADT^A04|CUT1|P|2.5.1\rPID|1||E'),
              encodeMllp(good),
            ]),
          ),
        );
      });
      socket.destroy();
      expect(acks.map((a) => msa(a).code)).toEqual(['AR', 'AA']);
      await expect
        .poll(async () => (await t.db.selectFrom('hl7_messages').select(['status', 'raw']).orderBy('id').execute()).map((r) => r.status))
        .toEqual(['rejected', 'applied']);
      const cut = await t.db.selectFrom('hl7_messages').select('raw').where('status', '=', 'rejected').executeTakeFirstOrThrow();
      expect(cut.raw).toContain('CUT1');
    } finally {
      await listener.close();
    }
  });

  it('stores a frame over the size limit as rejected, cut to the limit, before its AR, and goes on', async () => {
    const listener = await startMllpListener(deps, { port: 0, host: '127.0.0.1', maxMessageBytes: 1024 });
    const session = await mllpSession(listener.port);
    try {
      const big = adt({ trigger: 'A04', control: 'BIG1', account: 'B1', pv1: 'O', extra: `NTE|1||${'x'.repeat(4000)}` });
      const rejected = await session.send(big);
      expect(msa(rejected)).toMatchObject({ code: 'AR', control: 'BIG1' });
      expect(rejected).toContain('message exceeds 1024 bytes');
      // Already stored when the AR arrives: the listener stores a broken frame before answering it.
      const row = await t.db.selectFrom('hl7_messages').select(['status', 'error_text', 'raw']).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'rejected', error_text: 'message exceeds 1024 bytes' });
      expect(row.raw).toBe(big.slice(0, 1024));
      expect(msa(await session.send(adt({ trigger: 'A04', control: 'OK1', account: 'B2', pv1: 'O' })))).toMatchObject({
        code: 'AA',
        control: 'OK1',
      });
    } finally {
      session.close();
      await listener.close();
    }
  });
});
