/** Practitioner (FHIR R4) from `providers`: NPI (http://hl7.org/fhir/sid/us-npi), name, credentials as a name suffix. */
import type { ProviderTable } from '../../db/schema.js';
import { NPI_SYSTEM } from './fhir.rules.js';
import type { Practitioner } from './fhir.types.js';

export function toPractitioner(p: ProviderTable): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: p.id,
    ...(p.npi ? { identifier: [{ system: NPI_SYSTEM, value: p.npi }] } : {}),
    active: true,
    name: [{ family: p.family_name, given: [p.given_name], ...(p.credentials ? { suffix: [p.credentials] } : {}) }],
    ...(p.specialty ? { qualification: [{ code: { text: p.specialty } }] } : {}),
  };
}
