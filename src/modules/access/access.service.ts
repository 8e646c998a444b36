import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../core/shared/clock.js';
import { forbidden } from '../../core/errors.js';
import { recordAudit, AuditAction } from '../audit/index.js';
import { roleHas, type Actor, type Permission } from './access.rules.js';

/**
 * Every service starts with this check. A denial is audited (in its own transaction, since the work it guards
 * never starts) and answered with a `forbidden` domain error.
 */
export async function requirePermission(
  deps: { db: Kysely<Database>; clock: Clock },
  actor: Actor,
  permission: Permission,
  resource: { type: string; id?: string | null; patientId?: string | null } = { type: permission.split(':')[0]! },
): Promise<void> {
  if (roleHas(actor.role, permission)) return;
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.clock, actor, {
      action: AuditAction.accessDenied,
      resourceType: resource.type,
      resourceId: resource.id ?? null,
      patientId: resource.patientId ?? null,
      outcome: 'denied',
      detail: { permission },
    }),
  );
  throw forbidden(`your role may not ${permission.replace(':', ' ')}`);
}
