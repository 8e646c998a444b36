/**
 * The coding workspace's side of the queries module's CodingForQueries port (wired as `deps.coding` in
 * src/app/bootstrap.ts): queries reach coding only through it, so the two modules never import each other both ways.
 */
import type { EncounterDocumentTable } from '../../db/schema.js';
import type { Db } from '../../db/database.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import type { RecordScope } from '../access/index.js';
import type { CodingForQueries } from '../queries/index.js';
import * as repo from './coding.repository.js';
import { ensureAbstract, loadEncounter } from './coding.service.js';

/**
 * Files a document with the encounter of an opened record (the encounter documents a coder reads; the legal health
 * record's documents module will take them over). The caller audits the change it is part of.
 */
export async function fileEncounterDocument(trx: Db, scope: RecordScope, doc: EncounterDocumentTable): Promise<void> {
  await repo.insertDocument(trx, scope, doc);
}

/** Flags the encounter on the worklist after a physician answered a query (called in the answer's transaction). */
export async function markQueryAnswered(trx: Db, clock: Clock, scope: RecordScope): Promise<void> {
  const e = await loadEncounter(trx, scope);
  await ensureAbstract(trx, clock, scope, e);
  await repo.updateAbstract(trx, scope, { query_answered: 1, updated_at: isoNow(clock) });
}

/** The working DRG saved with the encounter's abstract (null before a draft is saved). */
export async function workingDrgOfEncounter(db: Db, scope: RecordScope): Promise<string | null> {
  return (await repo.findAbstract(db, scope))?.working_drg ?? null;
}

/** The coding workspace's side of the queries module's CodingForQueries port (wired in src/app/bootstrap.ts). */
export const codingForQueries: CodingForQueries = { loadEncounter, workingDrgOfEncounter, fileEncounterDocument, markQueryAnswered };
