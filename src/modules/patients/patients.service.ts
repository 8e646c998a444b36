import type { Kysely } from 'kysely';
import type { Database, PatientTable } from '../../db/schema.js';
import type { Clock } from '../../core/shared/clock.js';
import type { FieldCipher } from '../../core/shared/crypto.js';
import { invalid, notFound } from '../../core/errors.js';
import { Permission, requirePermission, type Actor, type BreakGlassEntry, type ListScope, type RecordAccess } from '../access/index.js';
import { AuditAction, recordAudit, type AuditLog } from '../audit/index.js';
import * as facilityRepo from './facilities.repository.js';
import * as searchRepo from './patient-search.repository.js';
import * as repo from './patients.repository.js';
import { maskSsn, parsePatientQuery, type PatientQuery } from './patients.rules.js';
import { nameSearchScore, searchPrefixes } from './patient-search.rules.js';
import type { Db } from '../../db/database.js';
import type { MatchQuery, NewPatient, PatientUpdate } from './patients.schemas.js';
import type { PersonRecord } from '../../core/matching/index.js';
import { insertPatient, setRestrictionInTx, updatePatientInTx, type PatientMatching } from './patient-write.js';

export interface PatientDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  cipher: FieldCipher;
  /** The record-access step (src/modules/access/record-access.ts). */
  records: RecordAccess;
  /** The master patient index's match keys, duplicate screen and candidate look-up (implemented by src/modules/mpi). */
  matching: PatientMatching;
}

export interface PatientListItem {
  id: string;
  mrn: string;
  familyName: string;
  givenName: string;
  dateOfBirth: string | null;
  sex: string | null;
  restricted: boolean;
}

/** A list row: restricted (VIP, employee) records show only name and MRN to a user who has not broken the glass. */
function toListItem(p: PatientTable, details: boolean): PatientListItem {
  return {
    id: p.id,
    mrn: p.mrn,
    familyName: p.family_name,
    givenName: p.given_name,
    dateOfBirth: details ? p.date_of_birth : null,
    sex: details ? p.sex : null,
    restricted: p.restricted === 1,
  };
}

/** Whether a list may show the details of a patient row to the scope's user. */
const showsPatient = (list: ListScope, p: PatientTable) => list.showsDetails({ patientId: p.id, restricted: p.restricted });

/** Patient search for registration, coding and ROI. Audited as a search with the result count (never the query text). */
export async function searchPatients(deps: PatientDeps, actor: Actor, text: string, limit = 25): Promise<PatientListItem[]> {
  const q = parsePatientQuery(text);
  if (!q) throw invalid('q: enter a name, an MRN or a date of birth');
  const list = await deps.records.openList(actor, { permission: Permission.patientSearch, resourceType: 'patient' });
  // A date of birth in the search would reveal a restricted record's hidden date of birth by matching it.
  const byHiddenField = q.kind === 'dob' || (q.kind === 'name' && q.dateOfBirth !== undefined);
  const max = Math.min(Math.max(limit, 1), 100);
  return deps.db.transaction().execute(async (trx) => {
    let rows = await searchRepo.searchPatients(trx, list, q, max);
    if (q.kind === 'name' && isPlainName(q) && rows.length < max)
      rows = [...rows, ...(await alikeNames(trx, list, q, rows, max - rows.length))];
    rows = rows.filter((p) => !byHiddenField || showsPatient(list, p));
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.search,
      resourceType: 'patient',
      outcome: 'success',
      detail: { resultCount: rows.length, by: q.kind },
    });
    return rows.map((p) => toListItem(p, showsPatient(list, p)));
  });
}

/** Only names of letters, spaces, hyphens and apostrophes are searched forgivingly: other characters match literally. */
const isPlainName = (q: { family: string; given?: string | undefined }) => /^[\p{L}' -]+$/u.test(`${q.family} ${q.given ?? ''}`);

/** Most records a forgiving name search reads and scores (see patient-search.rules.ts for what it can miss). */
const ALIKE_SCAN_LIMIT = 5000;

/**
 * Records whose names sound alike, are nicknames, have a small typo or are transposed (the MPI's comparators), best
 * first, after those the prefix search found. A date of birth in the search still has to agree.
 */
async function alikeNames(
  db: Db,
  list: ListScope,
  q: Extract<PatientQuery, { kind: 'name' }>,
  found: PatientTable[],
  room: number,
): Promise<PatientTable[]> {
  const seen = new Set(found.map((p) => p.id));
  const rows = await searchRepo.listPatientsByNamePrefixes(db, list, searchPrefixes(q), ALIKE_SCAN_LIMIT);
  return rows
    .filter((p) => !seen.has(p.id) && (q.dateOfBirth === undefined || p.date_of_birth === q.dateOfBirth))
    .map((p) => ({ p, score: nameSearchScore(q, { family: p.family_name, given: p.given_name }) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, room)
    .map((x) => x.p);
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
  insurance: {
    priority: number;
    payerName: string;
    payerId: string | null;
    planType: string | null;
    memberId: string;
    groupNumber: string | null;
    subscriberName: string | null;
    relationship: string | null;
  }[];
  nextOfKin: { name: string; relationship: string | null; phone: string | null }[];
  encounters: {
    id: string;
    accountNumber: string;
    type: string;
    status: string;
    admitAt: string;
    dischargeAt: string | null;
    attending: string | null;
    dischargeStatus: string | null;
    payerName: string | null;
    reasonForVisit: string | null;
  }[];
}

/**
 * The patient summary. A missing patient and one the actor may not see answer alike (not found). A restricted
 * record needs an active break-the-glass grant of this user; without one the error says so.
 */
export async function getPatientSummary(deps: PatientDeps, actor: Actor, patientId: string): Promise<PatientSummary> {
  const scope = await deps.records.open(
    actor,
    { patientId },
    { permission: Permission.patientRead, mode: 'read', resourceType: 'patient', resourceId: patientId },
  );
  return deps.db.transaction().execute(async (trx) => {
    const p = await repo.readPatient(trx, scope);
    if (!p) throw notFound('patient');
    const [{ aliases, identifiers, insurance, nextOfKin: nok }, encounters] = await Promise.all([
      repo.readPatientLists(trx, scope),
      repo.listEncountersOfPatient(trx, scope),
    ]);
    return {
      patient: {
        ...toListItem(p, true),
        restricted: p.restricted === 1,
        middleName: p.middle_name,
        race: p.race,
        ethnicity: p.ethnicity,
        address: { line1: p.address_line1, line2: p.address_line2, city: p.city, state: p.state, postalCode: p.postal_code },
        phone: p.phone,
        email: p.email,
        ssnMasked: maskSsn(p.ssn_last4),
        deceased: p.deceased === 1,
        deceasedAt: p.deceased_at,
        restrictionReason: p.restriction_reason,
        mergedInto: p.merged_into,
      },
      aliases: aliases.map((a) => ({ use: a.use, familyName: a.family_name, givenName: a.given_name, middleName: a.middle_name })),
      identifiers: identifiers.map((i) => ({ system: i.system, value: i.value, type: i.type })),
      insurance: insurance.map((i) => ({
        priority: i.priority,
        payerName: i.payer_name,
        payerId: i.payer_id,
        planType: i.plan_type,
        memberId: i.member_id,
        groupNumber: i.group_number,
        subscriberName: i.subscriber_name,
        relationship: i.subscriber_relationship,
      })),
      nextOfKin: nok.map((n) => ({ name: n.name, relationship: n.relationship, phone: n.phone })),
      encounters: encounters.map((e) => ({
        id: e.id,
        accountNumber: e.account_number,
        type: e.type,
        status: e.status,
        admitAt: e.admit_at,
        dischargeAt: e.discharge_at,
        attending: e.attending_name,
        dischargeStatus: e.discharge_status,
        payerName: e.payer_name,
        reasonForVisit: e.reason_for_visit,
      })),
    };
  });
}

/** Break the glass (delegates to the record-access step, which owns the grants). */
export async function breakGlass(deps: PatientDeps, actor: Actor, patientId: string, reason: string): Promise<{ expiresAt: string }> {
  const { expiresAt } = await deps.records.breakGlass(actor, patientId, reason);
  return { expiresAt };
}

/** Break-the-glass grants for review by privacy officers (HIM director, auditor); newest first. */
export async function listBreakGlass(deps: PatientDeps, actor: Actor, opts: { unreviewedOnly?: boolean } = {}): Promise<BreakGlassEntry[]> {
  return deps.records.listBreakGlass(actor, opts);
}

export async function reviewBreakGlass(deps: PatientDeps, actor: Actor, grantId: string, note: string): Promise<void> {
  await deps.records.reviewBreakGlass(actor, grantId, note);
}

/**
 * Marks a record restricted (VIP, employee, sensitive) or lifts the restriction. A restricted record is opened like
 * any other use of it, so lifting (or re-wording) a restriction needs the glass broken first: otherwise lifting it
 * would be a way round break-the-glass.
 */
export async function setRestriction(
  deps: PatientDeps,
  actor: Actor,
  patientId: string,
  restricted: boolean,
  reason: string | null,
): Promise<void> {
  const scope = await deps.records.open(
    actor,
    { patientId },
    { permission: Permission.patientRestrict, mode: 'write', resourceType: 'patient', resourceId: patientId },
  );
  await deps.db.transaction().execute((trx) => setRestrictionInTx(trx, deps, scope, restricted, reason));
}

/**
 * Registers a patient with a new MRN of the facility (sequence + Luhn check digit). Call findMatchCandidates first:
 * the registration screen shows likely existing records before a new MRN is made. Pairs above the review
 * threshold still go to the potential-duplicate worklist.
 */
export async function createPatient(
  deps: PatientDeps,
  actor: Actor,
  input: NewPatient,
): Promise<{ id: string; mrn: string; newDuplicatePairs: number }> {
  await requirePermission(deps, actor, Permission.patientWrite, { type: 'patient' });
  const { id, mrn, newDuplicatePairs } = await deps.db.transaction().execute((trx) => insertPatient(trx, deps, actor, input));
  return { id, mrn, newDuplicatePairs };
}

/** Changes a patient's demographics or lists (see PatientUpdateSchema); answers the summary afterwards. */
export async function updatePatient(
  deps: PatientDeps,
  actor: Actor,
  patientId: string,
  u: PatientUpdate,
): Promise<{ id: string; updatedAt: string }> {
  const scope = await deps.records.open(
    actor,
    { patientId },
    { permission: Permission.patientWrite, mode: 'write', resourceType: 'patient', resourceId: patientId },
  );
  return deps.db.transaction().execute(async (trx) => {
    const after = await updatePatientInTx(trx, deps, scope, u);
    return { id: after.id, updatedAt: after.updated_at };
  });
}

export interface MatchCandidateView {
  patient: PatientListItem & {
    addressLine1: string | null;
    city: string | null;
    postalCode: string | null;
    phone: string | null;
    ssnMasked: string | null;
  };
  /** Null for a restricted record the user has not opened (see findMatchCandidates). */
  score: number | null;
  weight: number | null;
  /** Agreement level of each compared field (exact, nickname_or_close, one_typo_or_day_month_swap, ...). */
  fields: Record<string, string | null>;
  transposedNames: boolean;
}

/**
 * Likely existing records for a person about to be registered, best first, with scores and the field levels
 * that explain them. Restricted records show name, MRN and score only. Audited as a search (count only).
 */
export async function findMatchCandidates(
  deps: PatientDeps,
  actor: Actor,
  person: MatchQuery,
  opts: { limit?: number; threshold?: number } = {},
): Promise<MatchCandidateView[]> {
  const list = await deps.records.openList(actor, { permission: Permission.patientSearch, resourceType: 'patient' });
  return deps.db.transaction().execute(async (trx) => {
    const hits = await deps.matching.findCandidates(trx, personOfMatchQuery(person), {
      limit: opts.limit ?? 10,
      threshold: opts.threshold,
    });
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.search,
      resourceType: 'patient',
      outcome: 'success',
      detail: { resultCount: hits.length, by: 'match' },
    });
    // A restricted record the user has not opened shows that it exists (name, MRN): a likely match the clerk must
    // not duplicate. Its score and field agreements would tell its hidden date of birth, SSN or address: withheld.
    const views = hits.map((h) => {
      const p = h.patient;
      const d = showsPatient(list, p);
      const fields: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(h.explanation.fields)) fields[k] = v.level;
      return {
        patient: {
          ...toListItem(p, d),
          addressLine1: d ? p.address_line1 : null,
          city: d ? p.city : null,
          postalCode: d ? p.postal_code : null,
          phone: d ? p.phone : null,
          ssnMasked: d ? maskSsn(p.ssn_last4) : null,
        },
        score: d ? h.score : null,
        weight: d ? h.weight : null,
        fields: d ? fields : {},
        transposedNames: d ? h.explanation.transposedNames : false,
      };
    });
    return [...views.filter((v) => v.score !== null), ...views.filter((v) => v.score === null)];
  });
}

function personOfMatchQuery(q: MatchQuery): PersonRecord {
  return {
    id: 'query',
    givenName: q.givenName,
    familyName: q.familyName,
    middleName: q.middleName,
    dateOfBirth: q.dateOfBirth ?? '',
    sex: q.sex,
    street: q.address?.line1,
    addressLine2: q.address?.line2,
    city: q.address?.city,
    state: q.address?.state,
    postcode: q.address?.postalCode,
    phone: q.phone,
    ssn: q.ssn,
    email: q.email,
  };
}

/** Facilities that register patients (each with its own MRN sequence), for the registration form. */
export async function listFacilities(deps: PatientDeps, actor: Actor): Promise<{ id: string; name: string }[]> {
  await requirePermission(deps, actor, Permission.patientWrite, { type: 'facility' });
  return facilityRepo.listFacilities(deps.db);
}
