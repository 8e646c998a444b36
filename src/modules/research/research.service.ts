/**
 * Research extracts (issue 24): the cohort's final-coded encounters, de-identified by the requested method, as CSV;
 * each extract logged (who, when, cohort, purpose, IRB reference, method, DUA, rows) with an audit event in one
 * transaction. Candidates come through the record-access step (`openList`, permission `research:extract`): a
 * restricted record the user has not opened is left out, and not counted (its codes and dates are what it hides).
 * Study ids are numbered per extract and the date-shift key is made per extract and never stored, so nothing kept
 * links a row to a patient.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { invalid } from '../../core/errors.js';
import { dateShiftDays, DeidMethod, type DeidLexicon } from '../../core/deid/index.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import type { Database } from '../../db/schema.js';
import type { ResearchExtractTable } from '../../db/schema-research.js';
import { Permission, type Actor, type RecordAccess } from '../access/index.js';
import { AuditAction, recordAudit, type AuditLog } from '../audit/index.js';
import * as repo from './research.repository.js';
import { EXTRACT_FIELDS, ExtractRequestSchema, extractRow, matchesCohort, toCsv, type CohortCandidate } from './research.rules.js';

export interface ResearchDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  /** The de-identifier's word lists (src/core/deid), built once at start-up. */
  lexicon: DeidLexicon;
}

export interface ExtractResult {
  extractId: string;
  rowCount: number;
  columns: string[];
  csv: string;
}

const nextDay = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The codes of a stored abstract (principal first, then secondary; procedures in order). */
export function codesOfAbstract(data: string): { diagnoses: string[]; procedures: string[] } {
  const a = JSON.parse(data) as {
    principalDx?: { code?: string } | null;
    secondaryDx?: { code?: string }[];
    procedures?: { code?: string }[];
  };
  const codes = (xs: ({ code?: string } | null | undefined)[]): string[] => xs.flatMap((x) => (x?.code ? [x.code] : []));
  return { diagnoses: codes([a.principalDx, ...(a.secondaryDx ?? [])]), procedures: codes(a.procedures ?? []) };
}

/** Makes one extract: validates the request, selects the cohort, de-identifies, logs and audits. */
export async function createExtract(deps: ResearchDeps, actor: Actor, input: unknown): Promise<ExtractResult> {
  const parsed = ExtractRequestSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw invalid(`${i?.path.join('.') || 'request'}: ${i?.message ?? 'invalid'}`);
  }
  const req = parsed.data;
  const list = await deps.records.openList(actor, { permission: Permission.researchExtract, resourceType: 'research_extract' });
  const rows = await repo.listCandidates(deps.db, list, {
    dischargedFrom: req.cohort.dischargedFrom,
    dischargedBefore: req.cohort.dischargedTo ? nextDay(req.cohort.dischargedTo) : undefined,
    drgs: req.cohort.drgs,
    encounterTypes: req.cohort.encounterTypes,
  });
  const key = randomBytes(32);
  const out = [];
  for (const r of rows) {
    if (!list.showsDetails({ patientId: r.patient_id, restricted: r.restricted })) continue;
    const codes = codesOfAbstract(r.data);
    const candidate: CohortCandidate = {
      encounterId: r.encounter_id,
      patientId: r.patient_id,
      type: r.type,
      admitDate: r.admit_at,
      dischargeDate: r.discharge_at,
      birthDate: r.date_of_birth,
      sex: r.sex,
      postalCode: r.postal_code,
      city: r.city,
      state: r.state,
      drg: r.final_drg,
      diagnosisCodes: codes.diagnoses,
      procedureCodes: codes.procedures,
    };
    if (!matchesCohort(candidate, req.cohort)) continue;
    const shiftDays = req.method === DeidMethod.dateShift ? dateShiftDays(key, r.patient_id) : undefined;
    out.push(extractRow(candidate, req, { studyId: `S${String(out.length + 1).padStart(6, '0')}`, lexicon: deps.lexicon, shiftDays }));
  }
  const columns = Object.keys(EXTRACT_FIELDS).filter((c) => c !== 'note' || req.includeNotes);
  const log: ResearchExtractTable = {
    id: newId(),
    created_by: actor.userId,
    created_at: isoNow(deps.clock),
    cohort: JSON.stringify(req.cohort),
    purpose: req.purpose,
    irb_reference: req.irbReference,
    method: req.method,
    data_use_agreement: req.dataUseAgreement ?? null,
    include_notes: req.includeNotes ? 1 : 0,
    row_count: out.length,
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertExtract(trx, log);
    await recordAudit(trx, deps.audit, actor, {
      action: AuditAction.export,
      resourceType: 'research_extract',
      resourceId: log.id,
      outcome: 'success',
      detail: { method: req.method, irbReference: req.irbReference, rows: out.length },
    });
  });
  return { extractId: log.id, rowCount: out.length, columns, csv: toCsv(columns, out) };
}

/** The extract log, newest first (no patient data in it). */
export async function listExtracts(deps: ResearchDeps, actor: Actor, limit = 100): Promise<ResearchExtractTable[]> {
  await deps.records.openList(actor, { permission: Permission.researchExtract, resourceType: 'research_extract' });
  return repo.listExtracts(deps.db, Math.min(Math.max(limit, 1), 1000));
}
