import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { Permission } from '../access/index.js';
import { UserSchema } from './auth.routes.js';
import * as svc from './users.service.js';

const UserAdminSchema = UserSchema.extend({
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  failedLogins: z.number().int(),
  providerId: z.string().nullable(),
  email: z.string().nullable(),
  createdAt: z.string(),
});
const IdParams = z.object({ id: z.string().min(1).max(64).describe('user id or username') });
const NewUserBody = z.object({
  username: z.string().min(1).max(64),
  displayName: z.string().min(1).max(200),
  role: z.string().min(1).max(32),
  password: z.string().min(1).max(1024),
  providerId: z.string().max(64).nullish(),
  email: z.string().max(254).nullish(),
});

/** User administration (permission user:admin): list, create, disable, enable, reset MFA, unlock. */
export async function userRoutes(fastify: FastifyInstance, deps: svc.UsersDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const access = Permission.userAdmin;

  app.get(
    '/api/users',
    {
      config: { access },
      schema: { tags: ['users'], summary: 'All users', response: { 200: z.object({ items: z.array(UserAdminSchema) }) } },
    },
    async (req) => ({ items: await svc.listUsers(deps, actorOf(req)) }),
  );

  app.get(
    '/api/users/directory',
    {
      config: { access: Permission.auditRead },
      schema: { tags: ['users'], summary: 'Users by name, to filter the audit log (id, username, display name, role)' },
    },
    async (req) => ({ items: await svc.listUserDirectory(deps, actorOf(req)) }),
  );

  app.post(
    '/api/users',
    {
      config: { access },
      schema: {
        tags: ['users'],
        summary: 'Create a user (password: 15+ characters, not a common password, not containing the username)',
        body: NewUserBody,
        response: { 201: UserAdminSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createUser(deps, actorOf(req), req.body)),
  );

  app.post(
    '/api/users/:id/email',
    {
      config: { access },
      schema: {
        tags: ['users'],
        summary: "Set or clear a user's work email (chart-completion notices are emailed there when SMTP is configured)",
        params: IdParams,
        body: z.object({ email: z.string().max(254).nullable() }),
        response: { 200: UserAdminSchema },
      },
    },
    async (req) => svc.setUserEmail(deps, actorOf(req), req.params.id, req.body.email),
  );

  const actions = [
    ['disable', 'Disable a user and end their sessions', svc.disableUser],
    ['enable', 'Enable a disabled user', svc.enableUser],
    ['reset-mfa', "Remove a user's second factor (lost device); their sessions end", svc.resetMfa],
    ['unlock', 'Lift a lockout after failed sign-ins', svc.unlockUser],
  ] as const;
  for (const [path, summary, run] of actions) {
    app.post(
      `/api/users/:id/${path}`,
      {
        config: { access },
        schema: { tags: ['users'], summary, params: IdParams, response: { 200: UserAdminSchema } },
      },
      async (req) => run(deps, actorOf(req), req.params.id),
    );
  }
}
