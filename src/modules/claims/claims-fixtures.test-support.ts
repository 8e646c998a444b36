/**
 * Test data for the claims service tests and the MPI merge test (not a test file itself): a facility with its
 * billing provider, an attending physician with an NPI, payers, a chargemaster, and final-coded encounters (the
 * abstract row is written as final coding leaves it, so the tests need no code sets or grouper).
 */
import { newId } from '../../core/shared/ids.js';
import type { TestDatabase } from '../../../test/support/databases.js';
import { FACILITY_ID, insertUserFor, makeActor, makeDeps, makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { Role, type Actor } from '../access/index.js';
import { createEncounter, createPatient } from '../patients/index.js';
import { addBillingProvider, addChargemasterItem, addCharge, addCoverage, addPayer } from './claims-setup.service.js';
import type { ClaimsDeps } from './claims.service.js';

export interface ClaimsWorld {
  deps: ClaimsDeps & ReturnType<typeof makeDeps>;
  biller: Actor;
  clerk: Actor;
  payers: { medicare: string; acme: string };
  items: { room: string; pharmacy: string; visit: string };
  /** A discharged, final-coded encounter of a new patient with Medicare primary (and Acme secondary when asked). */
  codedEncounter(over?: {
    type?: 'inpatient' | 'outpatient';
    secondary?: boolean;
    account?: string;
    restricted?: boolean;
  }): Promise<{ patientId: string; encounterId: string }>;
}

let accounts = 0;

export async function makeClaimsWorld(t: TestDatabase): Promise<ClaimsWorld> {
  const base = makeDeps(t, '2026-03-10T08:00:00Z');
  const deps = { ...base, checkCodes: null, codeEditor: () => Promise.resolve(null) };
  await makeFacility(t);
  const providerId = newId();
  await t.db
    .insertInto('providers')
    .values({
      id: providerId,
      npi: '1987654328',
      family_name: 'Morgan',
      given_name: 'Ann',
      credentials: 'MD',
      specialty: null,
      created_at: '2026-01-01T00:00:00.000Z',
    })
    .execute();
  const biller = makeActor(Role.himDirector);
  const clerk = makeActor(Role.himClerk);
  for (const a of [biller, clerk]) await insertUserFor(t, a);
  await addBillingProvider(deps, biller, {
    facilityId: FACILITY_ID,
    name: 'Custodian General Hospital',
    npi: '1234567893',
    taxonomy: '282N00000X',
    taxId: '12-3456789',
    address: { line1: '100 Main Street', city: 'Springfield', state: 'IL', zip: '62701-1234' },
  });
  const medicare = (await addPayer(deps, biller, { name: 'Medicare Part A', payerId: '00430', claimFilingIndicator: 'MA' })).id;
  const acme = (await addPayer(deps, biller, { name: 'Acme Health Plan', payerId: 'ACME1', claimFilingIndicator: 'CI' })).id;
  const room = (
    await addChargemasterItem(deps, biller, {
      code: 'RB-MED',
      description: 'Room and board, medical',
      revenueCode: '0120',
      priceCents: 251_000,
    })
  ).id;
  const pharmacy = (
    await addChargemasterItem(deps, biller, { code: 'RX-GEN', description: 'Pharmacy, general', revenueCode: '0250', priceCents: 1_250 })
  ).id;
  const visit = (
    await addChargemasterItem(deps, biller, {
      code: 'PRO-99214',
      description: 'Office visit, level 4',
      revenueCode: '0510',
      hcpcs: '99214',
      priceCents: 15_000,
    })
  ).id;
  return {
    deps,
    biller,
    clerk,
    payers: { medicare, acme },
    items: { room, pharmacy, visit },
    async codedEncounter(over = {}) {
      const p = await createPatient(
        deps,
        clerk,
        makePatientInput({
          familyName: 'Peña',
          givenName: 'José',
          dateOfBirth: '1948-05-17',
          sex: 'M',
          address: { line1: '12 Oak Avenue', city: 'Springfield', state: 'IL', postalCode: '62704' },
        }),
      );
      accounts++;
      const inpatient = (over.type ?? 'inpatient') === 'inpatient';
      const e = await createEncounter(deps, clerk, p.id, {
        accountNumber: over.account ?? `C${String(accounts).padStart(6, '0')}`,
        type: over.type ?? 'inpatient',
        admitAt: inpatient ? '2026-03-01T10:00:00.000Z' : '2026-03-02T09:00:00.000Z',
        dischargeAt: inpatient ? '2026-03-05T12:00:00.000Z' : '2026-03-02T11:00:00.000Z',
        dischargeStatus: '01',
        attendingProviderId: providerId,
      });
      const subscriber = {
        familyName: 'Peña',
        givenName: 'José',
        dateOfBirth: '1948-05-17',
        sex: 'M' as const,
        address: { line1: '12 Oak Avenue', city: 'Springfield', state: 'IL', zip: '62704' },
      };
      await addCoverage(deps, biller, p.id, {
        payerId: medicare,
        benefitOrder: 1,
        relationship: '18',
        memberId: '1EG4TE5MK72',
        subscriber,
      });
      if (over.secondary)
        await addCoverage(deps, biller, p.id, {
          payerId: acme,
          benefitOrder: 2,
          relationship: '18',
          memberId: 'ACM1234',
          groupNumber: 'GRP100',
          subscriber,
        });
      const data = {
        principalDx: { code: 'I5023', poa: 'Y' },
        secondaryDx: [{ code: 'N179', poa: 'Y' }],
        admittingDx: inpatient ? 'R0602' : null,
        reasonForVisit: inpatient ? [] : ['R0602'],
        procedures: [],
        dischargeStatus: '01',
        birthWeightGrams: null,
      };
      await t.db
        .insertInto('coding_abstracts')
        .values({
          encounter_id: e.id,
          patient_id: p.id,
          status: 'final',
          version: 2,
          data: JSON.stringify(data),
          assigned_to: null,
          assigned_at: null,
          working_drg: inpatient ? '292' : null,
          working_drg_title: null,
          final_drg: inpatient ? '292' : null,
          coded_by: null,
          coded_at: '2026-03-08T10:00:00.000Z',
          query_answered: 0,
          updated_by: null,
          created_at: '2026-03-06T10:00:00.000Z',
          updated_at: '2026-03-08T10:00:00.000Z',
        })
        .execute();
      if (inpatient) {
        await addCharge(deps, biller, e.id, { itemId: room, serviceDate: '2026-03-01', units: 4, component: 'facility' });
        await addCharge(deps, biller, e.id, { itemId: pharmacy, serviceDate: '2026-03-02', units: 10, component: 'facility' });
      }
      await addCharge(deps, biller, e.id, {
        itemId: visit,
        serviceDate: '2026-03-02',
        units: 1,
        component: 'professional',
        modifiers: ['25'],
        diagnosisPointers: [1, 2],
      });
      if (!inpatient) await addCharge(deps, biller, e.id, { itemId: visit, serviceDate: '2026-03-02', units: 1, component: 'facility' });
      // Restricted last: the set-up above is registration's and billing's own work before the flag went on.
      if (over.restricted)
        await t.db.updateTable('patients').set({ restricted: 1, restriction_reason: 'VIP' }).where('id', '=', p.id).execute();
      return { patientId: p.id, encounterId: e.id };
    },
  };
}

/** One row in each claims table of a patient (MPI merge test): a coverage, a charge and a claim of the encounter. */
export async function addClaimsRows(db: TestDatabase['db'], patientId: string, encounterId: string, userId: string): Promise<void> {
  const at = '2026-02-20T10:00:00.000Z';
  const payerId = `payer-${patientId}`;
  const itemId = `item-${patientId}`;
  await db
    .insertInto('payers')
    .values({
      id: payerId,
      name: 'Medicare Part A',
      payer_code: '00430',
      claim_filing_indicator: 'MA',
      address_line1: null,
      city: null,
      state: null,
      postal_code: null,
      created_at: at,
    })
    .execute();
  await db
    .insertInto('chargemaster_items')
    .values({
      id: itemId,
      code: `RB-${patientId}`,
      description: 'Room',
      revenue_code: '0120',
      hcpcs: null,
      price_cents: 100,
      active: 1,
      created_at: at,
    })
    .execute();
  await db
    .insertInto('patient_coverages')
    .values({
      patient_id: patientId,
      id: `cov-${patientId}`,
      payer_id: payerId,
      benefit_order: 1,
      relationship: '18',
      member_id: 'M1',
      group_number: null,
      group_name: null,
      subscriber_family_name: 'Doe',
      subscriber_given_name: null,
      subscriber_middle_name: null,
      subscriber_date_of_birth: null,
      subscriber_sex: null,
      subscriber_address_line1: null,
      subscriber_address_line2: null,
      subscriber_city: null,
      subscriber_state: null,
      subscriber_postal_code: null,
      effective_from: null,
      effective_to: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('encounter_charges')
    .values({
      patient_id: patientId,
      id: `chg-${patientId}`,
      encounter_id: encounterId,
      item_id: itemId,
      service_date: '2026-02-20',
      units: 1,
      amount_cents: 100,
      modifiers: '[]',
      component: 'facility',
      diagnosis_pointers: '[]',
      rendering_provider_id: null,
      created_by: userId,
      created_at: at,
    })
    .execute();
  await db
    .insertInto('claims')
    .values({
      patient_id: patientId,
      id: `clm-${patientId}`,
      encounter_id: encounterId,
      kind: '837I',
      coverage_id: `cov-${patientId}`,
      status: 'draft',
      patient_control_number: `PCN-${patientId}`.slice(0, 38),
      total_cents: 100,
      statement_from: '2026-02-20',
      statement_to: '2026-02-20',
      drg: null,
      data: '{}',
      findings: '[]',
      interchange_control_number: null,
      transaction_control_number: null,
      released_at: null,
      created_by: userId,
      created_at: at,
      updated_at: at,
    })
    .execute();
}
