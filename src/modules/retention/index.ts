/** Retention rules by jurisdiction, document type and age; the destruction-eligible list; destruction batches and certificates. */
export * from './retention.rules.js';
export type { RetentionDeps, RuleSetView, EligibleView, BatchView, BatchDetail, ItemView } from './retention.views.js';
export { listRuleSets, createRuleSet, updateRuleSet, activateRuleSet } from './retention-rule-sets.service.js';
export { listEligible, createBatch, getBatch, listBatches, approveBatch, executeBatch } from './retention.service.js';
export { destructionCertificatePdf, renderCertificate } from './retention-certificate.js';
export { retentionRoutes } from './retention.routes.js';
