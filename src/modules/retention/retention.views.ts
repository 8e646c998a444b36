/** What the retention module answers, made from stored rows, and the deps its services need. */
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/shared/clock.js';
import type { DestructionBatchTable, RetentionRuleSetTable } from '../../db/schema-record-life.js';
import type { Database } from '../../db/schema.js';
import type { RecordAccess } from '../access/index.js';
import type { AuditLog } from '../audit/index.js';
import type { DocumentsService } from '../documents/index.js';
import { RetentionRuleSchema, type RetentionRule, type RuleSet } from './retention.rules.js';

/** The database, clock, audit log, record-access step, and the documents service (which destroys). */
export interface RetentionDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  documents: DocumentsService;
}

export interface RuleSetView extends RuleSet {
  jurisdiction: string;
  description: string;
  active: boolean;
  updatedBy: string;
  updatedAt: string;
}

export interface EligibleView {
  documentId: string;
  patientId: string;
  mrn: string;
  patientName: string;
  typeCode: string;
  title: string;
  serviceOn: string;
  lastEncounterOn: string | null;
  minor: boolean;
  eligibleOn: string;
  /** The rule and its dates, in words. */
  why: string;
  /** A batch not yet completed already names it. */
  pendingBatchId: string | null;
}

export interface ItemView {
  id: string;
  documentId: string;
  patientId: string;
  mrn: string;
  patientName: string;
  /** False for a restricted record the user has not opened: MRN and name only. */
  details: boolean;
  typeCode: string;
  serviceOn: string;
  eligibleOn: string;
  why: string;
  outcome: string;
  outcomeReason: string | null;
  doneAt: string | null;
}

export interface BatchView {
  id: string;
  ruleSetId: string;
  ruleSetName: string;
  status: string;
  note: string | null;
  method: string | null;
  createdBy: string;
  createdByName: string | null;
  createdAt: string;
  approvedBy: string | null;
  approvedByName: string | null;
  approvedAt: string | null;
  performedBy: string | null;
  performedByName: string | null;
  performedAt: string | null;
  destroyedCount: number;
  skippedCount: number;
  itemCount?: number;
  items?: ItemView[];
}

/** A batch with its lines. */
export type BatchDetail = BatchView & { itemCount: number; items: ItemView[] };

const parseRules = (json: string): RetentionRule[] => {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.flatMap((r) => (RetentionRuleSchema.safeParse(r).success ? [RetentionRuleSchema.parse(r)] : [])) : [];
  } catch {
    return [];
  }
};

export function ruleSetView(r: RetentionRuleSetTable): RuleSetView {
  return {
    id: r.id,
    name: r.name,
    jurisdiction: r.jurisdiction,
    description: r.description,
    ageOfMajority: r.age_of_majority,
    rules: parseRules(r.rules),
    active: r.active === 1,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
  };
}

export function batchView(b: DestructionBatchTable, names: Map<string, string>): BatchView {
  const name = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  return {
    id: b.id,
    ruleSetId: b.rule_set_id,
    ruleSetName: b.rule_set_name,
    status: b.status,
    note: b.note,
    method: b.method,
    createdBy: b.created_by,
    createdByName: name(b.created_by),
    createdAt: b.created_at,
    approvedBy: b.approved_by,
    approvedByName: name(b.approved_by),
    approvedAt: b.approved_at,
    performedBy: b.performed_by,
    performedByName: name(b.performed_by),
    performedAt: b.performed_at,
    destroyedCount: b.destroyed_count,
    skippedCount: b.skipped_count,
  };
}
