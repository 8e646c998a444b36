/**
 * The restricted record's claims, for the restricted-record walk: helpers that make a fresh final-coded stay of the
 * record and take its claim to the state a walk step needs (built, released, denied by an 835). The payer's name is a
 * secret of the record (SECRET.payer); the set-up (billing provider, payer, coverage, chargemaster) is made once per
 * database, found again by its ids.
 */
import type { AppDeps } from '../../src/app/deps.js';
import { buildModuleDeps } from '../../src/app/modules.js';
import { newId } from '../../src/core/shared/ids.js';
import { build835 } from '../../src/core/x12/remit-fixtures.test-support.js';
import { Role, systemActor, type Actor } from '../../src/modules/access/index.js';
import {
  addBillingProvider,
  addChargemasterItem,
  addCharge,
  addCoverage,
  addPayer,
  buildClaim,
  exportClaims,
  postRemittance,
  type ClaimsDeps,
} from '../../src/modules/claims/index.js';
import { createEncounter } from '../../src/modules/patients/index.js';

const system: Actor = { ...systemActor('walk-fixture'), role: Role.himDirector };
const ITEM_CODE = 'WALK-ROOM';
/** One day of room at 1,000.00 per walk claim. */
const CHARGE = '1000.00';

const claimsDeps = (deps: AppDeps): ClaimsDeps => ({
  ...buildModuleDeps(deps).claims,
  checkCodes: null,
  codeEditor: () => Promise.resolve(null),
});

const ATTENDING_NPI = '1987654328';

async function setUp(deps: AppDeps, c: ClaimsDeps, patientId: string, payerName: string): Promise<{ itemId: string; attendingId: string }> {
  const item = await deps.db.selectFrom('chargemaster_items').select('id').where('code', '=', ITEM_CODE).executeTakeFirst();
  const attending = await deps.db.selectFrom('providers').select('id').where('npi', '=', ATTENDING_NPI).executeTakeFirst();
  if (item && attending) return { itemId: item.id, attendingId: attending.id };
  const attendingId = newId();
  await deps.db
    .insertInto('providers')
    .values({
      id: attendingId,
      npi: ATTENDING_NPI,
      family_name: 'Okafor',
      given_name: 'Ada',
      credentials: 'MD',
      specialty: null,
      created_at: '2026-01-01T00:00:00.000Z',
    })
    .execute();
  await addBillingProvider(c, system, {
    facilityId: 'fac-walk',
    name: 'Walk Hospital',
    npi: '1234567893',
    taxonomy: '282N00000X',
    taxId: '12-3456789',
    address: { line1: '1 Walk Street', city: 'Springfield', state: 'IL', zip: '62701-1234' },
  });
  const payerId = (await addPayer(c, system, { name: payerName, payerId: 'ZETA1', claimFilingIndicator: 'CI' })).id;
  await addCoverage(c, system, patientId, {
    payerId,
    benefitOrder: 1,
    relationship: '18',
    memberId: 'ZC-1',
    subscriber: {
      familyName: 'Zebulon',
      givenName: 'Quill',
      dateOfBirth: '1961-02-03',
      sex: 'M',
      address: { line1: '9 Hidden Lane', city: 'Springfield', state: 'IL', zip: '62704' },
    },
  });
  const itemId = (
    await addChargemasterItem(c, system, { code: ITEM_CODE, description: 'Room and board', revenueCode: '0120', priceCents: 100_000 })
  ).id;
  return { itemId, attendingId };
}

export interface WalkClaim {
  encounterId: string;
  claimId: string | null;
  patientControlNumber: string | null;
  postingId: string | null;
}

/**
 * A new final-coded stay of the record with a room charge and, from `built` on, its 837I claim: `coded` (no claim),
 * `built` (scrubbed, stored), `released` (sent in an interchange), `denied` (an 835 denied it, CO-50).
 */
export async function makeWalkClaim(
  deps: AppDeps,
  patientId: string,
  payerName: string,
  state: 'coded' | 'built' | 'released' | 'denied',
): Promise<WalkClaim> {
  const c = claimsDeps(deps);
  const { itemId, attendingId } = await setUp(deps, c, patientId, payerName);
  const { id: encounterId } = await createEncounter(deps, system, patientId, {
    accountNumber: `RC${newId()
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 12)}`,
    type: 'inpatient',
    admitAt: '2026-02-20T09:00:00Z',
    dischargeAt: '2026-02-21T15:00:00Z',
    dischargeStatus: '01',
    attendingProviderId: attendingId,
  });
  const at = '2026-02-22T10:00:00.000Z';
  await deps.db
    .insertInto('coding_abstracts')
    .values({
      encounter_id: encounterId,
      patient_id: patientId,
      status: 'final',
      version: 1,
      data: JSON.stringify({
        principalDx: { code: 'I5023', poa: 'Y' },
        secondaryDx: [],
        admittingDx: 'R0602',
        reasonForVisit: [],
        procedures: [],
        dischargeStatus: '01',
        birthWeightGrams: null,
      }),
      assigned_to: null,
      assigned_at: null,
      working_drg: '293',
      working_drg_title: null,
      final_drg: '293',
      coded_by: 'walk',
      coded_at: at,
      query_answered: 0,
      updated_by: 'walk',
      created_at: at,
      updated_at: at,
    })
    .execute();
  await addCharge(c, system, encounterId, { itemId, serviceDate: '2026-02-20', units: 1, component: 'facility' });
  if (state === 'coded') return { encounterId, claimId: null, patientControlNumber: null, postingId: null };
  const claim = await buildClaim(c, system, encounterId, { kind: '837I' });
  const out = { encounterId, claimId: claim.id, patientControlNumber: claim.patientControlNumber, postingId: null };
  if (state === 'built') return out;
  if (claim.status !== 'ready') throw new Error(`walk claim not ready: ${JSON.stringify(claim.findings)}`);
  await exportClaims(c, system, {
    kind: '837I',
    sender: { qualifier: 'ZZ', id: 'WALK' },
    receiver: { qualifier: 'ZZ', id: 'RECEIVER' },
    submission: {
      submitterName: 'WALK',
      submitterId: 'WALK',
      submitterContact: { name: 'BILLING', phone: '5555550100' },
      receiverName: 'CLEARINGHOUSE',
      receiverId: 'RECEIVER',
    },
    usage: 'T',
  });
  if (state === 'released') return out;
  const posted = await postRemittance(c, system, walkDenial835(claim.patientControlNumber));
  return { ...out, postingId: posted.payments[0]?.postings[0]?.postingId ?? null };
}

/** An 835 denying the claim whole (CO-50). */
export function walkDenial835(patientControlNumber: string): string {
  return build835({
    trace: `WALK${newId().slice(0, 8)}`,
    body: ['LX*1', `CLP*${patientControlNumber}*4*${CHARGE}*0*0*CI*ICN${patientControlNumber}*11*1`, `CAS*CO*50*${CHARGE}`],
  });
}

/** A 277CA accepting the claim. */
export function walk277(patientControlNumber: string): string {
  const body = [
    'ST*277*0001*005010X214',
    'BHT*0085*08*1*20260301*1200*TH',
    'HL*1**20*1',
    'NM1*PR*2*PAYER*****PI*ZETA1',
    'TRN*1*1',
    'HL*2*1*21*1',
    'NM1*41*2*WALK HOSPITAL*****46*WALK',
    'TRN*2*BATCH1',
    'STC*A1:19*20260301*WQ*100',
    'HL*3*2*19*1',
    'NM1*85*2*WALK HOSPITAL*****XX*1234567893',
    'HL*4*3*PT',
    'NM1*QC*1*DOE*JANE',
    `TRN*2*${patientControlNumber}`,
    'STC*A2:20*20260301*WQ*100',
  ];
  body.push(`SE*${String(body.length + 1)}*0001`);
  return [
    'ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*WALK           *260301*1200*^*00501*000000001*0*P*:',
    'GS*HN*CH*WALK*20260301*1200*1*X*005010X214',
    ...body,
    'GE*1*1',
    'IEA*1*000000001',
  ].join('~\n');
}

/**
 * A queued CLP (its CLP01 matched no claim when the 835 came) that pays the record's released claim: the unmatched
 * row's id and the claim a biller posts it to by hand.
 */
export async function makeWalkUnmatched(
  deps: AppDeps,
  patientId: string,
  payerName: string,
): Promise<{ unmatchedId: string; claimId: string }> {
  const c = claimsDeps(deps);
  const claim = await makeWalkClaim(deps, patientId, payerName, 'released');
  const stray = `Q${newId()
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 12)}`;
  const posted = await postRemittance(c, system, walkDenial835(stray));
  const row = await deps.db
    .selectFrom('remittance_unmatched')
    .select('id')
    .where('patient_control_number', '=', stray)
    .executeTakeFirstOrThrow();
  if (posted.status !== 'posted' || !claim.claimId) throw new Error('walk unmatched remittance not queued');
  return { unmatchedId: row.id, claimId: claim.claimId };
}
