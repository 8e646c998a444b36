/**
 * What every coding service shares: the dependencies, opening an encounter's record through the record-access step,
 * loading the encounter and its abstract row, parsing abstracts, and the workspace's encounter header, documents and
 * provider choices. The abstract's paths live beside it: coding-abstract.service.ts (open, live feedback),
 * coding-save.service.ts (draft, final coding, reopening), coding-versions.service.ts (version history),
 * coding-for-queries.ts (the queries module's port).
 */
import type { Kysely } from 'kysely';
import type { Database, CodingAbstractTable } from '../../db/schema.js';
import type { Db } from '../../db/database.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { invalid, notFound } from '../../core/errors.js';
import type { Actor, RecordAccess, RecordScope, RecordUse } from '../access/index.js';
import type { AuditLog } from '../audit/index.js';
import * as repo from './coding.repository.js';
import { AbstractDataSchema, emptyAbstract, type AbstractData, type AbstractInput, type EncounterFacts } from './coding.rules.js';
import type { FeedbackDeps } from './coding.feedback.js';

export interface CodingDeps extends FeedbackDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
}

export const CodingAction = { finalCode: 'final_code', reopen: 'reopen', assign: 'assign', saveDraft: 'save_draft' } as const;

export function factsOf(e: repo.EncounterForCoding): EncounterFacts {
  return { type: e.type, admitAt: e.admit_at, dischargeAt: e.discharge_at, dateOfBirth: e.date_of_birth, sex: e.sex };
}

/**
 * Opens an encounter's record through the record-access step: a restricted record (VIP, employee) opens only with
 * this user's active break-the-glass grant (HIPAA 164.312(a)(2)(ii)); a read is audited there.
 */
export function openEncounter(deps: Pick<CodingDeps, 'records'>, actor: Actor, encounterId: string, use: RecordUse): Promise<RecordScope> {
  return deps.records.open(actor, { encounterId }, { resourceId: encounterId, ...use });
}

/** The encounter of an opened record, for coding; merged-away patients and unknown ids answer alike (not found). */
export async function loadEncounter(db: Db, scope: RecordScope): Promise<repo.EncounterForCoding> {
  const e = await repo.findEncounterForCoding(db, scope);
  if (!e || e.merged_into !== null) throw notFound('encounter');
  return e;
}

export function parseData(json: string): AbstractData {
  return AbstractDataSchema.parse(JSON.parse(json));
}

export function parseInput(input: AbstractInput): AbstractData {
  const r = AbstractDataSchema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw invalid(`${i.path.join('.') || 'abstract'}: ${i.message}`);
  }
  return r.data;
}

export interface AbstractView {
  encounter: {
    id: string;
    patientId: string;
    accountNumber: string;
    type: string;
    admitAt: string;
    dischargeAt: string | null;
    dischargeStatus: string | null;
    payerName: string | null;
    reasonForVisit: string | null;
    attending: string | null;
    attendingProviderId: string | null;
    mrn: string;
    patientName: string;
    dateOfBirth: string | null;
    sex: string | null;
  };
  status: 'not_started' | 'draft' | 'final';
  version: number;
  data: AbstractData;
  assignedTo: string | null;
  codedBy: string | null;
  codedAt: string | null;
  workingDrg: string | null;
  workingDrgTitle: string | null;
  finalDrg: string | null;
  queryAnswered: boolean;
  /** Physician queries still open or escalated on the encounter: each holds final coding. */
  pendingQueries: number;
  documents: { id: string; kind: string; title: string; author: string | null; authoredAt: string; text: string }[];
  providers: { id: string; name: string }[];
}

export function encounterHeader(e: repo.EncounterForCoding): AbstractView['encounter'] {
  return {
    id: e.id,
    patientId: e.patient_id,
    accountNumber: e.account_number,
    type: e.type,
    admitAt: e.admit_at,
    dischargeAt: e.discharge_at,
    dischargeStatus: e.discharge_status,
    payerName: e.payer_name,
    reasonForVisit: e.reason_for_visit,
    attending: e.attending_family
      ? `${e.attending_given ?? ''} ${e.attending_family}${e.attending_credentials ? `, ${e.attending_credentials}` : ''}`.trim()
      : null,
    attendingProviderId: e.attending_provider_id,
    mrn: e.mrn,
    patientName: `${e.family_name}, ${e.given_name}`,
    dateOfBirth: e.date_of_birth,
    sex: e.sex,
  };
}

export async function documentsOf(db: Db, scope: RecordScope): Promise<AbstractView['documents']> {
  return (await repo.listDocuments(db, scope)).map((d) => ({
    id: d.id,
    kind: d.kind,
    title: d.title,
    author: d.author,
    authoredAt: d.authored_at,
    text: d.text,
  }));
}

export async function providerChoices(db: Db): Promise<AbstractView['providers']> {
  return (await repo.listProviders(db)).map((p) => ({
    id: p.id,
    name: `${p.given_name} ${p.family_name}${p.credentials ? `, ${p.credentials}` : ''}`,
  }));
}

/** The abstract row of an opened encounter, created (status draft, version 0) on first touch. */
export async function ensureAbstract(trx: Db, clock: Clock, scope: RecordScope, e: repo.EncounterForCoding): Promise<CodingAbstractTable> {
  const a = await repo.findAbstract(trx, scope);
  if (a) return a;
  const now = isoNow(clock);
  const row: CodingAbstractTable = {
    encounter_id: e.id,
    patient_id: e.patient_id,
    status: 'draft',
    version: 0,
    data: JSON.stringify(emptyAbstract(e.discharge_status)),
    assigned_to: null,
    assigned_at: null,
    working_drg: null,
    working_drg_title: null,
    final_drg: null,
    coded_by: null,
    coded_at: null,
    query_answered: 0,
    updated_by: null,
    created_at: now,
    updated_at: now,
  };
  await repo.insertAbstract(trx, row);
  return row;
}

export async function userNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const want = [...new Set(ids.filter((x): x is string => !!x))];
  if (want.length === 0) return new Map();
  const rows = await repo.userDisplayNames(db, want);
  return new Map(rows.map((r) => [r.id, r.display_name]));
}
