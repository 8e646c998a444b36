/**
 * Outpatient coding demo data: a few emergency department and clinic visits coded in part by the demo coder (drafts
 * of the outpatient abstract: diagnoses and the E/M line, some procedure lines still to add), so the outpatient queue
 * shows work in progress beside untouched visits. Deterministic (scenario by encounter order); invented codes of
 * common visits.
 */
import type { AppDeps } from '../../app/deps.js';
import { DomainError, ErrorCode } from '../../core/errors.js';
import { Permission, Role, systemActor, type Actor } from '../access/index.js';
import { findFirstUserOfRole } from '../auth/index.js';
import { saveOutpatientDraft, type OutpatientAbstractInput } from '../outpatient/index.js';
import { listDischargedEncounters } from '../patients/index.js';

type Visit = (date: string) => OutpatientAbstractInput;
const line = (code: string, date: string, over: { modifiers?: string[]; pointers?: number[]; revenueCode?: string | null } = {}) => ({
  code,
  modifiers: over.modifiers ?? [],
  units: 1,
  dateOfService: date,
  pointers: over.pointers ?? [1],
  revenueCode: over.revenueCode === undefined ? '0450' : over.revenueCode,
});

/** Emergency visits: the E/M level chosen by MDM; the laceration repair and the x-ray still to add on two of them. */
const edVisits: Visit[] = [
  (d) => ({
    side: 'facility',
    firstListedDx: 'S61.411A',
    otherDx: ['W26.0XXA'],
    lines: [line('99283', d, { modifiers: ['25'] })],
    em: { category: 'emergency', basis: 'mdm', problems: 'low', data: 'low', risk: 'moderate', code: '99283' },
  }),
  (d) => ({
    side: 'facility',
    firstListedDx: 'R07.9',
    lines: [line('99284', d), line('71046', d, { revenueCode: '0324' })],
    em: { category: 'emergency', basis: 'mdm', problems: 'moderate', data: 'moderate', risk: 'moderate', code: '99284' },
  }),
  () => ({ side: 'facility', firstListedDx: 'S93.401A', otherDx: ['W10.9XXA'], lines: [] }),
];

/** Clinic visits, professional side: E/M by time on one, by MDM on the other. */
const clinicVisits: Visit[] = [
  (d) => ({
    side: 'professional',
    firstListedDx: 'I10',
    otherDx: ['E11.9'],
    lines: [line('99214', d, { pointers: [1, 2], revenueCode: null })],
    em: { category: 'office-established', basis: 'time', totalMinutes: 32, code: '99214' },
  }),
  () => ({
    side: 'professional',
    firstListedDx: 'J06.9',
    lines: [],
    em: { category: 'office-established', basis: 'mdm', problems: 'low', data: 'straightforward', risk: 'low', code: '99213' },
  }),
];

/** Codes a few ED and clinic visits in part, as the demo coder; restricted records are left alone (no grant). */
export async function seedOutpatientDemo(deps: AppDeps): Promise<{ drafts: number }> {
  const coder = await findFirstUserOfRole(deps.db, Role.coder);
  if (!coder) return { drafts: 0 };
  const actor: Actor = { userId: coder.id, username: coder.username, role: Role.coder, purposeOfUse: 'HOPERAT' };
  const list = await deps.records.openList(systemActor('demo-seed'), { permission: Permission.encounterRead, resourceType: 'encounter' });
  let drafts = 0;
  for (const [type, visits] of [
    ['emergency', edVisits],
    ['outpatient', clinicVisits],
  ] as const) {
    const encounters = await listDischargedEncounters(deps.db, list, type);
    // Every other visit, so untouched ones stay on the queue between them.
    for (const [i, visit] of visits.entries()) {
      const e = encounters[i * 2];
      if (!e) break;
      try {
        await saveOutpatientDraft(deps, actor, e.id, visit(e.admit_at.slice(0, 10)));
        drafts++;
      } catch (err) {
        if (!(err instanceof DomainError && err.code === ErrorCode.breakGlassRequired)) throw err;
      }
    }
  }
  return { drafts };
}
