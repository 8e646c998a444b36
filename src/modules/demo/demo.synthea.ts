import fs from 'node:fs';
import path from 'node:path';
import type { DemoPerson } from './demo.rules.js';

interface FhirPatient {
  resourceType: 'Patient';
  name?: { use?: string; family?: string; given?: string[] }[];
  birthDate?: string;
  gender?: string;
  deceasedDateTime?: string;
  address?: { line?: string[]; city?: string; state?: string; postalCode?: string }[];
  telecom?: { system?: string; value?: string }[];
}

const stateCodes: Record<string, string> = { Massachusetts: 'MA', 'Rhode Island': 'RI', 'New Hampshire': 'NH', Connecticut: 'CT' };

/**
 * People from the Synthea FHIR R4 transaction bundles in ../shared/corpora/fhir/synthea-r4-bundles (synthetic,
 * Apache-2.0). Only demographics are taken; Synthea's digits and suffixes in names are stripped.
 */
export function readSyntheaPeople(dir: string): DemoPerson[] {
  if (!fs.existsSync(dir)) return [];
  const people: DemoPerson[] = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((x) => x.endsWith('.json'))
    .sort()) {
    const bundle = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { entry?: { resource?: FhirPatient }[] };
    const p = bundle.entry?.map((e) => e.resource).find((r): r is FhirPatient => r?.resourceType === 'Patient');
    const name = p?.name?.find((n) => n.use === 'official') ?? p?.name?.[0];
    if (!p || !name?.family || !name.given?.[0]) continue;
    const clean = (s: string) => s.replace(/\d+/g, '').trim();
    const a = p.address?.[0];
    people.push({
      familyName: clean(name.family),
      givenName: clean(name.given[0]),
      ...(p.birthDate ? { dateOfBirth: p.birthDate } : {}),
      sex: p.gender === 'female' ? 'F' : p.gender === 'male' ? 'M' : 'U',
      ...(p.deceasedDateTime ? { deceasedAt: p.deceasedDateTime.slice(0, 10) } : {}),
      ...(a
        ? {
            address: {
              line1: a.line?.[0],
              city: a.city,
              state: a.state ? (stateCodes[a.state] ?? a.state) : undefined,
              postalCode: a.postalCode,
            },
          }
        : {}),
      ...(p.telecom?.find((t) => t.system === 'phone')?.value ? { phone: p.telecom.find((t) => t.system === 'phone')!.value! } : {}),
    });
  }
  return people;
}
