import type { FastifyInstance } from 'fastify';
import type { AppDeps } from './context.js';
import { authRoutes, userRoutes } from '../modules/auth/index.js';
import { patientRoutes } from '../modules/patients/patients.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { groupingRoutes } from '../modules/grouping/index.js';
import { codesRoutes } from '../modules/codes/index.js';
import { codingRoutes } from '../modules/coding/index.js';
import { queryRoutes } from '../modules/queries/index.js';
import { mpiRoutes } from '../modules/mpi/index.js';
import { interfaceRoutes } from '../modules/interfaces/index.js';

/** Every module's routes, under /api. A new module adds one line here. */
export async function apiRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await authRoutes(app, deps);
  await userRoutes(app, deps);
  await patientRoutes(app, deps);
  await auditRoutes(app, deps);
  await groupingRoutes(app, deps);
  await codesRoutes(app, deps);
  await codingRoutes(app, deps);
  await queryRoutes(app, deps);
  await mpiRoutes(app, deps);
  await interfaceRoutes(app, deps);
}
