/**
 * The restricted record's chart completion, for the restricted-record walk: its first stay analysed (deficiencies of
 * the walk physician, who is its attending), and a way to make a fresh deficiency by hand for each walk step that
 * changes one (waive, reassign, complete, dispute).
 */
import type { AppDeps } from '../../src/app/deps.js';
import { systemActor } from '../../src/modules/access/index.js';
import { addDeficiency, analyseDischarges } from '../../src/modules/completion/index.js';

export interface CompletionWalkIds {
  /** Of the walk physician's provider (attending of the restricted stays). */
  completionProviderId: string;
}

const system = systemActor('walk-fixture');

export async function buildRestrictedCompletion(deps: AppDeps, ids: { providerId: string }): Promise<CompletionWalkIds> {
  await analyseDischarges(deps, system);
  return { completionProviderId: ids.providerId };
}

/** A new open deficiency on the stay, added by hand, for the walk physician's provider. */
export async function makeDeficiency(deps: AppDeps, encounterId: string, providerId: string): Promise<string> {
  const v = await addDeficiency(deps, system, encounterId, {
    type: 'incomplete_content',
    documentTypeCode: 'PN',
    responsibleProviderId: providerId,
    message: 'Progress note of day 2 lacks the plan',
    pageRef: 'p. 3',
  });
  return v.deficiencies.at(-1)!.id;
}
