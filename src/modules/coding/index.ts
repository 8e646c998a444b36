export * from './coding.service.js';
export * from './coding-abstract.service.js';
export * from './coding-save.service.js';
export * from './coding-versions.service.js';
export * from './coding-for-queries.js';
export * from './worklist.service.js';
export * from './coding-reports.service.js';
export * from './coding-audit.service.js';
export { evaluateAbstract, type Feedback, type FeedbackDeps, type DrgView } from './coding.feedback.js';
export { encoderFor, encoderOfService, type Encoder, type CodeFinding, type CodeHit } from './encoder.adapter.js';
export * from './coding.rules.js';
export { renderCodingSummary, getCodingSummaryHtml } from './coding-summary.js';
/** MPI merges (src/modules/mpi): documents, abstracts, versions and coding audits follow their encounter through this module. */
export { codingMergeParticipant } from './coding-merge.js';
export { codingRoutes } from './coding.routes.js';
/** The claims module reads final-coded abstracts through this. */
export { finalAbstractOfEncounter, type FinalCodedAbstract } from './coding-for-claims.js';
