/**
 * Encounter (FHIR R4) from `encounters`: account number as identifier, status, class (v3 ActCode), period, the
 * attending provider as participant, the facility as serviceProvider, the UB-04 discharge status as
 * hospitalization.dischargeDisposition, the reason for visit as text.
 */
import type { EncounterTable } from '../../db/schema.js';
import { ACCOUNT_SYSTEM } from './fhir.rules.js';
import type { Encounter } from './fhir.types.js';

type Status = Encounter['status'];
const statuses: Record<string, Status> = { preadmit: 'planned', active: 'in-progress', discharged: 'finished', cancelled: 'cancelled' };
/** FHIR encounter statuses to ours (for search). */
export function encounterStatusesOf(fhirStatus: string): string[] {
  return Object.entries(statuses)
    .filter(([, f]) => f === fhirStatus)
    .map(([ours]) => ours);
}

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const classes: Record<string, { code: string; display: string }> = {
  inpatient: { code: 'IMP', display: 'inpatient encounter' },
  outpatient: { code: 'AMB', display: 'ambulatory' },
  emergency: { code: 'EMER', display: 'emergency' },
  observation: { code: 'OBSENC', display: 'observation encounter' },
};

export function toEncounter(e: EncounterTable): Encounter {
  const cls = classes[e.type] ?? { code: 'AMB', display: 'ambulatory' };
  return {
    resourceType: 'Encounter',
    id: e.id,
    meta: { lastUpdated: e.updated_at },
    identifier: [{ use: 'official', system: ACCOUNT_SYSTEM, value: e.account_number }],
    status: statuses[e.status] ?? 'unknown',
    class: { system: ACT_CODE, ...cls },
    subject: { reference: `Patient/${e.patient_id}` },
    ...(e.attending_provider_id
      ? {
          participant: [
            {
              type: [
                { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'ATND', display: 'attender' }] },
              ],
              individual: { reference: `Practitioner/${e.attending_provider_id}` },
            },
          ],
        }
      : {}),
    period: { start: e.admit_at, ...(e.discharge_at ? { end: e.discharge_at } : {}) },
    ...(e.reason_for_visit ? { reasonCode: [{ text: e.reason_for_visit }] } : {}),
    ...(e.discharge_status
      ? {
          hospitalization: {
            dischargeDisposition: { coding: [{ system: 'https://www.nubc.org/CodeSystem/PatDischargeStatus', code: e.discharge_status }] },
          },
        }
      : {}),
    serviceProvider: { reference: `Organization/${e.facility_id}` },
  };
}
