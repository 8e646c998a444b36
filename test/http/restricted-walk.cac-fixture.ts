/**
 * Computer-assisted coding on the restricted record, for the restricted-record walk: a note on the discharged stay
 * (e1) that the small CAC knowledge (src/modules/cac/cac-fixtures.test-support.ts) reads a code from, so that the
 * decision route, once the glass is broken, records a decision rather than refusing a code not suggested.
 */
import type { AppDeps } from '../../src/app/deps.js';
import { documentsDepsOf } from '../../src/app/modules.js';
import { Role, systemActor, type Actor } from '../../src/modules/access/index.js';
import { createDocumentsService } from '../../src/modules/documents/index.js';
import { fixedKnowledge, smallCacKnowledge } from '../../src/modules/cac/cac-fixtures.test-support.js';

const system: Actor = { ...systemActor('walk-fixture'), role: Role.himDirector };

/** The walk's knowledge: learned from a few written notes, in milliseconds (never the full build). */
export const walkCacKnowledge = fixedKnowledge(smallCacKnowledge());

/** A code the walk's note on e1 is suggested for, and the note. */
export const CAC_WALK_CODE = { code: 'N179', system: 'cm' as const };
const NOTE = 'Assessment: acute kidney injury on day 2.';

const filed = new WeakMap<AppDeps, Promise<string>>();

/** Files the note on the encounter once per app (the walk calls the route as every role that may). */
export function ensureCacWalkNote(deps: AppDeps, patientId: string, encounterId: string): Promise<string> {
  let p = filed.get(deps);
  if (!p) {
    p = createDocumentsService(documentsDepsOf(deps))
      .fileDocument(system, {
        patientId,
        encounterId,
        typeCode: 'PN',
        source: 'system',
        content: { bytes: new TextEncoder().encode(NOTE), mediaType: 'text/plain' },
      })
      .then((d) => d.id);
    filed.set(deps, p);
  }
  return p;
}
