/**
 * Condition (FHIR R4) from a final coding abstract (`coding_abstracts.data`, status final): the principal and
 * secondary diagnoses as encounter-diagnosis Conditions coded in ICD-10-CM (http://hl7.org/fhir/sid/icd-10-cm, with
 * the dot), the POA indicator as an extension (CMS POA reporting, ICD-10-CM Official Guidelines Appendix I), and the
 * rank (1 = principal, UHDDS) in the id: `<encounter id>.dx<rank>`.
 */
import type { AbstractData } from '../coding/index.js';
import { ICD10CM_SYSTEM, icd10cmWithDot, POA_EXTENSION, POA_SYSTEM } from './fhir.rules.js';
import type { Condition } from './fhir.types.js';

const poaDisplay: Record<string, string> = {
  Y: 'present at the time of inpatient admission',
  N: 'not present at the time of inpatient admission',
  U: 'documentation insufficient to determine',
  W: 'clinically undetermined',
  '1': 'exempt from POA reporting',
};

/** The coded diagnoses of an abstract in rank order (principal first). */
export function diagnosesOf(data: AbstractData): { rank: number; code: string; poa: string }[] {
  const list = [...(data.principalDx ? [data.principalDx] : []), ...data.secondaryDx];
  // Without a principal diagnosis the secondary ones keep ranks from 2, so an id never changes meaning.
  const first = data.principalDx ? 1 : 2;
  return list.map((d, i) => ({ rank: first + i, code: d.code, poa: d.poa }));
}

export function conditionId(encounterId: string, rank: number): string {
  return `${encounterId}.dx${rank}`;
}

/** `<encounter id>.dx<rank>` back to its parts. */
export function parseConditionId(id: string): { encounterId: string; rank: number } | undefined {
  const m = /^([A-Za-z0-9-]{1,56})\.dx(\d{1,3})$/.exec(id);
  return m?.[1] && m[2] ? { encounterId: m[1], rank: Number(m[2]) } : undefined;
}

export function toCondition(
  a: { patient_id: string; encounter_id: string; coded_at: string | null; updated_at: string },
  dx: { rank: number; code: string; poa: string },
): Condition {
  return {
    resourceType: 'Condition',
    id: conditionId(a.encounter_id, dx.rank),
    meta: { lastUpdated: a.updated_at },
    ...(dx.poa && poaDisplay[dx.poa]
      ? { extension: [{ url: POA_EXTENSION, valueCoding: { system: POA_SYSTEM, code: dx.poa, display: poaDisplay[dx.poa] } }] }
      : {}),
    verificationStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
    },
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/condition-category',
            code: 'encounter-diagnosis',
            display: 'Encounter Diagnosis',
          },
        ],
      },
    ],
    code: { coding: [{ system: ICD10CM_SYSTEM, code: icd10cmWithDot(dx.code) }] },
    subject: { reference: `Patient/${a.patient_id}` },
    encounter: { reference: `Encounter/${a.encounter_id}` },
    ...(a.coded_at ? { recordedDate: a.coded_at } : {}),
    ...(dx.rank === 1 ? { note: [{ text: 'principal diagnosis (UHDDS)' }] } : {}),
  };
}
