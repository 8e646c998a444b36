/**
 * Patient (FHIR R4 4.0.1) from `patients`, `patient_names` and `patient_identifiers`: MRN and other identifiers,
 * the legal name and other names, birth date, gender, address, telecom, deceased, and merge history as Patient.link
 * (replaced-by the survivor on a merged-away record, replaces on the survivor). A restricted record a user has not
 * opened shows its existence only (id, MRN, name; meta.security R and REDACTED), as the web app's lists do.
 */
import type { PatientIdentifierTable, PatientNameTable, PatientTable } from '../../db/schema.js';
import { invalidField } from '../../core/errors.js';
import type { NewPatient, PatientUpdate } from '../patients/index.js';
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

// ------------------------------------------------------------------------------------------- writes

/** FHIR administrative gender to our UHDDS sex code (other: X, where the state allows non-binary). */
const sexOfFhir: Record<Gender, 'M' | 'F' | 'U' | 'X'> = { male: 'M', female: 'F', unknown: 'U', other: 'X' };
/** FHIR HumanName.use of another name to our alias use. */
const aliasUses: Partial<Record<NameUse, 'alias' | 'maiden' | 'previous' | 'nickname'>> = {
  maiden: 'maiden',
  old: 'previous',
  nickname: 'nickname',
};
const sidPrefix = `${CUSTODIAN_URI}/sid/`;

/** What a written Patient carries, in our columns: every field the read mapping shows, so an update replaces them all. */
export interface PatientFields {
  /** The MRN the resource names, if any (assigned by Custodian: a write may repeat it, never change it). */
  mrn: string | undefined;
  /** The facility named by managingOrganization, if any. */
  facilityId: string | undefined;
  person: Required<
    Pick<PatientUpdate, 'familyName' | 'givenName' | 'middleName' | 'dateOfBirth' | 'sex' | 'address' | 'phone' | 'email' | 'deceasedAt'>
  > &
    Required<Pick<PatientUpdate, 'identifiers' | 'aliases'>>;
}

/**
 * A Patient resource (already valid against FHIR R4) as our fields: the official name (else the first) as the legal
 * name, the other names as aliases, birthDate, gender, the first address (two lines), the first phone and email,
 * deceasedDateTime as the date of death, identifiers other than the MRN. What Patient carries that we do not keep
 * (photo, contact, communication, generalPractitioner, more addresses) is dropped; SSN, race, ethnicity, insurance
 * and next of kin are not written here and stay as stored.
 */
export function patientFields(r: Patient): PatientFields {
  const names = r.name ?? [];
  const legal = names.find((n) => n.use === 'official') ?? names.find((n) => n.use === 'usual' || n.use === undefined) ?? names[0];
  if (!legal?.family || !legal.given?.[0]) throw invalidField('Patient.name', 'an official name with family and given is required');
  // The validator does not hold codes to their required value sets: administrative-gender is checked here.
  if (r.gender !== undefined && !Object.hasOwn(sexOfFhir, r.gender)) throw invalidField('Patient.gender', 'male, female, other or unknown');
  if (r.deceasedBoolean === true) throw invalidField('Patient.deceased', 'give deceasedDateTime: the date of death is what is kept');
  const mrn = r.identifier?.find((i) => i.system === MRN_SYSTEM)?.value;
  const address = r.address?.[0];
  const telecom = r.telecom ?? [];
  const org = r.managingOrganization?.reference;
  return {
    mrn,
    facilityId: org ? /^Organization\/([A-Za-z0-9.-]{1,64})$/.exec(org)?.[1] : undefined,
    person: {
      familyName: legal.family,
      givenName: legal.given[0],
      middleName: legal.given[1] ?? null,
      dateOfBirth: r.birthDate ?? null,
      sex: sexOfFhir[r.gender ?? 'unknown'],
      address: {
        line1: address?.line?.[0] ?? null,
        line2: address?.line?.[1] ?? null,
        city: address?.city ?? null,
        state: address?.state ?? null,
        postalCode: address?.postalCode ?? null,
      },
      phone: telecom.find((t) => t.system === 'phone')?.value ?? null,
      email: telecom.find((t) => t.system === 'email')?.value ?? null,
      deceasedAt: r.deceasedDateTime ? r.deceasedDateTime.slice(0, 10) : null,
      identifiers: (r.identifier ?? [])
        .filter((i) => i.system !== MRN_SYSTEM && i.value)
        .map((i) => ({
          system: !i.system
            ? 'UNKNOWN'
            : i.system.startsWith(sidPrefix)
              ? decodeURIComponent(i.system.slice(sidPrefix.length)).toUpperCase()
              : i.system,
          value: i.value!,
          ...(i.type?.text ? { type: i.type.text } : {}),
        })),
      aliases: names
        .filter((n) => n !== legal && n.family && n.given?.[0])
        .map((n) => ({
          use: aliasUses[n.use as NameUse] ?? 'alias',
          familyName: n.family!,
          givenName: n.given![0]!,
          ...(n.given![1] ? { middleName: n.given![1] } : {}),
        })),
    },
  };
}

/** A new patient of `facilityId` from a Patient's fields (no nulls: a new record has nothing to clear). */
export function newPatientOf(f: PatientFields, facilityId: string): NewPatient {
  const p = f.person;
  const addr = Object.fromEntries(Object.entries(p.address).filter(([, v]) => v !== null)) as NonNullable<NewPatient['address']>;
  return {
    facilityId,
    familyName: p.familyName,
    givenName: p.givenName,
    sex: p.sex,
    ...(p.middleName ? { middleName: p.middleName } : {}),
    ...(p.dateOfBirth ? { dateOfBirth: p.dateOfBirth } : {}),
    ...(Object.keys(addr).length ? { address: addr } : {}),
    ...(p.phone ? { phone: p.phone } : {}),
    ...(p.email ? { email: p.email } : {}),
    ...(p.deceasedAt ? { deceasedAt: p.deceasedAt } : {}),
    identifiers: p.identifiers,
    aliases: p.aliases,
  };
}
