/** Opening an encounter in the abstracting workspace (audited read) and live feedback on the codes on screen. */
import { Permission, type Actor } from '../access/index.js';
import { countPendingQueries } from '../queries/index.js';
import * as repo from './coding.repository.js';
import { emptyAbstract, type AbstractInput } from './coding.rules.js';
import { evaluateAbstract, type Feedback } from './coding.feedback.js';
import {
  documentsOf,
  encounterHeader,
  factsOf,
  loadEncounter,
  openEncounter,
  parseData,
  parseInput,
  providerChoices,
  type AbstractView,
  type CodingDeps,
} from './coding.service.js';

/** Who the encounter belongs to and whether it is restricted (ids only), so a screen can offer break-the-glass. */
export async function getEncounterAccess(
  deps: CodingDeps,
  actor: Actor,
  encounterId: string,
): Promise<{ patientId: string; restricted: boolean; open: boolean }> {
  return deps.records.status(actor, { encounterId }, Permission.codingRead);
}

/** Opens an encounter in the abstracting workspace (audited read). */
export async function getAbstract(deps: CodingDeps, actor: Actor, encounterId: string): Promise<AbstractView> {
  const scope = await openEncounter(deps, actor, encounterId, {
    permission: Permission.codingRead,
    mode: 'read',
    resourceType: 'coding_abstract',
  });
  return deps.db.transaction().execute(async (trx) => {
    const e = await loadEncounter(trx, scope);
    const a = await repo.findAbstract(trx, scope);
    return {
      encounter: encounterHeader(e),
      status: (a?.status as 'draft' | 'final' | undefined) ?? 'not_started',
      version: a?.version ?? 0,
      data: a ? parseData(a.data) : emptyAbstract(e.discharge_status),
      assignedTo: a?.assigned_to ?? null,
      codedBy: a?.coded_by ?? null,
      codedAt: a?.coded_at ?? null,
      workingDrg: a?.working_drg ?? null,
      workingDrgTitle: a?.working_drg_title ?? null,
      finalDrg: a?.final_drg ?? null,
      queryAnswered: a?.query_answered === 1,
      pendingQueries: await countPendingQueries(trx, scope),
      documents: await documentsOf(trx, scope),
      providers: await providerChoices(trx),
    };
  });
}

/**
 * Live feedback for the codes on screen (nothing stored). The grouping uses the patient's age and sex, so the record
 * is opened (and the read audited) like the workspace itself.
 */
export async function getFeedback(deps: CodingDeps, actor: Actor, encounterId: string, input: AbstractInput): Promise<Feedback> {
  const data = parseInput(input);
  const scope = await openEncounter(deps, actor, encounterId, {
    permission: Permission.codingRead,
    mode: 'read',
    resourceType: 'coding_feedback',
  });
  const e = await loadEncounter(deps.db, scope);
  return evaluateAbstract(deps, encounterId, data, factsOf(e));
}
