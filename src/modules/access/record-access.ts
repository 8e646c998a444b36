/**
 * The record-access step: every read or write of patient data passes through it. It checks the permission, the
 * record's restriction and any break-the-glass grant, writes the audit event, and returns a scope value. Repository
 * functions that read or write one patient's data take a `RecordScope` (and constrain their SQL by its patient id);
 * those that list rows across patients take a `ListScope`. Neither can be made outside this file, so a path that
 * skips the check does not compile. HIPAA 164.312(a)(1), (a)(2)(ii), (b); 164.502(b).
 */
import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { DomainError, ErrorCode, forbidden, invalid, notFound } from '../../core/errors.js';
import { AuditAction, recordAudit, type AuditLog } from '../audit/index.js';
import { permissionsOfRule, Permission, roleMeets, type Actor, type PermissionRule } from './access.rules.js';
import { decideRecordAccess, listShowsDetails } from './record-access.rules.js';
import { requirePermission } from './access.service.js';
import * as grants from './break-glass.repository.js';

/** One patient's record, named by the patient or by one of its encounters. */
export type RecordTarget = { patientId: string } | { encounterId: string };

/** What the record-access step needs to know of a record: ids and flags, no PHI. */
export interface RecordFacts {
  patientId: string;
  /** Set when the target was an encounter. */
  encounterId: string | null;
  restricted: boolean;
  /** The surviving record when this one was merged into another (MPI). */
  mergedInto: string | null;
}

/** The port the patients module implements (it owns patients and encounters); wired in src/app/bootstrap.ts. */
export interface RecordDirectory {
  /** The facts of the record, or undefined when there is none (an encounter of a merged-away patient included). */
  findRecord(db: Db, target: RecordTarget): Promise<RecordFacts | undefined>;
  /** Which of these patients are restricted. */
  restrictedAmong(db: Db, patientIds: readonly string[]): Promise<Set<string>>;
}

/** How a service uses a record: the permission it needs, and what the audit event names. */
export interface RecordUse {
  permission: PermissionRule;
  /**
   * 'read': the read event is written now (who, what, why; with the grant when the glass was broken).
   * 'write': the writers the scope is handed to record each change in the caller's transaction.
   */
  mode: 'read' | 'write';
  resourceType: string;
  resourceId?: string | null;
  /** The read event's action (default `read`). */
  action?: AuditAction;
  /** Ids and counts only. */
  detail?: Record<string, unknown>;
  /**
   * The data is under a confidentiality flag (42 CFR Part 2, behavioral health, HIV, reproductive health,
   * psychotherapy notes): a role that lacks this permission needs a break-the-glass grant, as for a restricted record.
   */
  sensitive?: PermissionRule;
}

const scopeBrand: unique symbol = Symbol('RecordScope');
const listBrand: unique symbol = Symbol('ListScope');

/** Proof that the record-access step let `actor` use one patient's record. */
export interface RecordScope {
  readonly [scopeBrand]: true;
  readonly patientId: string;
  readonly encounterId: string | null;
  readonly mergedInto: string | null;
  readonly mode: 'read' | 'write';
  /** The actor, with purpose of use ETREAT when the record opened through break-the-glass. */
  readonly actor: Actor;
  /** The break-the-glass grant the record opened with, if any (writers put it in their audit detail). */
  readonly breakGlassGrantId: string | null;
}

/** Proof that the record-access step let `actor` list rows across patients, and what each row may show. */
export interface ListScope {
  readonly [listBrand]: true;
  readonly actor: Actor;
  /** True when the row may show its details; otherwise only its existence (ids, MRN, name, restricted). */
  showsDetails(row: { patientId: string; restricted: boolean | number }): boolean;
  /** The same for a row that carries only a patient id (looks the restriction up); true when there is no such patient. */
  showsRecord(patientId: string): Promise<boolean>;
  /** Of rows that carry only patient ids: the ids whose details are withheld from this user. */
  withheldAmong(patientIds: readonly string[]): Promise<Set<string>>;
}

/** The detail an audit event of a change made through `scope` carries (the grant, when the glass was broken). */
export function scopeDetail(scope: RecordScope, detail?: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!scope.breakGlassGrantId) return detail;
  return { ...detail, breakGlass: scope.breakGlassGrantId };
}

export interface RecordAccessDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  directory: RecordDirectory;
}

/** How long a break-the-glass grant lasts (HIPAA 164.312(a)(2)(ii) emergency access). */
export const BREAK_GLASS_HOURS = 4;

export interface BreakGlassEntry {
  id: string;
  patientId: string;
  mrn: string;
  userId: string;
  username: string;
  reason: string;
  grantedAt: string;
  expiresAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
}

/** The record-access step of a deployment, made once at start-up and passed to every service as `deps.records`. */
export interface RecordAccess {
  /**
   * Opens a record for a signed-in user (or the system's own work), before the caller's transaction starts (a denial is audited in a
   * transaction of its own, which a caller's rollback cannot undo). Unknown records answer `not_found`; a restricted
   * record without this user's grant answers `break_glass_required`.
   */
  open(actor: Actor, target: RecordTarget, use: RecordUse): Promise<RecordScope>;
  /**
   * Whether the record is restricted and would open for this user now (ids and flags only, not audited: it tells
   * nothing but what a list already shows), so a screen can offer break-the-glass before trying.
   */
  status(
    actor: Actor,
    target: RecordTarget,
    permission: PermissionRule,
  ): Promise<{ patientId: string; restricted: boolean; open: boolean }>;
  /** A record the system's own work (interfaces, merges, batch jobs) writes inside its transaction: ids already known. */
  forSystem(actor: Actor, ids: { patientId: string; encounterId?: string | null; mergedInto?: string | null }): RecordScope;
  /** Permission to list rows across patients, with the user's grants to decide what each row shows. */
  openList(actor: Actor, use: { permission: PermissionRule; resourceType: string }): Promise<ListScope>;
  /** Break the glass: this user may open one restricted record for BREAK_GLASS_HOURS, with a reason (audited, reviewed). */
  breakGlass(actor: Actor, patientId: string, reason: string): Promise<{ grantId: string; expiresAt: string }>;
  listBreakGlass(actor: Actor, opts?: { unreviewedOnly?: boolean }): Promise<BreakGlassEntry[]>;
  reviewBreakGlass(actor: Actor, grantId: string, note: string): Promise<void>;
}

function makeScope(actor: Actor, facts: RecordFacts, mode: 'read' | 'write', grantId: string | null): RecordScope {
  return Object.freeze({
    [scopeBrand]: true as const,
    patientId: facts.patientId,
    encounterId: facts.encounterId,
    mergedInto: facts.mergedInto,
    mode,
    actor: grantId ? { ...actor, purposeOfUse: 'ETREAT' } : actor,
    breakGlassGrantId: grantId,
  });
}

export function createRecordAccess(deps: RecordAccessDeps): RecordAccess {
  const deny = async (actor: Actor, facts: RecordFacts, use: RecordUse, reason: string) => {
    await deps.db.transaction().execute((trx) =>
      recordAudit(trx, deps.audit, actor, {
        action: AuditAction.accessDenied,
        resourceType: use.resourceType,
        resourceId: use.resourceId ?? facts.encounterId ?? facts.patientId,
        patientId: facts.patientId,
        outcome: 'denied',
        detail: { reason, permission: permissionsOfRule(use.permission).join(' | ') },
      }),
    );
  };

  return {
    async open(actor, target, use) {
      // The permission first: a role without it learns nothing about whether the record exists. The system's own
      // work (systemActor: the demo seed, batch jobs) is not a user and is not stopped by roles or restrictions.
      if (!actor.system) await requirePermission(deps, actor, use.permission, { type: use.resourceType, id: use.resourceId ?? null });
      const found = await deps.directory.findRecord(deps.db, target);
      if (!found) throw notFound('encounterId' in target ? 'encounter' : 'patient');
      const sensitive = use.sensitive !== undefined && !actor.system && !roleMeets(actor.role, use.sensitive);
      const facts = sensitive ? { ...found, restricted: true } : found;
      const grantId = facts.restricted
        ? await grants.findActiveGrant(deps.db, actor.userId, facts.patientId, isoNow(deps.clock))
        : undefined;
      const decision = decideRecordAccess({ actor, rule: use.permission, restricted: facts.restricted, hasGrant: grantId !== undefined });
      if (decision.kind === 'forbidden') throw forbidden();
      if (decision.kind === 'break_glass_required') {
        await deny(actor, facts, use, 'break_glass_required');
        throw new DomainError(ErrorCode.breakGlassRequired, 'this record is restricted: give a reason to break the glass');
      }
      const scope = makeScope(actor, facts, use.mode, grantId ?? null);
      if (use.mode === 'read') {
        await deps.db.transaction().execute((trx) =>
          recordAudit(trx, deps.audit, scope.actor, {
            action: use.action ?? AuditAction.read,
            resourceType: use.resourceType,
            resourceId: use.resourceId ?? facts.encounterId ?? facts.patientId,
            patientId: facts.patientId,
            outcome: 'success',
            ...(scopeDetail(scope, use.detail) ? { detail: scopeDetail(scope, use.detail) } : {}),
          }),
        );
      }
      return scope;
    },

    async status(actor, target, permission) {
      await requirePermission(deps, actor, permission, { type: 'record' });
      const facts = await deps.directory.findRecord(deps.db, target);
      if (!facts) throw notFound('encounterId' in target ? 'encounter' : 'patient');
      const grantId = facts.restricted
        ? await grants.findActiveGrant(deps.db, actor.userId, facts.patientId, isoNow(deps.clock))
        : undefined;
      return {
        patientId: facts.patientId,
        restricted: facts.restricted,
        open:
          decideRecordAccess({ actor, rule: permission, restricted: facts.restricted, hasGrant: grantId !== undefined }).kind === 'open',
      };
    },

    forSystem(actor, ids) {
      if (!actor.system) throw new Error("forSystem is for the system's own work (systemActor)");
      return makeScope(
        actor,
        { patientId: ids.patientId, encounterId: ids.encounterId ?? null, restricted: false, mergedInto: ids.mergedInto ?? null },
        'write',
        null,
      );
    },

    async openList(actor, use) {
      if (!actor.system) await requirePermission(deps, actor, use.permission, { type: use.resourceType });
      const open = actor.system
        ? new Set<string>()
        : new Set(await grants.listActiveGrantPatients(deps.db, actor.userId, isoNow(deps.clock)));
      const showsDetails = (row: { patientId: string; restricted: boolean | number }) =>
        listShowsDetails({
          system: actor.system,
          restricted: row.restricted === true || row.restricted === 1,
          hasGrant: open.has(row.patientId),
        });
      return Object.freeze({
        [listBrand]: true as const,
        actor,
        showsDetails,
        showsRecord: async (patientId: string) => {
          const facts = await deps.directory.findRecord(deps.db, { patientId });
          return !facts || showsDetails({ patientId, restricted: facts.restricted });
        },
        withheldAmong: async (patientIds: readonly string[]) => {
          const restricted = await deps.directory.restrictedAmong(deps.db, [...new Set(patientIds)]);
          return new Set([...restricted].filter((id) => !showsDetails({ patientId: id, restricted: true })));
        },
      });
    },

    async breakGlass(actor, patientId, reason) {
      await requirePermission(deps, actor, Permission.patientRead, { type: 'patient', id: patientId, patientId });
      const why = reason.trim();
      if (why.length < 10) throw invalid('reason: explain in at least 10 characters why you need this record');
      const facts = await deps.directory.findRecord(deps.db, { patientId });
      if (!facts) throw notFound('patient');
      return deps.db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        const expiresAt = new Date(now.getTime() + BREAK_GLASS_HOURS * 3600_000).toISOString();
        const grantId = newId();
        await grants.insertGrant(trx, {
          patient_id: facts.patientId,
          id: grantId,
          user_id: actor.userId,
          reason: why,
          granted_at: now.toISOString(),
          expires_at: expiresAt,
          reviewed_by: null,
          reviewed_at: null,
          review_note: null,
        });
        await recordAudit(
          trx,
          deps.audit,
          { ...actor, purposeOfUse: 'ETREAT' },
          {
            action: AuditAction.breakGlass,
            resourceType: 'patient',
            resourceId: facts.patientId,
            patientId: facts.patientId,
            outcome: 'success',
            detail: { grantId },
          },
        );
        return { grantId, expiresAt };
      });
    },

    async listBreakGlass(actor, opts = {}) {
      await requirePermission(deps, actor, Permission.breakGlassReview, { type: 'break_glass' });
      const rows = await grants.listGrants(deps.db, { unreviewedOnly: opts.unreviewedOnly === true, limit: 500 });
      return rows.map((r) => ({
        id: r.id,
        patientId: r.patient_id,
        mrn: r.mrn,
        userId: r.user_id,
        username: r.username,
        reason: r.reason,
        grantedAt: r.granted_at,
        expiresAt: r.expires_at,
        reviewedBy: r.reviewed_by,
        reviewedAt: r.reviewed_at,
        reviewNote: r.review_note,
      }));
    },

    async reviewBreakGlass(actor, grantId, note) {
      await requirePermission(deps, actor, Permission.breakGlassReview, { type: 'break_glass', id: grantId });
      await deps.db.transaction().execute(async (trx) => {
        const g = await grants.findGrant(trx, grantId);
        if (!g) throw notFound('break-the-glass grant');
        await grants.markGrantReviewed(trx, g, {
          reviewed_by: actor.userId,
          reviewed_at: isoNow(deps.clock),
          review_note: note.trim() || null,
        });
        await recordAudit(trx, deps.audit, actor, {
          action: AuditAction.update,
          resourceType: 'break_glass',
          resourceId: g.id,
          patientId: g.patient_id,
          outcome: 'success',
        });
      });
    },
  };
}
