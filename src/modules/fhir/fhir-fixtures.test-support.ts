/**
 * A small hospital for the FHIR API tests: a facility, a provider, two patients (one with another's record merged
 * into it), encounters, a final coding abstract (diagnoses with POA, a procedure) and a filed document.
 */
import type { AppDeps } from '../../app/deps.js';
import { documentsDepsOf } from '../../app/modules.js';
import { newId } from '../../core/shared/ids.js';
import { Role, systemActor, type Actor } from '../access/index.js';
import { createDocumentsService } from '../documents/index.js';
import { mergePatients } from '../mpi/index.js';
import { createEncounter, createPatient, type NewPatient } from '../patients/index.js';

export interface FhirWorld {
  facilityId: string;
  providerId: string;
  patientId: string;
  mrn: string;
  otherPatientId: string;
  mergedId: string;
  e1: string;
  e2: string;
  documentId: string;
}

const clerk: Actor = { ...systemActor('fhir-fixture'), role: Role.himClerk };

export async function makeFhirWorld(deps: AppDeps): Promise<FhirWorld> {
  const facilityId = `fac-${newId().slice(-8)}`;
  await deps.db
    .insertInto('facilities')
    .values({ id: facilityId, name: 'Riverside General', mrn_prefix: '', next_mrn: 7000001, created_at: '2026-01-01T00:00:00.000Z' })
    .execute();
  const providerId = newId();
  await deps.db
    .insertInto('providers')
    .values({
      id: providerId,
      npi: '1234567893',
      family_name: 'Okafor',
      given_name: 'Ngozi',
      credentials: 'MD',
      specialty: 'Surgery',
      created_at: '2026-01-01T00:00:00.000Z',
    })
    .execute();
  const person = (over: Partial<NewPatient>): NewPatient => ({
    facilityId,
    familyName: 'Fairweather',
    givenName: 'Rosalind',
    dateOfBirth: '1961-04-09',
    sex: 'F',
    address: { line1: '12 Mill Lane', city: 'Springfield', state: 'IL', postalCode: '62701' },
    identifiers: [{ system: 'EPIC', value: 'E-55501' }],
    phone: '555-0142',
    ...over,
  });
  const p = await createPatient(deps, clerk, person({}));
  const other = await createPatient(
    deps,
    clerk,
    person({
      familyName: 'Hollowell',
      givenName: 'Edmund',
      dateOfBirth: '1950-12-01',
      sex: 'M',
      identifiers: [{ system: 'EPIC', value: 'E-55502' }],
    }),
  );
  const dup = await createPatient(deps, clerk, person({ givenName: 'Rosalyn', phone: '555-0199' }));
  await mergePatients(deps, clerk, { survivorId: p.id, mergedId: dup.id });
  const stay = (account: string, admitAt: string, dischargeAt?: string) =>
    createEncounter(deps, clerk, p.id, {
      accountNumber: account,
      type: 'inpatient',
      admitAt,
      ...(dischargeAt ? { dischargeAt, dischargeStatus: '01' } : {}),
      attendingProviderId: providerId,
    });
  const e1 = (await stay('A-100', '2026-01-10T08:30:00Z', '2026-01-14T12:00:00Z')).id;
  const e2 = (await stay('A-200', '2026-02-20T22:15:00Z')).id;
  await createEncounter(deps, clerk, other.id, { accountNumber: 'B-100', type: 'outpatient', admitAt: '2026-01-11T09:00:00Z' });
  const data = {
    principalDx: { code: 'A419', poa: 'Y' },
    secondaryDx: [
      { code: 'N179', poa: 'N' },
      { code: 'E119', poa: '1' },
    ],
    admittingDx: 'R509',
    reasonForVisit: [],
    procedures: [{ code: '5A1955Z', date: '2026-01-11', operatingProviderId: providerId }],
    dischargeStatus: '01',
    birthWeightGrams: null,
  };
  const at = '2026-01-20T10:00:00.000Z';
  await deps.db
    .insertInto('coding_abstracts')
    .values({
      encounter_id: e1,
      patient_id: p.id,
      status: 'final',
      version: 1,
      data: JSON.stringify(data),
      assigned_to: null,
      assigned_at: null,
      working_drg: '871',
      working_drg_title: null,
      final_drg: '871',
      coded_by: 'fixture',
      coded_at: at,
      query_answered: 0,
      updated_by: 'fixture',
      created_at: at,
      updated_at: at,
    })
    .execute();
  const doc = await createDocumentsService(documentsDepsOf(deps)).fileDocument(systemActor('fhir-fixture'), {
    patientId: p.id,
    encounterId: e1,
    typeCode: 'PN',
    source: 'system',
    content: { bytes: new TextEncoder().encode('Progress note: afebrile, improving.'), mediaType: 'text/plain' },
  });
  return { facilityId, providerId, patientId: p.id, mrn: p.mrn, otherPatientId: other.id, mergedId: dup.id, e1, e2, documentId: doc.id };
}
