/** Release of information: authorizations (45 CFR 164.508, 42 CFR 2.31), requests, clocks, packets, disclosures (164.528). */
export * from './roi.authorization.rules.js';
export * from './roi.requests.rules.js';
export * from './roi.clock.rules.js';
export type { RoiDeps, RoiRequestView, NewRequest, SelectInput, Facts } from './roi.views.js';
export {
  createRoiRequest,
  getRoiRequest,
  listRoiRequests,
  recordAuthorization,
  candidateDocuments,
  selectDocuments,
  buildPacket,
  type CandidateDocument,
} from './roi.service.js';
export {
  releaseRoiRequest,
  revokeAuthorization,
  denyRoiRequest,
  extendRoiRequest,
  recordRoiPayment,
  answerAccountingRequest,
  type AccountingView,
} from './roi.release.js';
export {
  deliverRoiRequest,
  downloadRoiPacket,
  listDeliveries,
  DeliverySchema,
  SECURE_LINK_ATTEMPTS,
  type DeliveryInput,
  type SecureLink,
} from './roi.delivery.js';
export type { DeliveryView } from './roi.delivery.view.js';
export { roiFhirBundle, type FhirBundle } from './roi.fhir.js';
export { buildAccountingLetter, buildReleasePacket, redactIdentifiers, type RedactionArea } from './roi.packet.js';
/** MPI merges (src/modules/mpi): a patient's requests, disclosures and invoices go to the survivor. */
export { roiMergeParticipant } from './roi-merge.js';
export { ROI_PATIENT_TABLES } from './roi.repository.js';
export { roiRoutes } from './roi.routes.js';
export { roiReport, roiReportCsv, roiReportXlsx, RoiReportQuerySchema } from './roi.reports.js';
export { buildRoiReport, roiReportTables, type RoiReport } from './roi.reports.rules.js';
