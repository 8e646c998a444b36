/** Patients' requests to amend their record (45 CFR 164.526): clock, extension, acceptance, denial, disagreement. */
export * from './amendments.rules.js';
export type { AmendmentDeps, AmendmentView, NotificationView } from './amendments.views.js';
export {
  createAmendmentRequest,
  getAmendmentRequest,
  listAmendmentRequests,
  extendAmendmentRequest,
  acceptAmendmentRequest,
  addAmendmentRecipient,
  markRecipientNotified,
  denyAmendmentRequest,
  recordDisagreement,
  recordRebuttal,
} from './amendments.service.js';
/** MPI merges (src/modules/mpi): a patient's amendment requests and their recipients go to the survivor. */
export { amendmentsMergeParticipant } from './amendments-merge.js';
export { AMENDMENTS_PATIENT_TABLES } from './amendments.repository.js';
export { amendmentRoutes } from './amendments.routes.js';
