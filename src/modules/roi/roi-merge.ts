import { idJournaledMergeParticipant } from '../../db/merge-by-id.js';
import { ROI_PATIENT_TABLES, listRowIds, moveRows } from './roi.repository.js';

/**
 * The ROI module's part in an MPI merge: a patient's release requests, the disclosures made from the record (its
 * accounting, 45 CFR 164.528) and the invoices belong to the patient and go to the survivor, each journaled by id;
 * the unmerge puts back every journaled row.
 */
export const roiMergeParticipant = idJournaledMergeParticipant(ROI_PATIENT_TABLES, listRowIds, moveRows);
