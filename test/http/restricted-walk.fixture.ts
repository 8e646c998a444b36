/**
 * The restricted record the restricted-record walk (restricted-record-walk.test.ts) calls every route on: a VIP
 * patient with stays in every state the routes need, a query, an audit, duplicate pairs and an HL7 message, each
 * carrying values that must never show to a user who has not broken the glass (SECRET).
 */
import type { AppDeps } from '../../src/app/deps.js';
import { newId } from '../../src/core/shared/ids.js';
import { Role, systemActor, type Actor } from '../../src/modules/access/index.js';
import { createEncounter, createPatient, type NewPatient } from '../../src/modules/patients/index.js';
import { mergePatients } from '../../src/modules/mpi/index.js';
import { OTHER_OPTION, sendQuery, UNDETERMINED_OPTION } from '../../src/modules/queries/index.js';
import { emptyAbstract } from '../../src/modules/coding/index.js';
import type { TestDatabase } from '../support/databases.js';
import { buildRestrictedCharts, CHART_REQUEST_REASON, type ChartWalkIds } from './restricted-walk.charts-fixture.js';
import { buildRestrictedDocuments, DOCUMENT_SECRET, type DocumentWalkIds } from './restricted-walk.documents-fixture.js';
import { AMENDMENT_SECRET, buildRestrictedLife, OLD_SERVICE_DAY, type LifeWalkIds } from './restricted-walk.life-fixture.js';
import { buildRestrictedCompletion, type CompletionWalkIds } from './restricted-walk.completion-fixture.js';
import { ROI_SECRET } from './restricted-walk.roi-fixture.js';

/** Values of the restricted record that only a user who broke the glass may see. */
export const SECRET = {
  dateOfBirth: '1961-02-03',
  payer: 'Zeta Confidential Health Plan',
  admitDay: '2026-02-11',
  dischargeDay: '2026-02-14',
  indicator: 'HIV-1 viral load 48,000 copies/mL',
  chartRequestReason: CHART_REQUEST_REASON,
  documentText: DOCUMENT_SECRET,
  amendmentChange: AMENDMENT_SECRET,
  oldServiceDay: OLD_SERVICE_DAY,
  roiRequester: ROI_SECRET,
} as const;

export const FAMILY = 'Zebulon';

export interface WalkIds extends ChartWalkIds, DocumentWalkIds, LifeWalkIds, CompletionWalkIds {
  patientId: string;
  mrn: string;
  /** Discharged inpatient stay, abstract in draft, a query open on it. */
  e1: string;
  /** Active visit (changed and cancelled by the walk). */
  e2: string;
  /** Final-coded stay, audited. */
  e3: string;
  /** Final-coded stay, reopened by the walk. */
  e4: string;
  queryId: string;
  auditId: string;
  /** The HIM director's own audit of the same encounter. */
  directorAuditId: string;
  pairId: string;
  messageId: string;
  providerId: string;
  /** Another record (not restricted) of a similar person, for the duplicate pairs. */
  otherId: string;
}

const clerk: Actor = { ...systemActor('walk-fixture'), role: Role.himClerk };
const coder: Actor = { ...systemActor('walk-fixture'), role: Role.coder };

export const multipleChoiceQuery = {
  type: 'multiple_choice' as const,
  question: 'Based on the clinical indicators below, can the immune status be further specified?',
  options: ['HIV disease', 'Asymptomatic HIV infection status', OTHER_OPTION, UNDETERMINED_OPTION],
  indicators: [{ kind: 'lab' as const, text: SECRET.indicator, source: 'Lab 2/12' }],
};

function person(over: Partial<NewPatient> = {}): NewPatient {
  return {
    facilityId: 'fac-walk',
    familyName: FAMILY,
    givenName: 'Quill',
    dateOfBirth: SECRET.dateOfBirth,
    sex: 'M',
    ssn: '123-45-6789',
    ...over,
  };
}

/** A new unrestricted patient like the restricted one (a merge candidate). */
export async function makeLookalike(deps: AppDeps): Promise<string> {
  return (await createPatient(deps, clerk, person({ givenName: 'Quil', ssn: undefined, dateOfBirth: '1961-02-04' }))).id;
}

/** A merge of a lookalike into the restricted record, made by the system (for the unmerge route). */
export async function makeMerge(deps: AppDeps, patientId: string): Promise<string> {
  return (await mergePatients(deps, clerk, { survivorId: patientId, mergedId: await makeLookalike(deps) })).mergeId;
}

/** The duplicate pair of the restricted record and a lookalike (registration may have made it already). */
export async function makePair(t: TestDatabase, patientId: string, otherId: string): Promise<string> {
  const found = await t.db
    .selectFrom('mpi_duplicate_pairs')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('patient_id_1', '=', patientId), eb('patient_id_2', '=', otherId)]),
        eb.and([eb('patient_id_1', '=', otherId), eb('patient_id_2', '=', patientId)]),
      ]),
    )
    .executeTakeFirst();
  if (found) return found.id;
  const id = newId();
  await t.db
    .insertInto('mpi_duplicate_pairs')
    .values({
      id,
      patient_id_1: patientId,
      patient_id_2: otherId,
      score: 0.93,
      weight: 14.2,
      status: 'open',
      source: 'registration',
      detected_at: '2026-02-20T10:00:00.000Z',
      resolved_at: null,
      resolved_by: null,
      resolution_note: null,
      merge_id: null,
    })
    .execute();
  return id;
}

async function finalAbstract(t: TestDatabase, patientId: string, encounterId: string): Promise<void> {
  const data = JSON.stringify(emptyAbstract('01'));
  const at = '2026-02-20T10:00:00.000Z';
  await t.db
    .insertInto('coding_abstracts')
    .values({
      encounter_id: encounterId,
      patient_id: patientId,
      status: 'final',
      version: 1,
      data,
      assigned_to: null,
      assigned_at: null,
      working_drg: '871',
      working_drg_title: 'Septicemia',
      final_drg: '871',
      coded_by: 'walk',
      coded_at: at,
      query_answered: 0,
      updated_by: 'walk',
      created_at: at,
      updated_at: at,
    })
    .execute();
  await t.db
    .insertInto('coding_abstract_versions')
    .values({
      encounter_id: encounterId,
      version: 1,
      patient_id: patientId,
      kind: 'final',
      data,
      drg: '871',
      reason: null,
      saved_by: 'walk',
      saved_at: at,
    })
    .execute();
}

/** Builds the restricted record; `auditorId` gets an audit in progress, `physicianUserId` is linked to the attending. */
export async function buildRestrictedRecord(
  t: TestDatabase,
  deps: AppDeps,
  users: { auditorId: string; directorId: string; physicianUserId: string },
): Promise<WalkIds> {
  await t.db
    .insertInto('facilities')
    .values({ id: 'fac-walk', name: 'Walk Hospital', mrn_prefix: '', next_mrn: 4000001, created_at: '2026-01-01T00:00:00.000Z' })
    .execute();
  const providerId = newId();
  await t.db
    .insertInto('providers')
    .values({
      id: providerId,
      npi: null,
      family_name: 'Morgan',
      given_name: 'Alice',
      credentials: 'MD',
      specialty: null,
      created_at: '2026-01-01T00:00:00.000Z',
    })
    .execute();
  await t.db.updateTable('users').set({ provider_id: providerId }).where('id', '=', users.physicianUserId).execute();

  const { id: patientId, mrn } = await createPatient(
    deps,
    clerk,
    person({ restricted: true, restrictionReason: 'VIP', insurance: [{ payerName: SECRET.payer, memberId: 'ZC-1' }] }),
  );
  const stay = (n: number, over: object = {}) =>
    createEncounter(deps, clerk, patientId, {
      accountNumber: `R-${n}`,
      type: 'inpatient',
      admitAt: `${SECRET.admitDay}T09:00:00Z`,
      dischargeAt: `${SECRET.dischargeDay}T15:00:00Z`,
      dischargeStatus: '01',
      attendingProviderId: providerId,
      payerName: SECRET.payer,
      ...over,
    });
  const e1 = (await stay(1)).id;
  const e2 = (await stay(2, { type: 'outpatient', dischargeAt: undefined, dischargeStatus: undefined })).id;
  const e3 = (await stay(3)).id;
  const e4 = (await stay(4)).id;
  await finalAbstract(t, patientId, e3);
  await finalAbstract(t, patientId, e4);
  const queryId = (await sendQuery(deps, coder, e1, { ...multipleChoiceQuery, providerId })).id;
  const auditId = newId();
  await t.db
    .insertInto('coding_audits')
    .values({
      id: auditId,
      patient_id: patientId,
      encounter_id: e3,
      auditor_id: users.auditorId,
      status: 'in_progress',
      data: JSON.stringify(emptyAbstract('01')),
      drg: null,
      coder_version: 1,
      agreement: null,
      created_at: '2026-02-21T10:00:00.000Z',
      submitted_at: null,
    })
    .execute();
  const directorAuditId = newId();
  await t.db
    .insertInto('coding_audits')
    .values({
      id: directorAuditId,
      patient_id: patientId,
      encounter_id: e3,
      auditor_id: users.directorId,
      status: 'in_progress',
      data: JSON.stringify(emptyAbstract('01')),
      drg: null,
      coder_version: 1,
      agreement: null,
      created_at: '2026-02-21T11:00:00.000Z',
      submitted_at: null,
    })
    .execute();
  const otherId = await makeLookalike(deps);
  const pairId = await makePair(t, patientId, otherId);
  const messageId = newId();
  await t.db
    .insertInto('hl7_messages')
    .values({
      id: messageId,
      received_at: '2026-02-12T07:30:00.000Z',
      channel: 'mllp',
      control_id: 'WALK-1',
      sending_application: 'ADT',
      sending_facility: 'WALK',
      message_type: 'ADT',
      trigger_event: 'A01',
      version: '2.5.1',
      status: 'applied',
      ack_code: 'AA',
      error_code: null,
      error_text: null,
      patient_id: patientId,
      attempts: 1,
      processed_at: '2026-02-12T07:30:00.000Z',
      raw: `MSH|^~\\&|ADT|WALK|CUSTODIAN|WALK|20260211090000||ADT^A01|WALK-1|P|2.5.1\rEVN|A01|20260211090000\rPID|1||${mrn}^^^fac-walk^MR||${FAMILY.toUpperCase()}^QUILL||19610203|M\rPV1|1|I|||||||||||||||||R-1\rIN1|1|ZC|ZC|${SECRET.payer}`,
    })
    .execute();
  const charts = await buildRestrictedCharts(deps, { patientId, encounterId: e1, physicianUserId: users.physicianUserId });
  const documents = await buildRestrictedDocuments(deps, { patientId });
  const life = await buildRestrictedLife(deps, { patientId });
  const completion = await buildRestrictedCompletion(deps, { providerId });
  return {
    patientId,
    mrn,
    e1,
    e2,
    e3,
    e4,
    queryId,
    auditId,
    directorAuditId,
    pairId,
    messageId,
    providerId,
    otherId,
    ...charts,
    ...documents,
    ...life,
    ...completion,
  };
}
