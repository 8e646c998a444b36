import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { FACILITY_ID } from '../../../test/support/factories.js';
import { makeSchedulingWorld, type SchedulingWorld } from '../scheduling/scheduling-fixtures.test-support.js';
import { createFacilityDirectory, receiveHl7Group, type InterfaceDeps } from './index.js';
import { readAck as msa, startListenerSession, type ListenerSession } from './hl7-session.test-support.js';

/** An inbound SIU (v2.5) from an outside scheduling system, as the tests vary it. */
function siu(o: {
  event: string;
  control: string;
  placer: string;
  mrn: string;
  start?: string;
  type?: string;
  resources?: string[];
  reason?: string;
}): string {
  const start = o.start ?? '';
  return [
    `MSH|^~\\&|EXTSCHED|OUTSIDE|CUSTODIAN|${FACILITY_ID}|20260306080000+0000||SIU^${o.event}^SIU_S12|${o.control}|P|2.5`,
    `SCH|${o.placer}|||||${o.reason ? `R^${o.reason}` : ''}||${o.type ?? 'NEW'}^Visit|30|MIN|^^30^${start}`,
    `PID|1||${o.mrn}^^^${FACILITY_ID}^MR||Rivera^Ana`,
    'RGS|1|A',
    ...(o.resources ?? ['DRA']).map((r, i) => `AIP|${i + 1}|A|${r}^Resource||${start}`),
  ].join('\r');
}

describe.each(engines)('HL7 SIU inbound on %s', (engine) => {
  let t: TestDatabase;
  let w: SchedulingWorld;
  let deps: InterfaceDeps;
  let hl7: ListenerSession;

  beforeEach(async () => {
    t = await createTestDatabase(engine);
    w = await makeSchedulingWorld(t);
    deps = { ...w.deps, engine, facilities: createFacilityDirectory(t.db) };
    hl7 = await startListenerSession(deps);
  });
  afterEach(async () => {
    await hl7.close();
    await t.dispose();
  });

  const send = async (raw: string) => msa(await hl7.send(raw));
  const mrnOf = async (patientId: string) =>
    (await t.db.selectFrom('patients').select('mrn').where('id', '=', patientId).executeTakeFirstOrThrow()).mrn;
  const appointment = (placer: string) =>
    t.db.selectFrom('sched_appointments').selectAll().where('external_id', '=', placer).executeTakeFirst();
  const holdsOf = (id: string) => t.db.selectFrom('sched_holds').select('cell_start').where('appointment_id', '=', id).execute();
  const stored = (control: string) =>
    t.db.selectFrom('hl7_messages').selectAll().where('control_id', '=', control).executeTakeFirstOrThrow();

  // Monday 2026-03-09, after the US change to daylight time: 09:00 in New York is 13:00 UTC.
  it('books (S12), reschedules (S13) and cancels (S15) an appointment over MLLP, audited as the interface', async () => {
    const patientId = await w.patient();
    const mrn = await mrnOf(patientId);

    const booked = await send(siu({ event: 'S12', control: 'S1', placer: 'PL-1', mrn, start: '202603091300+0000' }));
    expect(booked).toMatchObject({ code: 'AA', err: null });
    const a1 = (await appointment('PL-1'))!;
    expect(a1).toMatchObject({
      patient_id: patientId,
      type_id: w.visit,
      start_at: '2026-03-09T13:00:00.000Z',
      end_at: '2026-03-09T13:30:00.000Z',
      status: 'booked',
      location: 'Main clinic',
      created_by: 'system',
    });
    expect(booked.text).toBe(`appointment ${a1.id} booked`);
    expect(await holdsOf(a1.id)).toHaveLength(1);
    expect(await stored('S1')).toMatchObject({ status: 'applied', patient_id: patientId, message_type: 'SIU', trigger_event: 'S12' });

    // S13 to 10:00 local with Dr B: the hold moves with it.
    const moved = await send(siu({ event: 'S13', control: 'S2', placer: 'PL-1', mrn, start: '20260309140000+0000', resources: ['DRB'] }));
    expect(moved).toMatchObject({ code: 'AA', text: `appointment ${a1.id} rescheduled` });
    expect(await appointment('PL-1')).toMatchObject({ id: a1.id, start_at: '2026-03-09T14:00:00.000Z', status: 'booked', version: 2 });
    const res = await t.db.selectFrom('sched_appointment_resources').select('resource_id').where('appointment_id', '=', a1.id).execute();
    expect(res.map((r) => r.resource_id)).toEqual([w.drB]);
    expect((await holdsOf(a1.id)).map((h) => h.cell_start)).toEqual(['2026-03-09T14:00:00.000Z']);

    const cancelled = await send(siu({ event: 'S15', control: 'S3', placer: 'PL-1', mrn, reason: 'Patient request' }));
    expect(cancelled).toMatchObject({ code: 'AA', text: `appointment ${a1.id} cancelled` });
    expect(await appointment('PL-1')).toMatchObject({ status: 'cancelled', cancel_reason: 'Patient request' });
    expect(await holdsOf(a1.id)).toEqual([]);

    const events = await t.db
      .selectFrom('audit_events')
      .select(['action', 'username'])
      .where('resource_id', '=', a1.id)
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { action: 'book', username: 'hl7:EXTSCHED' },
      { action: 'reschedule', username: 'hl7:EXTSCHED' },
      { action: 'cancel', username: 'hl7:EXTSCHED' },
    ]);
  });

  it('answers AE 204 PID-3 to an S12 for a patient not known here, and stores no appointment', async () => {
    await w.patient();
    const ack = await send(siu({ event: 'S12', control: 'S9', placer: 'PL-9', mrn: 'NOSUCH', start: '202603091300+0000' }));
    expect(ack).toMatchObject({ code: 'AE', err: '204', where: 'PID-3' });
    expect(ack.text).toContain('the patient is not known here');
    expect(await t.db.selectFrom('sched_appointments').select('id').execute()).toEqual([]);
    expect(await t.db.selectFrom('sched_holds').select('appointment_id').execute()).toEqual([]);
    expect(await stored('S9')).toMatchObject({ status: 'error', ack_code: 'AE', error_code: '204', patient_id: null });
  });

  it('treats S17 as a cancellation deleted by the sending system, S14 without a change as unchanged, S26 as a no-show', async () => {
    const mrn = await mrnOf(await w.patient());
    expect(await send(siu({ event: 'S12', control: 'D1', placer: 'PL-D', mrn, start: '202603091300+0000' }))).toMatchObject({ code: 'AA' });
    expect(await send(siu({ event: 'S17', control: 'D2', placer: 'PL-D', mrn }))).toMatchObject({ code: 'AA' });
    expect(await appointment('PL-D')).toMatchObject({ status: 'deleted', cancel_reason: 'deleted by sending system' });

    expect(await send(siu({ event: 'S12', control: 'N1', placer: 'PL-N', mrn, start: '202603091330+0000' }))).toMatchObject({ code: 'AA' });
    // An S14 with the same time and resource changes nothing; an S13 for a placer id not known here is AE 204 SCH-1.
    const a = (await appointment('PL-N'))!;
    expect(await send(siu({ event: 'S14', control: 'N2', placer: 'PL-N', mrn, start: '202603091330+0000' }))).toMatchObject({
      code: 'AA',
      text: `appointment ${a.id} unchanged`,
    });
    expect(await send(siu({ event: 'S13', control: 'N3', placer: 'PL-X', mrn, start: '202603091400+0000' }))).toMatchObject({
      code: 'AE',
      err: '204',
      where: 'SCH-1',
    });
    expect(await send(siu({ event: 'S26', control: 'N4', placer: 'PL-N', mrn }))).toMatchObject({ code: 'AA' });
    expect(await appointment('PL-N')).toMatchObject({ status: 'no_show', version: a.version + 1 });
  });

  it('refuses a taken slot and an unknown resource with the reason, and applies the rest of the group', async () => {
    const mrn1 = await mrnOf(await w.patient());
    const mrn2 = await mrnOf(await w.patient());
    const at = '202603091300+0000';
    const results = await receiveHl7Group(deps, [
      siu({ event: 'S12', control: 'G1', placer: 'PL-G1', mrn: mrn1, start: at }),
      siu({ event: 'S12', control: 'G2', placer: 'PL-G2', mrn: mrn2, start: at }),
      siu({ event: 'S12', control: 'G3', placer: 'PL-G3', mrn: mrn2, start: at, resources: ['NOPE'] }),
      siu({ event: 'S12', control: 'G4', placer: 'PL-G4', mrn: mrn2, start: at, resources: ['DRB'] }),
    ]);
    const acks = results.map((r) => msa(r.ack));
    expect(acks.map((a) => a.code)).toEqual(['AA', 'AE', 'AE', 'AA']);
    expect(acks[1]!.text).toContain('conflict: resource_taken');
    expect(acks[2]).toMatchObject({ where: 'AIP/AIG-3' });
    expect(acks[2]!.text).toContain('resource NOPE is not known here');
    expect(await appointment('PL-G1')).toMatchObject({ status: 'booked' });
    expect(await appointment('PL-G2')).toBeUndefined();
    expect(await appointment('PL-G3')).toBeUndefined();
    expect(await appointment('PL-G4')).toMatchObject({ status: 'booked' });
  });
});
