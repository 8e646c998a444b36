/**
 * Retention rule sets: one jurisdiction's schedule each (no patient data), kept by the HIM director, one in force.
 * Batches already made keep the rule and dates they were selected under.
 */
import { conflict, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { Permission, requirePermission, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import * as repo from './retention.repository.js';
import { parseInput, RuleSetSchema, type RuleSetInput } from './retention.rules.js';
import { ruleSetView, type RetentionDeps, type RuleSetView } from './retention.views.js';

const manage = (deps: RetentionDeps, actor: Actor, id?: string) =>
  requirePermission(deps, actor, Permission.retentionManage, { type: 'retention_rule_set', id: id ?? null });

export async function listRuleSets(deps: RetentionDeps, actor: Actor): Promise<RuleSetView[]> {
  await manage(deps, actor);
  return (await repo.listRuleSets(deps.db)).map(ruleSetView);
}

/** The rule set named, or the one in force. */
export async function ruleSetOrActive(deps: RetentionDeps, id?: string | null): Promise<RuleSetView> {
  const row = id ? await repo.findRuleSet(deps.db, id) : await repo.findActiveRuleSet(deps.db);
  if (!row) throw id ? notFound('retention rule set') : conflict('no retention rule set is active: choose one');
  return ruleSetView(row);
}

/** Adds a rule set (inactive until chosen). */
export async function createRuleSet(deps: RetentionDeps, actor: Actor, input: RuleSetInput): Promise<RuleSetView> {
  await manage(deps, actor);
  const s = parseInput(RuleSetSchema, input);
  const row = {
    id: newId(),
    name: s.name,
    jurisdiction: s.jurisdiction,
    description: s.description,
    age_of_majority: s.ageOfMajority,
    rules: JSON.stringify(s.rules),
    active: 0,
    updated_by: actor.userId,
    updated_at: isoNow(deps.clock),
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertRuleSet(trx, row);
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.create,
      resourceType: 'retention_rule_set',
      resourceId: row.id,
      outcome: 'success',
    });
  });
  return ruleSetView(row);
}

/** Changes a rule set's periods (batches already made keep the rule and dates they were selected under). */
export async function updateRuleSet(deps: RetentionDeps, actor: Actor, id: string, input: RuleSetInput): Promise<RuleSetView> {
  await manage(deps, actor, id);
  const s = parseInput(RuleSetSchema, input);
  const set = {
    name: s.name,
    jurisdiction: s.jurisdiction,
    description: s.description,
    age_of_majority: s.ageOfMajority,
    rules: JSON.stringify(s.rules),
    updated_by: actor.userId,
    updated_at: isoNow(deps.clock),
  };
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.updateRuleSet(trx, id, set))) throw notFound('retention rule set');
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.update,
      resourceType: 'retention_rule_set',
      resourceId: id,
      outcome: 'success',
    });
  });
  return ruleSetOrActive(deps, id);
}

/** Makes a rule set the one the eligible list and new batches use (the facility's jurisdiction). */
export async function activateRuleSet(deps: RetentionDeps, actor: Actor, id: string): Promise<RuleSetView> {
  await manage(deps, actor, id);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.findRuleSet(trx, id))) throw notFound('retention rule set');
    await repo.activateRuleSet(trx, id, { updated_by: actor.userId, updated_at: isoNow(deps.clock) });
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.activate,
      resourceType: 'retention_rule_set',
      resourceId: id,
      outcome: 'success',
    });
  });
  return ruleSetOrActive(deps, id);
}
