import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../core/shared/clock.js';
import { forbidden } from '../../core/errors.js';
import { recordAudit, AuditAction, type AuditLog } from '../audit/index.js';
import { permissionsOfRule, roleMeets, type Actor, type PermissionRule } from './access.rules.js';

/**
 * Every service starts with this check. A denial is audited (in its own transaction, since the work it guards
 * never starts) and answered with a `forbidden` domain error. `rule` is a permission or `anyOf(...)` several.
 */
export async function requirePermission(
  deps: { db: Kysely<Database>; clock: Clock; audit: AuditLog },
  actor: Actor,
  rule: PermissionRule,
  resource: { type: string; id?: string | null; patientId?: string | null } = { type: permissionsOfRule(rule)[0]!.split(':')[0]! },
): Promise<void> {
  if (roleMeets(actor.role, rule)) return;
  const permissions = permissionsOfRule(rule);
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.accessDenied,
      resourceType: resource.type,
      resourceId: resource.id ?? null,
      patientId: resource.patientId ?? null,
      outcome: 'denied',
      detail: { permission: permissions.join(' | ') },
    }),
  );
  throw forbidden(`your role may not ${permissions.map((p) => p.replace(':', ' ')).join(' or ')}`);
}
