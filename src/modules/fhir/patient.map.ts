/**
 * Patient (FHIR R4 4.0.1) from `patients`, `patient_names` and `patient_identifiers`: MRN and other identifiers,
 * the legal name and other names, birth date, gender, address, telecom, deceased, and merge history as Patient.link
 * (replaced-by the survivor on a merged-away record, replaces on the survivor). A restricted record a user has not
 * opened shows its existence only (id, MRN, name; meta.security R and REDACTED), as the web app's lists do.
 */
import type { PatientIdentifierTable, PatientNameTable, PatientTable } from '../../db/schema.js';
import { CUSTODIAN_URI, MRN_SYSTEM } from './fhir.rules.js';
import type { Patient } from './fhir.types.js';

type Gender = NonNullable<Patient['gender']>;
const genders: Record<string, Gender> = { M: 'male', F: 'female', U: 'unknown', O: 'other', X: 'other', N: 'other' };
/** FHIR administrative gender to our sex codes (for search). */
export const sexOfGender: Record<Gender, string[]> = { male: ['M'], female: ['F'], unknown: ['U'], other: ['O', 'X', 'N'] };

type NameUse = 'usual' | 'official' | 'temp' | 'nickname' | 'anonymous' | 'old' | 'maiden';
const nameUses: Record<string, NameUse> = {
  maiden: 'maiden',
  alias: 'nickname',
  previous: 'old',
  merged: 'old',
  nickname: 'nickname',
  legal: 'official',
};

const mrnIdentifier = (p: PatientTable) => ({
  use: 'usual' as const,
  type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }] },
  system: MRN_SYSTEM,
  value: p.mrn,
});

const officialName = (p: PatientTable) => ({
  use: 'official' as const,
  family: p.family_name,
  given: [p.given_name, ...(p.middle_name ? [p.middle_name] : [])],
});

/** An identifier system as a URI: stored systems that are not URIs (e.g. `SSA`, `EPIC`) get a Custodian namespace. */
const identifierSystem = (s: string) => (/^(https?:|urn:)/.test(s) ? s : `${CUSTODIAN_URI}/sid/${encodeURIComponent(s.toLowerCase())}`);

/** The full Patient of an opened record. */
export function toPatient(
  p: PatientTable,
  names: PatientNameTable[],
  identifiers: PatientIdentifierTable[],
  mergedFrom: string[],
): Patient {
  const address = [p.address_line1, p.address_line2].filter((x): x is string => !!x);
  const hasAddress = address.length > 0 || p.city || p.state || p.postal_code;
  const telecom = [
    ...(p.phone ? [{ system: 'phone' as const, value: p.phone, use: 'home' as const }] : []),
    ...(p.email ? [{ system: 'email' as const, value: p.email }] : []),
  ];
  const links = [
    ...(p.merged_into ? [{ other: { reference: `Patient/${p.merged_into}` }, type: 'replaced-by' as const }] : []),
    ...mergedFrom.map((id) => ({ other: { reference: `Patient/${id}` }, type: 'replaces' as const })),
  ];
  return {
    resourceType: 'Patient',
    id: p.id,
    meta: { lastUpdated: p.updated_at, ...(p.restricted === 1 ? { security: [restrictedLabel] } : {}) },
    identifier: [
      mrnIdentifier(p),
      ...identifiers
        .filter((i) => i.value)
        .map((i) => ({ system: identifierSystem(i.system), value: i.value, ...(i.type ? { type: { text: i.type } } : {}) })),
    ],
    active: p.merged_into === null,
    name: [
      officialName(p),
      ...names.map((n) => ({
        use: nameUses[n.use] ?? 'old',
        family: n.family_name,
        given: [n.given_name, ...(n.middle_name ? [n.middle_name] : [])],
      })),
    ],
    ...(telecom.length ? { telecom } : {}),
    gender: genders[p.sex] ?? 'unknown',
    ...(p.date_of_birth ? { birthDate: p.date_of_birth } : {}),
    ...(p.deceased === 1 ? (p.deceased_at ? { deceasedDateTime: p.deceased_at } : { deceasedBoolean: true }) : {}),
    ...(hasAddress
      ? {
          address: [
            {
              use: 'home' as const,
              ...(address.length ? { line: address } : {}),
              ...(p.city ? { city: p.city } : {}),
              ...(p.state ? { state: p.state } : {}),
              ...(p.postal_code ? { postalCode: p.postal_code } : {}),
            },
          ],
        }
      : {}),
    ...(links.length ? { link: links } : {}),
  };
}

const restrictedLabel = { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R', display: 'restricted' };
const redactedLabel = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'REDACTED', display: 'redacted' };

/** A restricted record in a search, for a user who has not opened it: that it exists, and whose it is. */
export function toRestrictedPatient(p: PatientTable): Patient {
  return {
    resourceType: 'Patient',
    id: p.id,
    meta: { security: [restrictedLabel, redactedLabel] },
    identifier: [mrnIdentifier(p)],
    name: [{ use: 'official', family: p.family_name, given: [p.given_name] }],
  };
}
