/** Public surface of the research module: cohorts and de-identified research extracts. */
export { createExtract, listExtracts, codesOfAbstract, type ResearchDeps, type ExtractResult } from './research.service.js';
export { CohortSchema, ExtractRequestSchema, matchesCohort, toCsv, type Cohort, type ExtractRequest } from './research.rules.js';
