import type { FastifyInstance } from 'fastify';
import { buildHttpServer } from '../http/app.js';
import { requirePermission } from '../modules/access/index.js';
import { resolveSession, SESSION_COOKIE } from '../modules/auth/index.js';
import type { AppDeps } from './deps.js';
import { buildModuleDeps, type ModuleDeps } from './modules.js';
import { apiRoutes } from './routes.js';

/**
 * The HTTP server of a wired application (src/http/app.ts): every module's routes with its own deps, behind the
 * hook that resolves the session (auth module) and checks each route's access rule (access module).
 */
export async function buildApp(deps: AppDeps, modules: ModuleDeps = buildModuleDeps(deps)): Promise<FastifyInstance> {
  return buildHttpServer({
    logger: deps.logger,
    config: deps.config,
    authenticator: {
      sessionCookie: SESSION_COOKIE,
      resolveSession: (token, requester) => resolveSession(modules.auth, token, requester),
      requirePermission: (actor, rule) => requirePermission(modules.users, actor, rule),
    },
    routes: (api) => apiRoutes(api, modules),
  });
}
