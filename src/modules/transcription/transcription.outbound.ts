/**
 * Outbound MDM^T02 of signed reports: the message is written to `transcription_outbox` in the signature's
 * transaction (when a destination is configured), and `deliverMdmOutbox` sends what is due to CUSTODIAN_MDM_DESTINATION
 * over MLLP with the shared HL7 outbox loop (`deliverHl7Outbox` in src/core/hl7: in order, ACK judged, back-off,
 * failed after MDM_MAX_ATTEMPTS).
 */
import { newId } from '../../core/shared/ids.js';
import type { Db } from '../../db/database.js';
import { deliverHl7Outbox, sendMllp } from '../../core/hl7/index.js';
import * as repo from './transcription.repository.js';
import { buildMdmT02, encounterClass } from './transcription.mdm.js';
import { workTypeOf } from './transcription.rules.js';
import type { TranscriptionDeps } from './transcription.views.js';

export const MDM_MAX_ATTEMPTS = 10;

/** Logs the MDM^T02 of a signed dictation's report, in the caller's transaction. */
export async function enqueueMdm(
  trx: Db,
  deps: Pick<TranscriptionDeps, 'mdm' | 'clock'>,
  d: { id: string; patientId: string; encounterId: string | null; documentId: string; text: string },
): Promise<void> {
  if (!deps.mdm) return;
  const row = await trx
    .selectFrom('dictations as d')
    .innerJoin('patients as p', 'p.id', 'd.patient_id')
    .leftJoin('users as u', 'u.id', 'd.dictated_by')
    .leftJoin('users as t', 't.id', 'd.transcribed_by')
    .leftJoin('document_types as dt', 'dt.code', 'd.work_type')
    .select(['d.work_type', 'd.dictated_at', 'd.signed_at', 'd.transcribed_at', 'd.dictated_by', 'd.transcribed_by'])
    .select(['p.mrn', 'p.family_name', 'p.given_name', 'p.date_of_birth', 'p.sex'])
    .select([
      'u.display_name as physician_name',
      't.display_name as transcriptionist_name',
      'dt.loinc_code as loinc',
      'dt.name as type_name',
    ])
    .where('d.id', '=', d.id)
    .executeTakeFirstOrThrow();
  const enc = d.encounterId
    ? await trx.selectFrom('encounters').select(['account_number', 'type']).where('id', '=', d.encounterId).executeTakeFirst()
    : undefined;
  const now = deps.clock.now();
  const controlId = newId().replace(/-/g, '').slice(0, 20);
  const message = buildMdmT02(
    {
      documentId: d.documentId,
      workType: row.work_type,
      workTypeName: row.type_name ?? workTypeOf(row.work_type)?.name ?? row.work_type,
      loinc: row.loinc,
      dictatedAt: row.dictated_at,
      signedAt: row.signed_at ?? now.toISOString(),
      transcribedAt: row.transcribed_at,
      physician: { id: row.dictated_by, name: row.physician_name ?? '' },
      transcriptionist: row.transcribed_by ? { id: row.transcribed_by, name: row.transcriptionist_name ?? '' } : null,
      patient: { mrn: row.mrn, familyName: row.family_name, givenName: row.given_name, dateOfBirth: row.date_of_birth, sex: row.sex },
      encounter: enc ? { accountNumber: enc.account_number, patientClass: encounterClass(enc.type) } : null,
      text: d.text,
    },
    { controlId, sendingApplication: deps.mdm.sendingApplication, sendingFacility: deps.mdm.sendingFacility, at: now },
  );
  await repo.insertOutbox(trx, {
    id: newId(),
    dictation_id: d.id,
    control_id: controlId,
    message,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now.toISOString(),
    last_error: null,
    ack_code: null,
    created_at: now.toISOString(),
    sent_at: null,
  });
}

export interface MdmDeliveryResult {
  id: string;
  outcome: 'sent' | 'retry' | 'failed';
  ack: string | null;
  error: string | null;
}

/** Sends every due message, oldest first; each reports its own outcome (a failure holds back those after it). */
export async function deliverMdmOutbox(deps: Pick<TranscriptionDeps, 'db' | 'clock' | 'mdm'>, limit = 100): Promise<MdmDeliveryResult[]> {
  const dest = deps.mdm;
  if (!dest) return [];
  const outcomes = await deliverHl7Outbox({
    pending: () => repo.pendingOutbox(deps.db, limit),
    update: (id, patch) => repo.updateOutbox(deps.db, id, patch),
    send: (message) => sendMllp(dest, message),
    now: () => deps.clock.now(),
    maxAttempts: MDM_MAX_ATTEMPTS,
  });
  return outcomes.map((o) => ({ id: o.row.id, outcome: o.outcome, ack: o.ack, error: o.error }));
}
