import type { Db } from '../../db/database.js';
import type { RecordScope } from '../access/index.js';
import { patientsMergeParticipant } from '../patients/index.js';
import { codingMergeParticipant } from '../coding/index.js';
import { queriesMergeParticipant } from '../queries/index.js';
import { chartsMergeParticipant } from '../charts/index.js';
import { documentsMergeParticipant } from '../documents/index.js';
import { amendmentsMergeParticipant } from '../amendments/index.js';
import { roiMergeParticipant } from '../roi/index.js';
import { schedulingMergeParticipant } from '../scheduling/index.js';
import { completionMergeParticipant } from '../completion/index.js';
import { claimsMergeParticipant } from '../claims/index.js';
import { cacMergeParticipant } from '../cac/index.js';
import { transcriptionMergeParticipant } from '../transcription/index.js';
import { outpatientMergeParticipant } from '../outpatient/index.js';

/** One row a merge moved (old id -> new id under the survivor) or created (old id null): a row of mpi_merge_rows. */
export interface MergeJournalEntry {
  table_name: string;
  action: string;
  old_id: string | null;
  new_id: string;
}

/** An encounter that moved to the other record, by its id before and after (an id taken there is replaced). */
export interface EncounterMove {
  from: string;
  to: string;
}

/**
 * One direction of a merge: the rows of `from` go to `to` (merge: merged record -> survivor; unmerge: survivor ->
 * merged record), with the encounters that moved so far, for the rows that follow their encounter.
 */
export interface MergeStep {
  from: RecordScope;
  to: RecordScope;
  encounters: readonly EncounterMove[];
}

/**
 * A module's part in a merge (the port each module that owns tables of one patient's rows implements and exports from
 * its index.ts): it moves those rows, through its own repository, from one record to the other and puts them back.
 */
export interface MergeParticipant {
  /** The tables whose rows it moves (see NOT_MOVED_BY_MERGE for the others that carry a patient id). */
  readonly tables: readonly string[];
  /** Moves the rows of `step.from` to `step.to`, appending each row it moves or creates to `journal`; answers rows moved per table. */
  merge(trx: Db, step: MergeStep, journal: MergeJournalEntry[]): Promise<Record<string, number>>;
  /** Puts back the rows of its tables from their journal entries (newest first); answers the moved rows restored and those missing. */
  unmerge(trx: Db, step: MergeStep, entries: readonly MergeJournalEntry[]): Promise<{ restored: MergeJournalEntry[]; missing: number }>;
}

/**
 * Every module's part in a merge, in the order they run: patients first (its rows and the encounters), then the
 * modules whose rows follow an encounter. A later module with tables of one patient's rows joins this list, or lists
 * them in NOT_MOVED_BY_MERGE with the reason (src/modules/mpi/mpi.test.ts fails until it does one or the other).
 */
export const MERGE_PARTICIPANTS: readonly MergeParticipant[] = [
  patientsMergeParticipant,
  codingMergeParticipant,
  queriesMergeParticipant,
  chartsMergeParticipant,
  documentsMergeParticipant,
  amendmentsMergeParticipant,
  roiMergeParticipant,
  schedulingMergeParticipant,
  completionMergeParticipant,
  claimsMergeParticipant,
  cacMergeParticipant,
  transcriptionMergeParticipant,
  outpatientMergeParticipant,
];

/** Tables that carry a patient id and deliberately stay where they are in a merge, with the reason. */
export const NOT_MOVED_BY_MERGE: Readonly<Record<string, string>> = {
  audit_events: 'history stays under the id it happened to (HIPAA 164.312(b)); the merge and unmerge events name both records',
  break_glass: "a grant names the record it was given for; the merged record's restriction passes to the survivor instead",
  hl7_messages: 'the received message names the record it was applied to',
  fhir_clients:
    "an API client's registration names the patient its patient/ scopes were granted for; after a merge it reads that record's Patient.link to the survivor, and the administrator registers it again for the survivor",
  jobs: 'a background job names the record it was queued for; the work it does reads its rows by their own ids, which move',
  patient_match_keys: 'rebuilt: dropped for the merged record, made again for the survivor (and for both by the unmerge)',
  scan_cover_sheets:
    'a printed cover sheet names the record it was printed for, as its barcode does; a batch behind the sheet of a merged record goes to the QA queue to be indexed by hand',
  destruction_items:
    'a destruction certificate names the record as it was when its documents were destroyed (a legal record of the act); the tombstones move with the documents',
  mpi_duplicate_pairs: 'a pair names the two records compared; the merge resolves it (merged) and the unmerge restores its status',
};

/** The encounters a step moved, from the journal entries of table `encounters` (merge: as journaled; unmerge: reversed). */
export function encounterMoves(entries: readonly MergeJournalEntry[], direction: 'merge' | 'unmerge'): EncounterMove[] {
  return entries
    .filter((e) => e.table_name === 'encounters' && e.action === 'moved')
    .map((e) => (direction === 'merge' ? { from: e.old_id!, to: e.new_id } : { from: e.new_id, to: e.old_id! }));
}
