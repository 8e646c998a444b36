import type { Db } from '../../db/database.js';
import type { RecordScope } from '../access/index.js';
import * as repo from './documents.repository.js';
import * as pages from './documents.pages.repository.js';

type Step = { from: RecordScope; to: RecordScope; encounters: readonly { from: string; to: string }[] };
type JournalEntry = { table_name: string; action: string; old_id: string | null; new_id: string };

/** The tables of one patient's rows this module moves in a merge: documents carry their versions, signatures, pages. */
export const DOCUMENTS_PATIENT_TABLES = repo.DOCUMENTS_PATIENT_TABLES;

async function moveDocuments(trx: Db, from: RecordScope, to: RecordScope, ids: readonly string[]): Promise<number> {
  let n = 0;
  for (const id of ids) {
    const doc = await repo.findDocument(trx, from, id);
    if (!doc) continue;
    await repo.moveDocumentRows(trx, from, to, id, doc.encounter_id);
    await pages.reindexPatientOfDocument(trx, to, id);
    n++;
  }
  return n;
}

async function followEncounters(trx: Db, step: Step, docs: readonly string[], holds: readonly string[]): Promise<void> {
  for (const e of step.encounters) {
    if (e.from === e.to) continue;
    await repo.renameEncounter(trx, step.to, 'documents', docs, e);
    await repo.renameEncounter(trx, step.to, 'legal_holds', holds, e);
  }
}

/**
 * The documents module's part in an MPI merge: a patient's documents (with their versions, signatures and pages,
 * journaled as `documents` by id), legal holds (a hold follows the record it protects) and misfile log entries go to
 * the survivor; documents and holds of an encounter whose id changed follow it. The unmerge puts back each journaled
 * row. Blobs are content-addressed and do not move.
 */
export const documentsMergeParticipant = {
  tables: DOCUMENTS_PATIENT_TABLES as readonly string[],

  async merge(trx: Db, step: Step, journal: JournalEntry[]): Promise<Record<string, number>> {
    const docs = await repo.listDocumentIds(trx, step.from);
    const holds = await repo.listHoldAndMoveIds(trx, step.from, 'legal_holds');
    const moves = await repo.listHoldAndMoveIds(trx, step.from, 'document_moves');
    const counts = {
      documents: await moveDocuments(trx, step.from, step.to, docs),
      legal_holds: await repo.moveHoldOrLogRows(trx, 'legal_holds', step.from, step.to, holds),
      document_moves: await repo.moveHoldOrLogRows(trx, 'document_moves', step.from, step.to, moves),
    };
    for (const [table, ids] of [
      ['documents', docs],
      ['legal_holds', holds],
      ['document_moves', moves],
    ] as const)
      for (const id of ids) journal.push({ table_name: table, action: 'moved', old_id: id, new_id: id });
    await followEncounters(trx, step, docs, holds);
    return counts;
  },

  async unmerge(trx: Db, step: Step, entries: readonly JournalEntry[]): Promise<{ restored: JournalEntry[]; missing: number }> {
    const of = (t: string) => entries.filter((e) => e.table_name === t && e.action === 'moved');
    const docs = of('documents');
    const holds = of('legal_holds');
    const moves = of('document_moves');
    const n =
      (await moveDocuments(
        trx,
        step.from,
        step.to,
        docs.map((e) => e.new_id),
      )) +
      (await repo.moveHoldOrLogRows(
        trx,
        'legal_holds',
        step.from,
        step.to,
        holds.map((e) => e.new_id),
      )) +
      (await repo.moveHoldOrLogRows(
        trx,
        'document_moves',
        step.from,
        step.to,
        moves.map((e) => e.new_id),
      ));
    await followEncounters(
      trx,
      step,
      docs.map((e) => e.new_id),
      holds.map((e) => e.new_id),
    );
    const all = [...docs, ...holds, ...moves];
    return { restored: all.slice(0, n), missing: all.length - n };
  },
};
