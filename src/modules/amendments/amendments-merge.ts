import { idJournaledMergeParticipant } from '../../db/merge-by-id.js';
import { AMENDMENTS_PATIENT_TABLES, listRowIds, moveRows } from './amendments.repository.js';

/**
 * The amendments module's part in an MPI merge: a patient's amendment requests and the people to tell of them belong
 * to the patient's record and go to the survivor, each journaled by id (ids do not change; the documents they name
 * move with the documents module under their own ids). The unmerge puts back every journaled row.
 */
export const amendmentsMergeParticipant = idJournaledMergeParticipant(AMENDMENTS_PATIENT_TABLES, listRowIds, moveRows);
