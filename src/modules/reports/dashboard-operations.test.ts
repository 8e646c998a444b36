/**
 * The dashboard's operational figures, each computed by the module that owns its data, on both engines, against
 * values worked out by hand in the comments: A/R by age and denials (claims, after an 835), interface health (HL7
 * message log), the no-show rate (scheduling). Aggregates only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { build835 } from '../../core/x12/remit-fixtures.test-support.js';
import { submission } from '../../core/x12/build-837-fixtures.test-support.js';
import { Permission } from '../access/index.js';
import { buildClaim, exportClaims, postRemittance, receivableFigures } from '../claims/index.js';
import { makeClaimsWorld } from '../claims/claims-fixtures.test-support.js';
import { interfaceHealth } from '../interfaces/index.js';
import { appointmentOutcomes, bookAppointment, setAppointmentStatus } from '../scheduling/index.js';
import { makeSchedulingWorld } from '../scheduling/scheduling-fixtures.test-support.js';

const money = (cents: number): string => (cents / 100).toFixed(2);

describe.each(engines)('dashboard operations figures on %s', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('ages the A/R balance by days since release and counts a denial in force, its charge and the denial rate', async () => {
    const w = await makeClaimsWorld(t);
    const claims: { id: string; pcn: string; total: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const { encounterId } = await w.codedEncounter();
      const c = await buildClaim(w.deps, w.biller, encounterId, { kind: '837I' });
      const row = await t.db.selectFrom('claims').select('total_cents').where('id', '=', c.id).executeTakeFirstOrThrow();
      claims.push({ id: c.id, pcn: c.patientControlNumber, total: row.total_cents });
    }
    await exportClaims(w.deps, w.biller, {
      kind: '837I',
      sender: { qualifier: 'ZZ', id: 'CGH0001' },
      receiver: { qualifier: 'ZZ', id: 'CLEARHOUSE1' },
      submission,
      usage: 'T',
    });
    const [a, b, c] = claims as [(typeof claims)[0], (typeof claims)[0], (typeof claims)[0]];
    // Claim a: paid in full less a 100.00 contractual (balance 0). Claim b: denied CO-50 (balance = its charge, it
    // stays with the payer until worked). Claim c: nothing posted (balance = its charge).
    await postRemittance(
      w.deps,
      w.biller,
      build835({
        trace: 'EFT9',
        body: [
          'LX*1',
          `CLP*${a.pcn}*1*${money(a.total)}*${money(a.total - 10_000)}*0*MA*ICNA*11*1`,
          'CAS*CO*45*100',
          `CLP*${b.pcn}*4*${money(b.total)}*0*0*MA*ICNB*11*1`,
          `CAS*CO*50*${money(b.total)}`,
        ],
      }),
    );
    const released = (await t.db.selectFrom('claims').select('released_at').where('id', '=', a.id).executeTakeFirstOrThrow()).released_at!;
    const asOf = new Date(Date.parse(released) + 45 * 86_400_000).toISOString().slice(0, 10);
    const list = await w.deps.records.openList(w.biller, { permission: Permission.claimManage, resourceType: 'claim' });
    const f = await receivableFigures(t.db, list, asOf);
    // Claim b's CO-50 adjustment is posted, so its payer balance is 0 too: only claim c is open, aged 45 days.
    expect(f).toMatchObject({
      arClaims: 1,
      arCents: c.total,
      adjudicatedClaims: 2,
      deniedClaims: 1,
      deniedChargeCents: b.total,
      denialRate: 0.5,
    });
    expect(f.arByAge).toEqual({ '0-30': 0, '31-60': c.total, '61-90': 0, '91-120': 0, '>120': 0 });
    expect(f.denialsByGroup).toEqual({ CO: 1 });
    expect(f.denialsByWork).toEqual({ open: 1 });
  });

  it('counts HL7 messages in the range by outcome and type, with the newest arrival of all time', async () => {
    const row = (id: string, at: string, type: string | null, trigger: string | null, status: string) => ({
      id,
      received_at: at,
      channel: 'mllp',
      control_id: id,
      sending_application: 'REG',
      sending_facility: 'CGH',
      message_type: type,
      trigger_event: trigger,
      version: '2.5',
      status,
      ack_code: status === 'applied' ? 'AA' : status === 'error' ? 'AE' : 'AR',
      error_code: null,
      error_text: null,
      raw: 'MSH|^~\\&|',
      patient_id: null,
      attempts: 1,
      processed_at: at,
    });
    await t.db
      .insertInto('hl7_messages')
      .values([
        row('m1', '2026-03-02T10:00:00.000Z', 'ADT', 'A01', 'applied'),
        row('m2', '2026-03-02T11:00:00.000Z', 'ADT', 'A01', 'applied'),
        row('m3', '2026-03-03T09:00:00.000Z', 'ADT', 'A08', 'error'),
        row('m4', '2026-03-04T09:00:00.000Z', null, null, 'rejected'),
        row('m5', '2026-04-02T09:00:00.000Z', 'ADT', 'A03', 'applied'),
      ])
      .execute();
    const h = await interfaceHealth(t.db, { from: '2026-03-01T00:00:00.000Z', to: '2026-03-31T23:59:59.999Z' });
    // Four in March: two applied, one AE, one AR -> error rate 2/4; April's message is outside but is the newest.
    expect(h).toMatchObject({ received: 4, applied: 2, errors: 1, rejected: 1, duplicates: 0, errorRate: 0.5 });
    expect(h.lastReceivedAt).toBe('2026-04-02T09:00:00.000Z');
    expect(h.byType).toEqual([
      { type: 'ADT^A01', received: 2, errors: 0 },
      { type: 'ADT^A08', received: 1, errors: 1 },
      { type: 'unreadable', received: 1, errors: 1 },
    ]);
  });

  it('gives the no-show rate over appointments whose outcome is known, leaving out cancelled and deleted ones', async () => {
    const w = await makeSchedulingWorld(t);
    const book = async (timeUtc: string) =>
      (
        await bookAppointment(w.deps, w.clerk, {
          patientId: await w.patient(),
          typeId: w.visit,
          resourceIds: [w.drA],
          start: `2026-03-09T${timeUtc}:00Z`,
        })
      ).id;
    // Monday 2026-03-09, 09:00-11:00 New York (13:00-15:00 UTC).
    const done = await book('13:00');
    await setAppointmentStatus(w.deps, w.clerk, done, 'checked_in');
    await setAppointmentStatus(w.deps, w.clerk, done, 'completed');
    await setAppointmentStatus(w.deps, w.clerk, await book('13:30'), 'no_show');
    await setAppointmentStatus(w.deps, w.clerk, await book('14:00'), 'cancelled', { reason: 'patient called' });
    await setAppointmentStatus(w.deps, w.clerk, await book('14:30'), 'deleted', { reason: 'booked in error' });
    await book('15:00'); // still booked
    const o = await appointmentOutcomes(t.db, { from: '2026-03-09T00:00:00.000Z', to: '2026-03-09T23:59:59.999Z' });
    // Known outcomes: 1 completed + 1 no-show -> 1/2; the deleted one is not counted at all.
    expect(o).toEqual({ scheduled: 4, completed: 1, checkedIn: 0, noShow: 1, cancelled: 1, booked: 1, noShowRate: 0.5 });
  });
});
