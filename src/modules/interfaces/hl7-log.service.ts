import type { Hl7MessageTable } from '../../db/schema.js';
import { conflict, notFound } from '../../core/errors.js';
import { Permission, requirePermission, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { withholdPatientSegments } from './adt.rules.js';
import * as repo from './hl7-messages.repository.js';
import { MessageStatus, type MessageFilter } from './hl7-messages.repository.js';
import { parse } from './hl7-outcome.rules.js';
import { processStored, type InterfaceDeps, type ReceiveResult } from './interface.service.js';

/** The message log: list, show one (audited), reprocess. Permission interface:admin. */

/** Processes a stored message again (after a fix of the data or of the sender's mapping). */
export async function reprocessMessage(
  deps: InterfaceDeps,
  actor: Actor,
  messageId: string,
): Promise<Omit<ReceiveResult, 'ack'> & { errorText: string | null }> {
  await requirePermission(deps, actor, Permission.interfaceAdmin, { type: 'hl7_message', id: messageId });
  const row = await repo.findMessage(deps.db, messageId);
  if (!row) throw notFound('message');
  if (row.status === MessageStatus.applied || row.status === MessageStatus.duplicate)
    throw conflict(`the message is already ${row.status}`);
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.reprocess,
      resourceType: 'hl7_message',
      resourceId: messageId,
      patientId: row.patient_id,
      outcome: 'success',
    }),
  );
  const r = await processStored(deps, row.id, row.raw, parse(row.raw), actor);
  const after = await repo.findMessage(deps.db, messageId);
  return { messageId: r.messageId, status: r.status, ackCode: r.ackCode, errorText: after?.error_text ?? null };
}

export interface MessageView {
  id: string;
  receivedAt: string;
  channel: string;
  controlId: string | null;
  sendingApplication: string | null;
  sendingFacility: string | null;
  messageType: string | null;
  triggerEvent: string | null;
  version: string | null;
  status: string;
  ackCode: string | null;
  errorCode: string | null;
  errorText: string | null;
  patientId: string | null;
  attempts: number;
  processedAt: string | null;
}

const toView = (r: Omit<Hl7MessageTable, 'raw'>): MessageView => ({
  id: r.id,
  receivedAt: r.received_at,
  channel: r.channel,
  controlId: r.control_id,
  sendingApplication: r.sending_application,
  sendingFacility: r.sending_facility,
  messageType: r.message_type,
  triggerEvent: r.trigger_event,
  version: r.version,
  status: r.status,
  ackCode: r.ack_code,
  errorCode: r.error_code,
  errorText: r.error_text,
  patientId: r.patient_id,
  attempts: r.attempts,
  processedAt: r.processed_at,
});

/**
 * A restricted record's message without the record: no patient, and no result text (an applied MDM message names
 * the document it filed there). Error texts name segments and fields only, and stay.
 */
const withheldView = (r: Omit<Hl7MessageTable, 'raw'>): MessageView => ({
  ...toView(r),
  patientId: null,
  ...(r.status === MessageStatus.applied ? { errorText: null } : {}),
});

/** The message log (no raw text: that is PHI and read one message at a time), newest first, with counts by status. */
export async function listHl7Messages(
  deps: InterfaceDeps,
  actor: Actor,
  f: MessageFilter & { limit?: number },
): Promise<{ items: MessageView[]; counts: Record<string, number> }> {
  const list = await deps.records.openList(actor, { permission: Permission.interfaceAdmin, resourceType: 'hl7_message' });
  const [rows, counts] = await Promise.all([repo.listMessages(deps.db, f, Math.min(f.limit ?? 100, 500)), repo.countByStatus(deps.db)]);
  // A restricted record's messages stay in the log (the interface's work), without the record they were about.
  const withheld = await list.withheldAmong(rows.flatMap((r) => (r.patient_id ? [r.patient_id] : [])));
  return { items: rows.map((r) => (r.patient_id && withheld.has(r.patient_id) ? withheldView(r) : toView(r))), counts };
}

/**
 * One message with its raw text; the read is audited (the raw text is PHI). The message of a restricted record
 * shows its structure only (MSH, EVN, MSA, ERR in full; every other segment by name): enough to troubleshoot the
 * interface, nothing of the patient (the interface administrator cannot break the glass: no patient access).
 */
export async function getHl7Message(
  deps: InterfaceDeps,
  actor: Actor,
  messageId: string,
): Promise<MessageView & { raw: string; withheld: boolean }> {
  const list = await deps.records.openList(actor, { permission: Permission.interfaceAdmin, resourceType: 'hl7_message' });
  const row = await repo.findMessage(deps.db, messageId);
  if (!row) throw notFound('message');
  const withheld = row.patient_id !== null && !(await list.showsRecord(row.patient_id));
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.read,
      resourceType: 'hl7_message',
      resourceId: row.id,
      patientId: row.patient_id,
      outcome: 'success',
      ...(withheld ? { detail: { withheld } } : {}),
    }),
  );
  return { ...(withheld ? withheldView(row) : toView(row)), raw: withheld ? withholdPatientSegments(row.raw) : row.raw, withheld };
}
