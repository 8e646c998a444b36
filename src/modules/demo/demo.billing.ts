/**
 * Billing demo data (issue 20): the hospital's billing provider, payers (Medicare, Medicaid, commercial plans), a
 * small chargemaster, and a few discharged inpatient stays final-coded through the coding service (the grouper gives
 * the MS-DRG), each with the patient's registration insurance as a coverage and room, pharmacy, laboratory and
 * physician charges. Their 837I and 837P claims are built: two stays' institutional claims are released and answered
 * by an 835 (one paid with a contractual adjustment and a deductible, one denied CO-50) and a third released unanswered,
 * so the denials worklist and A/R show something; the others wait, ready, for the biller to release. Loading the
 * grouper and the code sets for final coding takes tens of seconds, so `seedDemo` runs this only when asked
 * (`custodian demo seed` and `serve --demo` do). Stays that cannot be final-coded (an open
 * query, a blocking edit) are skipped; the seed goes on.
 */
import type { AppDeps } from '../../app/deps.js';
import { buildModuleDeps } from '../../app/modules.js';
import { isDomainError } from '../../core/errors.js';
import { Permission, Role, systemActor, type Actor } from '../access/index.js';
import {
  addBillingProvider,
  addCharge,
  addChargemasterItem,
  addCoverage,
  addPayer,
  buildClaim,
  exportClaims,
  postRemittance,
  type ClaimsDeps,
} from '../claims/index.js';
import { finalCode } from '../coding/index.js';
import { getPatientSummary, listDischargedEncounters } from '../patients/index.js';
import { payers as demoPayers } from './demo.rules.js';

const FACILITY = 'fac-custodian-general';
const seeder: Actor = { ...systemActor('demo-seed'), role: Role.himDirector };

const chargemaster = [
  { key: 'room', code: 'RB-MEDSURG', description: 'Room and board, medical/surgical', revenueCode: '0120', priceCents: 245_000 },
  { key: 'pharmacy', code: 'RX-GENERAL', description: 'Pharmacy, general', revenueCode: '0250', priceCents: 1_850 },
  { key: 'lab', code: 'LAB-BMP', description: 'Basic metabolic panel', revenueCode: '0301', hcpcs: '80048', priceCents: 9_500 },
  { key: 'echo', code: 'CARD-ECHO', description: 'Echocardiogram, complete', revenueCode: '0483', hcpcs: '93306', priceCents: 185_000 },
  {
    key: 'admitVisit',
    code: 'PRO-99223',
    description: 'Initial hospital care, high',
    revenueCode: '0960',
    hcpcs: '99223',
    priceCents: 42_000,
  },
  {
    key: 'dischargeVisit',
    code: 'PRO-99239',
    description: 'Hospital discharge day',
    revenueCode: '0960',
    hcpcs: '99239',
    priceCents: 21_000,
  },
] as const;

/** Heart failure with CKD and diabetes, present on admission (the coding demo's first scenario). */
const codes = {
  principalDx: { code: 'I5023', poa: 'Y' as const },
  secondaryDx: [
    { code: 'N1831', poa: 'Y' as const },
    { code: 'E1122', poa: 'Y' as const },
  ],
  admittingDx: 'R0602',
};

const envelope = {
  // The HTTP release's default sender: one control-number counter, so interchange numbers never repeat.
  sender: { qualifier: 'ZZ', id: 'CUSTODIAN' },
  receiver: { qualifier: 'ZZ', id: 'DEMOCLEARING' },
  submission: {
    submitterName: 'CUSTODIAN GENERAL HOSPITAL',
    submitterId: 'CUSTODIAN',
    submitterContact: { name: 'PATIENT FINANCIAL SERVICES', phone: '6175550199' },
    receiverName: 'DEMO CLEARINGHOUSE',
    receiverId: 'DEMOCLEARING',
  },
  usage: 'T' as const,
};

const day = (iso: string) => iso.slice(0, 10);
const daysBetween = (a: string, b: string) => Math.max(1, Math.round((Date.parse(day(b)) - Date.parse(day(a))) / 86_400_000));
const amount = (cents: number) => (cents / 100).toFixed(2);

export interface BillingDemoResult {
  finalCoded: number;
  claims: number;
  released: number;
}

export async function seedBillingDemo(deps: AppDeps, opts: { stays?: number } = {}): Promise<BillingDemoResult> {
  const modules = buildModuleDeps(deps);
  const claims: ClaimsDeps = modules.claims;
  await addBillingProvider(claims, seeder, {
    facilityId: FACILITY,
    name: 'Custodian General Hospital',
    npi: '1660432109',
    taxonomy: '282N00000X',
    taxId: '04-1234567',
    address: { line1: '55 Fruit Street', city: 'Boston', state: 'MA', zip: '02114-2696' },
  });
  const payerIds = new Map<string, string>();
  for (const p of demoPayers)
    if (p.payerId)
      payerIds.set(
        p.payerName,
        (await addPayer(claims, seeder, { name: p.payerName, payerId: p.payerId, claimFilingIndicator: p.planType })).id,
      );
  const items = new Map<string, string>();
  for (const { key, ...item } of chargemaster) items.set(key, (await addChargemasterItem(claims, seeder, item)).id);
  const item = (k: (typeof chargemaster)[number]['key']) => items.get(k) ?? '';

  const list = await deps.records.openList(seeder, { permission: Permission.encounterRead, resourceType: 'encounter' });
  const stays = await listDischargedEncounters(deps.db, list, 'inpatient');
  const billed: string[] = [];
  const covered = new Set<string>();
  for (const stay of stays) {
    if (billed.length >= (opts.stays ?? 6)) break;
    const s = await getPatientSummary(modules.patients, seeder, stay.patient_id);
    const ins = s.insurance[0];
    const payerId = ins ? payerIds.get(ins.payerName) : undefined;
    const a = s.patient.address;
    const adult = s.patient.dateOfBirth !== null && s.patient.dateOfBirth < '2007-01-01';
    if (s.patient.restricted || !ins || !payerId || !a.line1 || !a.city || !a.state || !a.postalCode || !adult || !stay.discharge_at)
      continue;
    const enc = s.encounters.find((e) => e.id === stay.id);
    try {
      await finalCode(modules.coding, seeder, stay.id, { ...codes, dischargeStatus: enc?.dischargeStatus ?? '01' });
    } catch (e) {
      if (isDomainError(e)) continue;
      throw e;
    }
    if (!covered.has(stay.patient_id))
      await addCoverage(claims, seeder, stay.patient_id, {
        payerId,
        benefitOrder: 1,
        relationship: '18',
        memberId: ins.memberId,
        groupNumber: ins.groupNumber,
        subscriber: {
          familyName: s.patient.familyName,
          givenName: s.patient.givenName,
          dateOfBirth: s.patient.dateOfBirth,
          sex: s.patient.sex === 'F' || s.patient.sex === 'M' ? s.patient.sex : 'U',
          address: { line1: a.line1, city: a.city, state: a.state, zip: a.postalCode },
        },
      });
    covered.add(stay.patient_id);
    const admit = day(stay.admit_at);
    const discharge = day(stay.discharge_at);
    const charge = (itemId: string, serviceDate: string, units: number, component: 'facility' | 'professional') =>
      addCharge(claims, seeder, stay.id, {
        itemId,
        serviceDate,
        units,
        component,
        ...(component === 'professional' ? { diagnosisPointers: [1, 2, 3] } : {}),
      });
    await charge(item('room'), admit, daysBetween(admit, discharge), 'facility');
    await charge(item('pharmacy'), admit, 12, 'facility');
    await charge(item('lab'), admit, 2, 'facility');
    await charge(item('echo'), admit, 1, 'facility');
    await charge(item('admitVisit'), admit, 1, 'professional');
    await charge(item('dischargeVisit'), discharge, 1, 'professional');
    billed.push(stay.id);
  }
  return billClaims(claims, billed);
}

/**
 * The first three stays' 837I claims are released and the first two answered (paid, denied), so A/R holds the third;
 * the other stays' claims (and every 837P) wait, ready, for the biller.
 */
async function billClaims(claims: ClaimsDeps, stays: string[]): Promise<BillingDemoResult> {
  let built = 0;
  const answered: { pcn: string; total: number }[] = [];
  for (const [i, id] of stays.entries()) {
    if (i >= 3) break;
    const c = await buildClaim(claims, seeder, id, { kind: '837I' });
    built++;
    if (c.status === 'ready' && i < 2) answered.push({ pcn: c.patientControlNumber, total: c.totalCents });
  }
  const out = await exportClaims(claims, seeder, { ...envelope, kind: '837I' });
  const released = out.claims.filter((c) => c.ok).length;
  const [paid, denied] = answered;
  const body: string[] = ['LX*1'];
  if (paid) {
    const allowed = Math.round(paid.total * 0.42);
    body.push(`CLP*${paid.pcn}*1*${amount(paid.total)}*${amount(allowed - 163_200)}*${amount(163_200)}*MA*DEMOICN1*11*1`);
    body.push(`CAS*CO*45*${amount(paid.total - allowed)}`, `CAS*PR*1*${amount(163_200)}`);
  }
  if (denied)
    body.push(`CLP*${denied.pcn}*4*${amount(denied.total)}*0*0*MA*DEMOICN2*11*1`, `CAS*CO*50*${amount(denied.total)}`, 'MOA***N115');
  if (body.length > 1) await postRemittance(claims, seeder, demo835(body));
  for (const [i, id] of stays.entries()) {
    for (const kind of i < 3 ? (['837P'] as const) : (['837I', '837P'] as const)) {
      await buildClaim(claims, seeder, id, { kind });
      built++;
    }
  }
  return { finalCoded: stays.length, claims: built, released };
}

/** A balanced 835 around the CLP loops (BPR02 = sum of CLP04). */
function demo835(body: string[]): string {
  const paid = body.filter((s) => s.startsWith('CLP*')).reduce((sum, s) => sum + Math.round(Number(s.split('*')[4]) * 100), 0);
  const tx = [
    'ST*835*0001',
    `BPR*I*${amount(paid)}*C*ACH*CCP*01*011000015*DA*1234567*1512345678**01*011000028*DA*7654321*20260301`,
    'TRN*1*DEMOEFT0001*1512345678',
    'DTM*405*20260301',
    'N1*PR*MEDICARE PART A',
    'N3*PO BOX 1000',
    'N4*BOSTON*MA*021100000',
    'REF*2U*00450',
    'N1*PE*CUSTODIAN GENERAL HOSPITAL*XX*1660432109',
    ...body,
  ];
  tx.push(`SE*${String(tx.length + 1)}*0001`);
  return [
    'ISA*00*          *00*          *ZZ*MEDICAREA      *ZZ*CUSTODIANGEN   *260301*1200*^*00501*000000901*0*P*:',
    'GS*HP*MEDICAREA*CUSTODIANGEN*20260301*1200*901*X*005010X221A1',
    ...tx,
    'GE*1*901',
    'IEA*1*000000901',
  ].join('~\n');
}
