/**
 * Procedure (FHIR R4) from a final coding abstract: each ICD-10-PCS procedure (system
 * http://www.cms.gov/Medicare/Coding/ICD10) with its date and operating provider; id `<encounter id>.px<n>`
 * (n = 1 for the principal procedure, UHDDS).
 */
import type { AbstractData } from '../coding/index.js';
import { ICD10PCS_SYSTEM } from './fhir.rules.js';
import type { Procedure } from './fhir.types.js';

export function proceduresOf(
  data: AbstractData,
): { rank: number; code: string; date: string | null; operatingProviderId: string | null }[] {
  return data.procedures.map((p, i) => ({ rank: i + 1, code: p.code, date: p.date, operatingProviderId: p.operatingProviderId }));
}

export function procedureId(encounterId: string, rank: number): string {
  return `${encounterId}.px${rank}`;
}

export function parseProcedureId(id: string): { encounterId: string; rank: number } | undefined {
  const m = /^([A-Za-z0-9-]{1,56})\.px(\d{1,3})$/.exec(id);
  return m?.[1] && m[2] ? { encounterId: m[1], rank: Number(m[2]) } : undefined;
}

export function toProcedure(
  a: { patient_id: string; encounter_id: string; updated_at: string },
  p: { rank: number; code: string; date: string | null; operatingProviderId: string | null },
): Procedure {
  return {
    resourceType: 'Procedure',
    id: procedureId(a.encounter_id, p.rank),
    meta: { lastUpdated: a.updated_at },
    status: 'completed',
    code: { coding: [{ system: ICD10PCS_SYSTEM, code: p.code }] },
    subject: { reference: `Patient/${a.patient_id}` },
    encounter: { reference: `Encounter/${a.encounter_id}` },
    ...(p.date ? { performedDateTime: p.date } : {}),
    ...(p.operatingProviderId
      ? {
          performer: [
            {
              function: { coding: [{ system: 'http://snomed.info/sct', code: '304292004', display: 'Surgeon' }] },
              actor: { reference: `Practitioner/${p.operatingProviderId}` },
            },
          ],
        }
      : {}),
  };
}
