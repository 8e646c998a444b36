import type { FastifyInstance } from 'fastify';
import { authRoutes, userRoutes } from '../modules/auth/index.js';
import { patientRoutes } from '../modules/patients/index.js';
// Not through audit's index.ts: the access module, which every module imports, imports that index, and routes
// import src/http/context.ts (which imports access): exporting the routes there would close an import cycle.
// eslint-disable-next-line no-restricted-imports -- see above
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { groupingRoutes } from '../modules/grouping/index.js';
import { codesRoutes } from '../modules/codes/index.js';
import { codingRoutes } from '../modules/coding/index.js';
import { outpatientRoutes } from '../modules/outpatient/index.js';
import { queryRoutes } from '../modules/queries/index.js';
import { mpiRoutes } from '../modules/mpi/index.js';
import { interfaceRoutes } from '../modules/interfaces/index.js';
import { chartRoutes } from '../modules/charts/index.js';
import { documentRoutes } from '../modules/documents/index.js';
import { jobRoutes } from '../modules/jobs/index.js';
import { scanningRoutes } from '../modules/scanning/index.js';
import { amendmentRoutes } from '../modules/amendments/index.js';
import { roiRoutes } from '../modules/roi/index.js';
import { retentionRoutes } from '../modules/retention/index.js';
import { fhirRoutes } from '../modules/fhir/index.js';
import { completionRoutes } from '../modules/completion/index.js';
import { cacRoutes } from '../modules/cac/index.js';
import { schedulingRoutes } from '../modules/scheduling/index.js';
import { reportsRoutes } from '../modules/reports/index.js';
import { transcriptionRoutes } from '../modules/transcription/index.js';
import { claimsRoutes } from '../modules/claims/index.js';
import type { ModuleDeps } from './modules.js';

/** Every module's routes, under /api, each with its own deps (modules.ts). A new module adds one line here. */
export async function apiRoutes(app: FastifyInstance, m: ModuleDeps): Promise<void> {
  await authRoutes(app, m.auth);
  await userRoutes(app, m.users);
  await patientRoutes(app, m.patients);
  await auditRoutes(app, m.audit);
  await groupingRoutes(app, m.grouping);
  await codesRoutes(app, m.codes);
  await codingRoutes(app, m.coding);
  await outpatientRoutes(app, m.outpatient);
  await queryRoutes(app, m.queries);
  await mpiRoutes(app, m.mpi);
  await interfaceRoutes(app, m.interfaces);
  await chartRoutes(app, m.charts);
  await documentRoutes(app, m.documents);
  await jobRoutes(app, m.jobs);
  await scanningRoutes(app, m.scanning);
  await amendmentRoutes(app, m.amendments);
  await roiRoutes(app, m.roi);
  await retentionRoutes(app, m.retention);
  // The FHIR R4 API, under /fhir (its own errors and authentication: src/modules/fhir/README.md).
  await fhirRoutes(app, m.fhir);
  await completionRoutes(app, m.completion);
  await cacRoutes(app, m.cac);
  await schedulingRoutes(app, m.scheduling);
  await reportsRoutes(app, m.reports);
  await transcriptionRoutes(app, m.transcription);
  await claimsRoutes(app, m.claims);
}
