import type { Kysely } from 'kysely';
import type { Database, PatientTable } from '../../db/schema.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import type { FieldCipher } from '../../core/shared/crypto.js';
import { newId } from '../../core/shared/ids.js';
import { DomainError, ErrorCode, invalid, notFound } from '../../core/errors.js';
import { Permission, requirePermission, type Actor } from '../access/index.js';
import { AuditAction, recordAudit, type AuditLog } from '../audit/index.js';
import * as repo from './patients.repository.js';
import { maskSsn, parsePatientQuery } from './patients.rules.js';
import type { MatchQuery, NewPatient, PatientUpdate } from './patients.schemas.js';
import type { PersonRecord } from '../../core/matching/index.js';
import { insertPatient, updatePatientInTx } from './patient-write.js';
import { CANDIDATE_THRESHOLD, findScoredCandidates } from './patient-matching.js';

export interface PatientDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  cipher: FieldCipher;
  /** Server configuration, when wired from AppDeps: its encryption key also keys the MPI match-key hashes. */
  config?: { encryptionKey?: string | undefined };
}

/** How long a break-the-glass grant lasts (HIPAA 164.312(a)(2)(ii) emergency access). */
export const BREAK_GLASS_HOURS = 4;

export interface PatientListItem {
  id: string;
  mrn: string;
  familyName: string;
  givenName: string;
  dateOfBirth: string | null;
  sex: string | null;
  restricted: boolean;
}

function toListItem(p: PatientTable): PatientListItem {
  const r = p.restricted === 1;
  // Restricted (VIP, employee) records show only name and MRN until the glass is broken.
  return { id: p.id, mrn: p.mrn, familyName: p.family_name, givenName: p.given_name, dateOfBirth: r ? null : p.date_of_birth, sex: r ? null : p.sex, restricted: r };
}

/** Patient search for registration, coding and ROI. Audited as a search with the result count (never the query text). */
export async function searchPatients(deps: PatientDeps, actor: Actor, text: string, limit = 25): Promise<PatientListItem[]> {
  await requirePermission(deps, actor, Permission.patientSearch, { type: 'patient' });
  const q = parsePatientQuery(text);
  if (!q) throw invalid('q: enter a name, an MRN or a date of birth');
  return deps.db.transaction().execute(async (trx) => {
    const rows = await repo.searchPatients(trx, q, Math.min(Math.max(limit, 1), 100));
    await recordAudit(trx, deps.audit, actor, { action: AuditAction.search, resourceType: 'patient', outcome: 'success', detail: { resultCount: rows.length, by: q.kind } });
    return rows.map(toListItem);
  });
}

export interface PatientSummary {
  patient: PatientListItem & {
    middleName: string | null;
    race: string | null;
    ethnicity: string | null;
    address: { line1: string | null; line2: string | null; city: string | null; state: string | null; postalCode: string | null };
    phone: string | null;
    email: string | null;
    ssnMasked: string | null;
    deceased: boolean;
    deceasedAt: string | null;
    restrictionReason: string | null;
    /** Set when this record was merged into another (the survivor); the UI follows it. */
    mergedInto: string | null;
  };
  aliases: { use: string; familyName: string; givenName: string; middleName: string | null }[];
  identifiers: { system: string; value: string; type: string | null }[];
  insurance: { priority: number; payerName: string; payerId: string | null; planType: string | null; memberId: string; groupNumber: string | null; subscriberName: string | null; relationship: string | null }[];
  nextOfKin: { name: string; relationship: string | null; phone: string | null }[];
  encounters: {
    id: string; accountNumber: string; type: string; status: string; admitAt: string; dischargeAt: string | null;
    attending: string | null; dischargeStatus: string | null; payerName: string | null; reasonForVisit: string | null;
  }[];
}

/**
 * The patient summary. A missing patient and one the actor may not see answer alike (not found). A restricted
 * record needs an active break-the-glass grant of this user; without one the error says so.
 */
export async function getPatientSummary(deps: PatientDeps, actor: Actor, patientId: string): Promise<PatientSummary> {
  await requirePermission(deps, actor, Permission.patientRead, { type: 'patient', id: patientId, patientId });
  return deps.db.transaction().execute(async (trx) => {
    const p = await repo.findPatientById(trx, patientId);
    if (!p) throw notFound('patient');
    if (p.restricted === 1 && !(await repo.hasActiveBreakGlass(trx, actor.userId, p.id, isoNow(deps.clock)))) {
      throw new DomainError(ErrorCode.breakGlassRequired, 'this record is restricted: give a reason to break the glass');
    }
    const [aliases, identifiers, insurance, nok, encounters] = await Promise.all([
      trx.selectFrom('patient_names').selectAll().where('patient_id', '=', p.id).execute(),
      trx.selectFrom('patient_identifiers').selectAll().where('patient_id', '=', p.id).execute(),
      trx.selectFrom('patient_insurance').selectAll().where('patient_id', '=', p.id).orderBy('priority').execute(),
      trx.selectFrom('next_of_kin').selectAll().where('patient_id', '=', p.id).execute(),
      repo.listEncountersOfPatient(trx, p.id),
    ]);
    await recordAudit(trx, deps.audit, actor, { action: AuditAction.read, resourceType: 'patient', resourceId: p.id, patientId: p.id, outcome: 'success' });
    return {
      patient: {
        ...toListItem({ ...p, restricted: 0 }),
        restricted: p.restricted === 1,
        middleName: p.middle_name, race: p.race, ethnicity: p.ethnicity,
        address: { line1: p.address_line1, line2: p.address_line2, city: p.city, state: p.state, postalCode: p.postal_code },
        phone: p.phone, email: p.email, ssnMasked: maskSsn(p.ssn_last4), deceased: p.deceased === 1, deceasedAt: p.deceased_at,
        restrictionReason: p.restriction_reason, mergedInto: p.merged_into,
      },
      aliases: aliases.map((a) => ({ use: a.use, familyName: a.family_name, givenName: a.given_name, middleName: a.middle_name })),
      identifiers: identifiers.map((i) => ({ system: i.system, value: i.value, type: i.type })),
      insurance: insurance.map((i) => ({ priority: i.priority, payerName: i.payer_name, payerId: i.payer_id, planType: i.plan_type, memberId: i.member_id, groupNumber: i.group_number, subscriberName: i.subscriber_name, relationship: i.subscriber_relationship })),
      nextOfKin: nok.map((n) => ({ name: n.name, relationship: n.relationship, phone: n.phone })),
      encounters: encounters.map((e) => ({
        id: e.id, accountNumber: e.account_number, type: e.type, status: e.status, admitAt: e.admit_at, dischargeAt: e.discharge_at,
        attending: e.attending_name, dischargeStatus: e.discharge_status, payerName: e.payer_name, reasonForVisit: e.reason_for_visit,
      })),
    };
  });
}

/** Break the glass: grants this user emergency access to one restricted record for a few hours, with a reason, audited and listed for review. */
export async function breakGlass(deps: PatientDeps, actor: Actor, patientId: string, reason: string): Promise<{ expiresAt: string }> {
  await requirePermission(deps, actor, Permission.patientRead, { type: 'patient', id: patientId, patientId });
  const why = reason.trim();
  if (why.length < 10) throw invalid('reason: explain in at least 10 characters why you need this record');
  return deps.db.transaction().execute(async (trx) => {
    const p = await repo.findPatientById(trx, patientId);
    if (!p) throw notFound('patient');
    const now = deps.clock.now();
    const expiresAt = new Date(now.getTime() + BREAK_GLASS_HOURS * 3600_000).toISOString();
    const id = newId();
    await trx.insertInto('break_glass').values({ patient_id: p.id, id, user_id: actor.userId, reason: why, granted_at: now.toISOString(), expires_at: expiresAt, reviewed_by: null, reviewed_at: null, review_note: null }).execute();
    await recordAudit(trx, deps.audit, { ...actor, purposeOfUse: 'ETREAT' }, { action: AuditAction.breakGlass, resourceType: 'patient', resourceId: p.id, patientId: p.id, outcome: 'success', detail: { grantId: id } });
    return { expiresAt };
  });
}

export interface BreakGlassEntry {
  id: string; patientId: string; mrn: string; userId: string; username: string; reason: string; grantedAt: string; expiresAt: string;
  reviewedBy: string | null; reviewedAt: string | null; reviewNote: string | null;
}

/** Break-the-glass grants for review by privacy officers (HIM director, auditor); unreviewed first. */
export async function listBreakGlass(deps: PatientDeps, actor: Actor, opts: { unreviewedOnly?: boolean } = {}): Promise<BreakGlassEntry[]> {
  await requirePermission(deps, actor, Permission.breakGlassReview, { type: 'break_glass' });
  let q = deps.db
    .selectFrom('break_glass as b')
    .innerJoin('patients as p', 'p.id', 'b.patient_id')
    .innerJoin('users as u', 'u.id', 'b.user_id')
    .select(['b.id', 'b.patient_id', 'p.mrn', 'b.user_id', 'u.username', 'b.reason', 'b.granted_at', 'b.expires_at', 'b.reviewed_by', 'b.reviewed_at', 'b.review_note']);
  if (opts.unreviewedOnly) q = q.where('b.reviewed_at', 'is', null);
  const rows = await q.orderBy('b.granted_at', 'desc').limit(500).execute();
  return rows.map((r) => ({ id: r.id, patientId: r.patient_id, mrn: r.mrn, userId: r.user_id, username: r.username, reason: r.reason, grantedAt: r.granted_at, expiresAt: r.expires_at, reviewedBy: r.reviewed_by, reviewedAt: r.reviewed_at, reviewNote: r.review_note }));
}

export async function reviewBreakGlass(deps: PatientDeps, actor: Actor, grantId: string, note: string): Promise<void> {
  await requirePermission(deps, actor, Permission.breakGlassReview, { type: 'break_glass', id: grantId });
  await deps.db.transaction().execute(async (trx) => {
    const g = await trx.selectFrom('break_glass').select(['patient_id', 'id']).where('id', '=', grantId).executeTakeFirst();
    if (!g) throw notFound('break-the-glass grant');
    await trx.updateTable('break_glass').set({ reviewed_by: actor.userId, reviewed_at: isoNow(deps.clock), review_note: note.trim() || null }).where('patient_id', '=', g.patient_id).where('id', '=', g.id).execute();
    await recordAudit(trx, deps.audit, actor, { action: AuditAction.update, resourceType: 'break_glass', resourceId: g.id, patientId: g.patient_id, outcome: 'success' });
  });
}

/** Marks a record restricted (VIP, employee) or lifts the restriction. */
export async function setRestriction(deps: PatientDeps, actor: Actor, patientId: string, restricted: boolean, reason: string | null): Promise<void> {
  await requirePermission(deps, actor, Permission.patientRestrict, { type: 'patient', id: patientId, patientId });
  await deps.db.transaction().execute(async (trx) => {
    const p = await repo.findPatientById(trx, patientId);
    if (!p) throw notFound('patient');
    await trx.updateTable('patients').set({ restricted: restricted ? 1 : 0, restriction_reason: restricted ? reason : null, updated_at: isoNow(deps.clock) }).where('id', '=', p.id).execute();
    await recordAudit(trx, deps.audit, actor, { action: AuditAction.update, resourceType: 'patient', resourceId: p.id, patientId: p.id, outcome: 'success', detail: { restricted } });
  });
}

/**
 * Registers a patient with a new MRN of the facility (sequence + Luhn check digit). Call findMatchCandidates first:
 * the registration screen shows likely existing records before a new MRN is made. Pairs above the review
 * threshold still go to the potential-duplicate worklist.
 */
export async function createPatient(deps: PatientDeps, actor: Actor, input: NewPatient): Promise<{ id: string; mrn: string; newDuplicatePairs: number }> {
  await requirePermission(deps, actor, Permission.patientWrite, { type: 'patient' });
  const { id, mrn, newDuplicatePairs } = await deps.db.transaction().execute((trx) => insertPatient(trx, deps, actor, input));
  return { id, mrn, newDuplicatePairs };
}

/** Changes a patient's demographics or lists (see PatientUpdateSchema); answers the summary afterwards. */
export async function updatePatient(deps: PatientDeps, actor: Actor, patientId: string, u: PatientUpdate): Promise<{ id: string; updatedAt: string }> {
  await requirePermission(deps, actor, Permission.patientWrite, { type: 'patient', id: patientId, patientId });
  return deps.db.transaction().execute(async (trx) => {
    const after = await updatePatientInTx(trx, deps, actor, patientId, u);
    return { id: after.id, updatedAt: after.updated_at };
  });
}

export interface MatchCandidateView {
  patient: PatientListItem & { addressLine1: string | null; city: string | null; postalCode: string | null; phone: string | null; ssnMasked: string | null };
  score: number;
  weight: number;
  /** Agreement level of each compared field (exact, nickname_or_close, one_typo_or_day_month_swap, ...). */
  fields: Record<string, string | null>;
  transposedNames: boolean;
}

/**
 * Likely existing records for a person about to be registered, best first, with scores and the field levels
 * that explain them. Restricted records show name, MRN and score only. Audited as a search (count only).
 */
export async function findMatchCandidates(deps: PatientDeps, actor: Actor, person: MatchQuery, opts: { limit?: number; threshold?: number } = {}): Promise<MatchCandidateView[]> {
  await requirePermission(deps, actor, Permission.patientSearch, { type: 'patient' });
  return deps.db.transaction().execute(async (trx) => {
    const hits = await findScoredCandidates(trx, deps, personOfMatchQuery(person), { limit: opts.limit ?? 10, threshold: opts.threshold ?? CANDIDATE_THRESHOLD });
    await recordAudit(trx, deps.audit, actor, { action: AuditAction.search, resourceType: 'patient', outcome: 'success', detail: { resultCount: hits.length, by: 'match' } });
    return hits.map((h) => {
      const p = h.patient;
      const r = p.restricted === 1;
      const fields: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(h.explanation.fields)) fields[k] = v.level;
      return {
        patient: { ...toListItem(p), addressLine1: r ? null : p.address_line1, city: r ? null : p.city, postalCode: r ? null : p.postal_code, phone: r ? null : p.phone, ssnMasked: r ? null : maskSsn(p.ssn_last4) },
        score: h.score, weight: h.weight, fields: r ? {} : fields, transposedNames: h.explanation.transposedNames,
      };
    });
  });
}

function personOfMatchQuery(q: MatchQuery): PersonRecord {
  return {
    id: 'query', givenName: q.givenName, familyName: q.familyName, middleName: q.middleName, dateOfBirth: q.dateOfBirth ?? '', sex: q.sex,
    street: q.address?.line1, addressLine2: q.address?.line2, city: q.address?.city, state: q.address?.state, postcode: q.address?.postalCode,
    phone: q.phone, ssn: q.ssn, email: q.email,
  };
}

/** Facilities that register patients (each with its own MRN sequence), for the registration form. */
export async function listFacilities(deps: PatientDeps, actor: Actor): Promise<{ id: string; name: string }[]> {
  await requirePermission(deps, actor, Permission.patientWrite, { type: 'facility' });
  return deps.db.selectFrom('facilities').select(['id', 'name']).orderBy('name').execute();
}
