/** Organization (FHIR R4) from `facilities`: the hospital (type prov, healthcare provider) and its name. */
import type { FacilityTable } from '../../db/schema.js';
import type { Organization } from './fhir.types.js';

export function toOrganization(f: FacilityTable): Organization {
  return {
    resourceType: 'Organization',
    id: f.id,
    active: true,
    type: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov', display: 'Healthcare Provider' }] },
    ],
    name: f.name,
  };
}
