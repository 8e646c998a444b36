import { idJournaledMergeParticipant } from '../../db/merge-by-id.js';
import { SCHEDULING_PATIENT_TABLES, listRowIds, moveRows } from './scheduling.repository.js';

/**
 * The scheduling module's part in an MPI merge: a patient's appointments and waitlist entries go to the survivor,
 * journaled by id (ids do not change; the slots they hold are keyed by appointment, not patient). Unmerge puts them back.
 */
export const schedulingMergeParticipant = idJournaledMergeParticipant(SCHEDULING_PATIENT_TABLES, listRowIds, moveRows);
