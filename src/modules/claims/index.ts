/** Claims (issue 20): charges, coverages, 837I/837P claims from final-coded encounters, the scrubber, the 837 export. */
export {
  type ClaimsDeps,
  type ClaimView,
  type BuildClaimInput,
  type ExportInput,
  type ExportResult,
  buildClaim,
  getClaim,
  exportClaims,
  scrub,
  type PriorSubmission,
} from './claims.service.js';
export { x12PartiesOf, DEFAULT_X12_PARTIES, type X12Parties } from './claims-x12-parties.js';
/** After the payer answered: replacement/void claims, the claim to the next payer, a queued CLP posted to its claim. */
export { buildCorrectedClaim, buildSecondaryClaim, postUnmatchedToClaim } from './claims-correct.service.js';
export { addPayer, addBillingProvider, addChargemasterItem, addCoverage, addCharge } from './claims-setup.service.js';
/** Coverages and charges from another system (the HL7 interface), written in the caller's transaction. */
export {
  recordInboundCoveragesInTx,
  postInboundChargesInTx,
  type InboundCoverage,
  type InboundCoverageResult,
  type InboundCharge,
  type InboundChargeResult,
} from './claims-inbound.service.js';
export { scrubClaim, isClean, type ScrubFinding, type ScrubContext, type CodeProblem } from './claims-scrub.rules.js';
export {
  ClaimStatus,
  ClaimKind,
  assembleInstitutionalClaim,
  assembleProfessionalClaim,
  patientControlNumber,
} from './claims-assemble.rules.js';
/** MPI merges (src/modules/mpi): coverages go to the survivor; charges and claims follow their encounter. */
export { claimsMergeParticipant } from './claims-merge.js';
export { CLAIMS_PATIENT_TABLES } from './claims.repository.js';
/** Remittance posting (835), claim acknowledgements (999/277CA) and the payment-side worklists (migration 0022). */
export { postRemittance, reversePosting, type RemittanceFileResult, type PaymentResult, type PostedClaim } from './claims-remit.service.js';
export { recordAcknowledgement, type AckFileResult, type AckClaimResult } from './claims-ack.service.js';
export {
  denialsWorklist,
  arAgeing,
  unmatchedQueue,
  resolveUnmatched,
  claimRemittance,
  type DenialItem,
  type PayerAgeing,
} from './claims-receivables.service.js';
export { AGE_BUCKETS, type AgeBucket } from './claims-remit.rules.js';
/** Aggregates for the director's dashboard (src/modules/reports). */
export { receivableFigures, type ReceivableFigures } from './claims-figures.js';
/** The biller's worklists and HTTP routes (claims-work.service.ts, claims.routes.ts). */
export {
  listClaims,
  claimFormPdf,
  claimFormsBatch,
  claimDetail,
  unbilledEncounters,
  workDenial,
  listPayers,
  type ClaimDetail,
  type ClaimListItem,
} from './claims-work.service.js';
export { claimsRoutes } from './claims.routes.js';
