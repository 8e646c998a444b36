import { roleMeets, type Actor, type PermissionRule } from './access.rules.js';

/**
 * The decision of the record-access step, as a pure function of who asks, what the route or service requires and
 * what the record is. HIPAA 164.312(a)(1) access control and 164.312(a)(2)(ii) emergency access; 164.502(b) minimum
 * necessary. A restricted record (VIP, employee, sensitive) opens only with an active break-the-glass grant of this
 * user; the interfaces and batch jobs of the system itself (`systemActor`) are not stopped by a restriction (they
 * keep the record, they do not look at it) but are audited like everyone else.
 */
export type RecordDecision = { kind: 'open'; viaBreakGlass: boolean } | { kind: 'forbidden' } | { kind: 'break_glass_required' };

export interface RecordAccessQuestion {
  actor: Pick<Actor, 'role' | 'system'>;
  rule: PermissionRule;
  restricted: boolean;
  /** The user holds an unexpired break-the-glass grant for this patient. */
  hasGrant: boolean;
}

export function decideRecordAccess(q: RecordAccessQuestion): RecordDecision {
  if (q.actor.system === true) return { kind: 'open', viaBreakGlass: false };
  if (!roleMeets(q.actor.role, q.rule)) return { kind: 'forbidden' };
  if (!q.restricted) return { kind: 'open', viaBreakGlass: false };
  return q.hasGrant ? { kind: 'open', viaBreakGlass: true } : { kind: 'break_glass_required' };
}

/**
 * Whether a list may show a row's details (dates, payer, codes, DRG, clinical text) or only the record's existence
 * (ids, MRN, name and the restricted flag): the same rule as opening the record, for a user who already passed the
 * list's permission.
 */
export function listShowsDetails(q: { system?: boolean | undefined; restricted: boolean; hasGrant: boolean }): boolean {
  return q.system === true || !q.restricted || q.hasGrant;
}
