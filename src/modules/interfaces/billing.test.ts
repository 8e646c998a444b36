import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { FACILITY_ID } from '../../../test/support/factories.js';
import { makeClaimsWorld, type ClaimsWorld } from '../claims/claims-fixtures.test-support.js';
import { createFacilityDirectory, receiveHl7Group, type InterfaceDeps } from './index.js';
import { readAck as msa, startListenerSession, type ListenerSession } from './hl7-session.test-support.js';

/** An IN1 segment with the fields the interface reads set (the others empty). */
function in1(o: {
  set: number;
  payer: string;
  member?: string;
  insuredId?: string;
  group?: string;
  relationship?: string;
  insured?: string;
  from?: string;
  to?: string;
}): string {
  const f: string[] = Array.from({ length: 50 }, () => '');
  f[0] = 'IN1';
  f[1] = String(o.set);
  f[2] = 'PLAN1';
  f[3] = o.payer;
  f[4] = 'Some Payer';
  f[8] = o.group ?? '';
  f[12] = o.from ?? '';
  f[13] = o.to ?? '';
  f[16] = o.insured ?? '';
  f[17] = o.relationship ?? 'SEL';
  f[36] = o.member ?? '';
  f[49] = o.insuredId ?? '';
  return f.join('|');
}

function adt(o: { trigger: string; control: string; mrn: string; account: string; insurance: string[] }): string {
  return [
    `MSH|^~\\&|REG|MAIN|CUSTODIAN|${FACILITY_ID}|20260301080000+0000||ADT^${o.trigger}^ADT_A01|${o.control}|P|2.5.1`,
    `EVN|${o.trigger}|20260301080000+0000`,
    `PID|1||${o.mrn}^^^${FACILITY_ID}^MR||Rivera^Ana^^^^^L||19700204|F`,
    `PV1|1|O|CLINIC^1^1||||||||||||||||${o.account}`,
    ...o.insurance,
  ].join('\r');
}

/** An FT1 segment: set id, date (FT1-4), type (FT1-6), code (FT1-7), quantity (FT1-10), amount (FT1-11), procedure (FT1-25). */
function ft1(o: {
  set: number;
  code: string;
  type?: string;
  date?: string;
  qty?: string;
  amount?: string;
  procedure?: string;
  performer?: string;
  modifiers?: string;
}): string {
  const f: string[] = Array.from({ length: 27 }, () => '');
  f[0] = 'FT1';
  f[1] = String(o.set);
  f[4] = o.date ?? '20260302';
  f[6] = o.type ?? 'CG';
  f[7] = `${o.code}^Charge`;
  f[10] = o.qty ?? '';
  f[11] = o.amount ?? '';
  f[20] = o.performer ?? '';
  f[25] = o.procedure ?? '';
  f[26] = o.modifiers ?? '';
  return f.join('|');
}

function dft(o: { control: string; mrn: string; account: string; ft1: string[] }): string {
  return [
    `MSH|^~\\&|CHARGES|MAIN|CUSTODIAN|${FACILITY_ID}|20260302120000+0000||DFT^P03^DFT_P03|${o.control}|P|2.5.1`,
    'EVN|P03|20260302120000+0000',
    `PID|1||${o.mrn}^^^${FACILITY_ID}^MR||Rivera^Ana`,
    `PV1|1|O|CLINIC^1^1||||||||||||||||${o.account}`,
    ...o.ft1,
  ].join('\r');
}

describe.each(engines)('HL7 insurance (IN1) and charges (DFT^P03) on %s', (engine) => {
  let t: TestDatabase;
  let w: ClaimsWorld;
  let deps: InterfaceDeps;
  let hl7: ListenerSession;

  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeClaimsWorld(t);
    deps = { ...w.deps, engine, facilities: createFacilityDirectory(t.db) };
    hl7 = await startListenerSession(deps);
  });
  afterEach(async () => {
    await hl7.close();
    await t.dispose();
  });

  const send = async (raw: string) => msa(await hl7.send(raw));
  /** The patient a message was applied to (the MRN is assigned here; PID-3 is kept as an identifier). */
  const patientOf = async (control: string) =>
    (await t.db.selectFrom('hl7_messages').select('patient_id').where('control_id', '=', control).executeTakeFirstOrThrow()).patient_id!;
  const coverages = (patientId: string) =>
    t.db
      .selectFrom('patient_coverages')
      .select([
        'id',
        'payer_id',
        'benefit_order',
        'member_id',
        'group_number',
        'relationship',
        'subscriber_family_name',
        'subscriber_given_name',
        'effective_from',
        'effective_to',
      ])
      .where('patient_id', '=', patientId)
      .orderBy('benefit_order')
      .execute();
  const chargesOf = (encounterId: string) =>
    t.db
      .selectFrom('encounter_charges as c')
      .innerJoin('chargemaster_items as i', 'i.id', 'c.item_id')
      .select(['i.code', 'c.units', 'c.amount_cents', 'c.service_date', 'c.component'])
      .where('c.encounter_id', '=', encounterId)
      .orderBy('i.code')
      .execute();
  const encounterOf = async (account: string) =>
    (await t.db.selectFrom('encounters').select('id').where('account_number', '=', account).executeTakeFirstOrThrow()).id;

  it('records two IN1 as primary and secondary coverages (A04) and changes the subscriber id on an A08', async () => {
    const registered = await send(
      adt({
        trigger: 'A04',
        control: 'I1',
        mrn: 'M100',
        account: 'V100',
        insurance: [
          in1({ set: 2, payer: 'ACME1', member: 'ACM-555', group: 'G-77', relationship: 'SPO', insured: 'Rivera^Luis' }),
          in1({ set: 1, payer: '00430', member: '1EG4TE5MK72', from: '20260101', to: '20261231' }),
        ],
      }),
    );
    expect(registered).toMatchObject({ code: 'AA', err: null });
    const patientId = await patientOf('I1');
    const first = await coverages(patientId);
    expect(first).toMatchObject([
      {
        payer_id: w.payers.medicare,
        benefit_order: 1,
        member_id: '1EG4TE5MK72',
        relationship: '18',
        subscriber_family_name: 'Rivera',
        subscriber_given_name: 'Ana',
        effective_from: '2026-01-01',
        effective_to: '2026-12-31',
      },
      {
        payer_id: w.payers.acme,
        benefit_order: 2,
        member_id: 'ACM-555',
        group_number: 'G-77',
        relationship: '01',
        subscriber_family_name: 'Rivera',
        subscriber_given_name: 'Luis',
      },
    ]);

    // A08: the secondary's subscriber id is now IN1-49 (no IN1-36); the coverage is updated in place.
    const updated = await send(
      adt({
        trigger: 'A08',
        control: 'I2',
        mrn: 'M100',
        account: 'V100',
        insurance: [
          in1({ set: 1, payer: '00430', member: '1EG4TE5MK72' }),
          in1({ set: 2, payer: 'ACME1', insuredId: 'ACM-999', relationship: 'SPO', insured: 'Rivera^Luis' }),
        ],
      }),
    );
    expect(updated).toMatchObject({ code: 'AA', err: null });
    const after = await coverages(patientId);
    expect(after.map((c) => [c.id, c.benefit_order, c.member_id])).toEqual([
      [first[0]!.id, 1, '1EG4TE5MK72'],
      [first[1]!.id, 2, 'ACM-999'],
    ]);
    const audited = await t.db
      .selectFrom('audit_events')
      .select(['action', 'username'])
      .where('resource_type', '=', 'coverage')
      .where('resource_id', '=', first[1]!.id)
      .orderBy('seq')
      .execute();
    expect(audited).toEqual([
      { action: 'create', username: 'hl7:REG' },
      { action: 'update', username: 'hl7:REG' },
    ]);
  });

  it('applies the ADT and names in the ACK a coverage whose payer is not set up here, recording the others', async () => {
    const ack = await send(
      adt({
        trigger: 'A04',
        control: 'U1',
        mrn: 'M200',
        account: 'V200',
        insurance: [in1({ set: 1, payer: 'NOSUCH', member: 'X1' }), in1({ set: 2, payer: 'ACME1', member: 'A2' })],
      }),
    );
    expect(ack).toMatchObject({ code: 'AA', err: null, text: 'IN1 1: payer (IN1-3) not set up here, coverage not recorded' });
    const rows = await coverages(await patientOf('U1'));
    expect(rows.map((c) => [c.benefit_order, c.member_id])).toEqual([[2, 'A2']]);
  });

  it('keeps FT1-26 modifiers on the charge and FT1-20 as its rendering provider when the NPI is on file; a bad modifier is AE', async () => {
    await send(adt({ trigger: 'A04', control: 'R9', mrn: 'M390', account: 'V390', insurance: [] }));
    const encounterId = await encounterOf('V390');
    const posted = await send(
      dft({
        control: 'D9',
        mrn: 'M390',
        account: 'V390',
        ft1: [ft1({ set: 1, code: 'PRO-99214', procedure: '99214', modifiers: '25~gt', performer: '1999999984^Nobody^Known' })],
      }),
    );
    expect(posted).toMatchObject({ code: 'AA' });
    const rows = await t.db
      .selectFrom('encounter_charges')
      .select(['modifiers', 'rendering_provider_id'])
      .where('encounter_id', '=', encounterId)
      .execute();
    expect(rows).toEqual([{ modifiers: '["25","GT"]', rendering_provider_id: null }]);
    const bad = await send(
      dft({ control: 'D10', mrn: 'M390', account: 'V390', ft1: [ft1({ set: 1, code: 'RX-GEN', modifiers: 'TOOLONG' })] }),
    );
    expect(bad).toMatchObject({ code: 'AE', where: 'FT1-26' });
  });

  it('posts the FT1 charges of a DFT^P03 to the visit, and reverses one with a CD', async () => {
    await send(adt({ trigger: 'A04', control: 'R1', mrn: 'M300', account: 'V300', insurance: [] }));
    const encounterId = await encounterOf('V300');
    const posted = await send(
      dft({
        control: 'D1',
        mrn: 'M300',
        account: 'V300',
        ft1: [
          ft1({ set: 1, code: 'RX-GEN', qty: '3' }),
          ft1({ set: 2, code: 'PRO-99214', amount: '180.50', procedure: '99214', date: '20260302083000' }),
        ],
      }),
    );
    expect(posted).toMatchObject({ code: 'AA', err: null, text: `encounter ${encounterId}: 2 charges posted` });
    expect(await chargesOf(encounterId)).toEqual([
      { code: 'PRO-99214', units: 1, amount_cents: 18_050, service_date: '2026-03-02', component: 'facility' },
      { code: 'RX-GEN', units: 3, amount_cents: 3_750, service_date: '2026-03-02', component: 'facility' },
    ]);

    const credited = await send(
      dft({ control: 'D2', mrn: 'M300', account: 'V300', ft1: [ft1({ set: 1, code: 'RX-GEN', qty: '3', type: 'CD', amount: '-37.50' })] }),
    );
    expect(credited).toMatchObject({ code: 'AA', text: `encounter ${encounterId}: 0 charges posted, 1 reversed` });
    expect((await chargesOf(encounterId)).map((c) => c.code)).toEqual(['PRO-99214']);
  });

  it('answers AE naming FT1-7 to an unknown charge code, storing nothing of it, and applies the rest of the group', async () => {
    await send(adt({ trigger: 'A04', control: 'R2', mrn: 'M400', account: 'V400', insurance: [] }));
    const encounterId = await encounterOf('V400');
    const results = await receiveHl7Group(deps, [
      dft({ control: 'E1', mrn: 'M400', account: 'V400', ft1: [ft1({ set: 1, code: 'RX-GEN' })] }),
      dft({ control: 'E2', mrn: 'M400', account: 'V400', ft1: [ft1({ set: 1, code: 'RB-MED' }), ft1({ set: 2, code: 'NOPE-1' })] }),
      dft({ control: 'E3', mrn: 'M400', account: 'V400', ft1: [ft1({ set: 1, code: 'PRO-99214' })] }),
    ]);
    const acks = results.map((r) => msa(r.ack));
    expect(acks.map((a) => a.code)).toEqual(['AA', 'AE', 'AA']);
    expect(acks[1]).toMatchObject({ err: '204', where: 'FT1-7' });
    expect(acks[1]!.text).toContain('transaction code is not in the chargemaster');
    // The room charge (FT1 1) of the refused message is not stored either.
    expect((await chargesOf(encounterId)).map((c) => c.code)).toEqual(['PRO-99214', 'RX-GEN']);
    const stored = await t.db.selectFrom('hl7_messages').select('status').where('control_id', '=', 'E2').executeTakeFirstOrThrow();
    expect(stored.status).toBe('error');

    // The same over the MLLP socket, pipelined (the listener groups what is queued): AE for the unknown code alone.
    const overMllp = await Promise.all([
      send(dft({ control: 'M1', mrn: 'M400', account: 'V400', ft1: [ft1({ set: 1, code: 'UNKNOWN-9' })] })),
      send(dft({ control: 'M2', mrn: 'M400', account: 'V400', ft1: [ft1({ set: 1, code: 'RB-MED', amount: '2510.00' })] })),
    ]);
    expect(overMllp.map((a) => [a.code, a.where])).toEqual([
      ['AE', 'FT1-7'],
      ['AA', null],
    ]);
    expect((await chargesOf(encounterId)).map((c) => c.code)).toEqual(['PRO-99214', 'RB-MED', 'RX-GEN']);
  });
});
