/** The facility's completion settings (medical staff bylaws): read by analysts and the director, set by the director. */
import { isoNow } from '../../core/shared/clock.js';
import { anyOf, Permission, requirePermission, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import * as repo from './completion.repository.js';
import { CompletionSettingsSchema, defaultSettings, type CompletionSettings } from './completion.rules.js';
import { parseInput } from './completion.service.js';
import type { CompletionDeps } from './completion.views.js';

/** The facility's settings, or the defaults (each cited in completion.rules.ts) when none were set. */
export async function getCompletionSettings(deps: CompletionDeps, actor: Actor, facilityId: string): Promise<CompletionSettings> {
  await requirePermission(deps, actor, anyOf(Permission.completionSettings, Permission.completionAnalyse), { type: 'completion_settings' });
  const json = await repo.findSettings(deps.db, facilityId);
  return json ? CompletionSettingsSchema.parse(JSON.parse(json)) : defaultSettings;
}

/** The HIM director sets the facility's settings (the whole set; omitted fields take their defaults). Audited. */
export async function setCompletionSettings(
  deps: CompletionDeps,
  actor: Actor,
  facilityId: string,
  input: unknown,
): Promise<CompletionSettings> {
  await requirePermission(deps, actor, Permission.completionSettings, { type: 'completion_settings', id: facilityId });
  const s = parseInput(CompletionSettingsSchema, input);
  await deps.db.transaction().execute(async (trx) => {
    await repo.saveSettings(trx, facilityId, JSON.stringify(s), actor.userId, isoNow(deps.clock));
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.update,
      resourceType: 'completion_settings',
      resourceId: facilityId,
      outcome: 'success',
    });
  });
  return s;
}
