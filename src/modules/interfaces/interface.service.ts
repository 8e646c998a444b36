import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database, Hl7MessageTable } from '../../db/schema.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { conflict, isDomainError, notFound } from '../../core/errors.js';
import {
  AckCode,
  adtTriggerEvent,
  buildAck,
  buildAckForRaw,
  buildBatchAck,
  formatHl7DateTime,
  Hl7Error,
  Hl7ErrorCode,
  isInformationalAdtEvent,
  parseAdt,
  parseBatch,
  parseMessage,
  readEvn,
  readMsh,
  type AckError,
  type AdtMessage,
  type Hl7Batch,
  type Hl7Message,
  type MessageHeader,
} from '../../core/hl7/index.js';
import { Permission, requirePermission, systemActor, type Actor, type RecordAccess } from '../access/index.js';
import { withholdPatientSegments } from './adt.rules.js';
import {
  AuditAction,
  deferAuditEvents,
  flushAuditEvents,
  markAuditHead,
  recordAudit,
  restoreAuditHead,
  type AuditLog,
} from '../audit/index.js';
import { listFacilityIds, type PatientMatching } from '../patients/index.js';
import type { MatchDeps } from '../mpi/index.js';
import { applyAdt } from './adt.apply.js';
import * as repo from './hl7-messages.repository.js';
import { MessageStatus, type MessageFilter } from './hl7-messages.repository.js';

/**
 * The HL7 v2 inbound interface. Every message is stored raw (hl7_messages), whatever it is, in the commit that
 * also holds its outcome: an ADT message's changes and audit events (see receiveHl7Group); only after that
 * commit is the ACK returned (HL7 v2.5.1 2.9.2 original-mode acknowledgment: AA applied, AE content error
 * with ERR, AR not processable). A control id (MSH-10) already applied from the same sender (MSH-4) is
 * acknowledged AA again and not applied twice. Other message types, and ADT events that change nothing kept here
 * (INFORMATIONAL_ADT_EVENTS: tracking, pending events, bed status, leave of absence, allergies), are stored and
 * acknowledged AA (ignored); any other ADT event outside SUPPORTED_ADT_EVENTS is answered AR 201.
 */
export interface InterfaceDeps extends MatchDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit: AuditLog;
  records: RecordAccess;
  /** The MPI's match keys and duplicate screen of each patient a message registers or changes (src/modules/mpi). */
  matching: PatientMatching;
  /** PostgreSQL: savepoints are set in one round trip; the one-by-one path's raw insert commits asynchronously (see storeReceived). */
  engine?: 'sqlite' | 'postgres';
}

/**
 * Stores the raw message before anything else. On PostgreSQL this commit does not wait for its WAL flush
 * (synchronous_commit off, for this transaction only): the outcome commit that always follows before the ACK is
 * synchronous and flushes the WAL up to and including this row, so every acknowledged message is durable, and a
 * crash before the ACK leaves the message with the sender, who sends it again. It saves one disk flush per message.
 */
async function storeReceived(deps: InterfaceDeps, row: Hl7MessageTable): Promise<void> {
  if (deps.engine !== 'postgres') return repo.insertMessage(deps.db, row);
  await deps.db.transaction().execute(async (trx) => {
    await sql`set local synchronous_commit = off`.execute(trx);
    await repo.insertMessage(trx, row);
  });
}

export interface ReceiveResult {
  messageId: string;
  status: MessageStatus;
  ackCode: string;
  ack: string;
}

interface Parsed {
  message?: Hl7Message;
  header?: MessageHeader;
  error?: Hl7Error;
}

function parse(raw: string): Parsed {
  let message: Hl7Message;
  try {
    message = parseMessage(raw);
  } catch (e) {
    return { error: e instanceof Hl7Error ? e : new Hl7Error(Hl7ErrorCode.applicationInternalError, 'message could not be parsed') };
  }
  try {
    return { message, header: readMsh(message.segment('MSH')!) };
  } catch (e) {
    return {
      message,
      error: e instanceof Hl7Error ? e : new Hl7Error(Hl7ErrorCode.applicationInternalError, 'message header could not be read'),
    };
  }
}

const hd = (h: { namespaceId?: string; universalId?: string } | undefined) => h?.namespaceId ?? h?.universalId ?? '';
const ackControlId = () => `ACK${randomBytes(8).toString('hex').toUpperCase()}`;

function ackFor(deps: InterfaceDeps, raw: string, p: Parsed, code: AckCode, errors: AckError[] = [], text?: string): string {
  const options = { code, controlId: ackControlId(), dateTime: formatHl7DateTime(deps.clock.now()), errors, ...(text ? { text } : {}) };
  return p.message ? buildAck(p.message, options) : buildAckForRaw(raw, options);
}

function headerColumns(
  p: Parsed,
): Pick<Hl7MessageTable, 'control_id' | 'sending_application' | 'sending_facility' | 'message_type' | 'trigger_event' | 'version'> {
  const h = p.header;
  const m = p.message;
  const get = (path: string) => (m ? m.get(path) || null : null);
  return {
    control_id: h?.controlId ?? get('MSH-10'),
    sending_application: h ? hd(h.sendingApplication) : get('MSH-3'),
    sending_facility: h ? hd(h.sendingFacility) : (get('MSH-4') ?? ''),
    message_type: h?.messageCode ?? get('MSH-9'),
    trigger_event: h?.triggerEvent || (get('MSH-9.2') ?? null),
    version: h?.version ?? get('MSH-12'),
  };
}

/** What became of a message: its stored status, its ACK code, the error it carries, the patient it concerned. */
interface Outcome {
  status: MessageStatus;
  code: AckCode;
  err: Hl7Error | null;
  patientId: string | null;
  text?: string;
}

const outcome = (
  status: MessageStatus,
  code: AckCode,
  err: Hl7Error | null = null,
  patientId: string | null = null,
  text?: string,
): Outcome => ({ status, code, err, patientId, ...(text ? { text } : {}) });
const duplicateOutcome = (patientId: string | null) =>
  outcome(MessageStatus.duplicate, AckCode.accept, null, patientId, 'duplicate control id: already applied');
const appliedOutcome = (patientId: string) => outcome(MessageStatus.applied, AckCode.accept, null, patientId);

/** An ADT message ready to apply, or the outcome of a message that is not one (unreadable, not ADT, unsupported). */
type Preflight = { outcome: Outcome } | { adt: AdtMessage; header: MessageHeader; sendingFacility: string };

function preflight(p: Parsed): Preflight {
  if (p.error || !p.message || !p.header)
    return {
      outcome: outcome(
        MessageStatus.rejected,
        AckCode.reject,
        p.error ?? new Hl7Error(Hl7ErrorCode.applicationInternalError, 'message could not be parsed'),
      ),
    };
  if (p.header.messageCode !== 'ADT')
    return {
      outcome: outcome(MessageStatus.ignored, AckCode.accept, null, null, `${p.header.messageCode} messages are stored, not applied`),
    };
  const evn = p.message.segment('EVN');
  const trigger = adtTriggerEvent(p.header, evn ? readEvn(evn) : undefined);
  if (isInformationalAdtEvent(trigger))
    return {
      outcome: outcome(MessageStatus.ignored, AckCode.accept, null, null, `ADT ${trigger} changes nothing kept here: stored, not applied`),
    };
  let adt: AdtMessage;
  try {
    adt = parseAdt(p.message);
  } catch (e) {
    const err = e instanceof Hl7Error ? e : new Hl7Error(Hl7ErrorCode.applicationInternalError, 'ADT message could not be read');
    return {
      outcome:
        err.hl7Code === Hl7ErrorCode.unsupportedVersionId
          ? outcome(MessageStatus.rejected, AckCode.reject, err)
          : outcome(MessageStatus.error, AckCode.error, err),
    };
  }
  if (!adt.supported)
    return {
      outcome: outcome(
        MessageStatus.rejected,
        AckCode.reject,
        new Hl7Error(Hl7ErrorCode.unsupportedEventCode, `trigger event ${adt.trigger} is not supported`, { segment: 'MSH', field: 9 }),
      ),
    };
  return { adt, header: p.header, sendingFacility: hd(p.header.sendingFacility) };
}

const noFacility = () =>
  outcome(
    MessageStatus.rejected,
    AckCode.reject,
    new Hl7Error(Hl7ErrorCode.applicationInternalError, 'no facility is set up to receive registrations'),
  );

/** The outcome of an ADT message whose application threw (its changes are rolled back). */
function failureOutcome(e: unknown): Outcome {
  if (e instanceof Hl7Error) return outcome(MessageStatus.error, AckCode.error, e);
  if (isDomainError(e)) {
    const code =
      e.code === 'not_found'
        ? Hl7ErrorCode.unknownKeyIdentifier
        : e.code === 'conflict'
          ? Hl7ErrorCode.duplicateKeyIdentifier
          : Hl7ErrorCode.applicationInternalError;
    return outcome(MessageStatus.error, AckCode.error, new Hl7Error(code, e.message));
  }
  // Driver messages can quote values (PHI): only the error's name is kept.
  return outcome(
    MessageStatus.error,
    AckCode.reject,
    new Hl7Error(Hl7ErrorCode.applicationInternalError, `the message could not be applied (${e instanceof Error ? e.name : 'error'})`),
  );
}

function resultOf(deps: InterfaceDeps, id: string, raw: string, p: Parsed, o: Outcome): ReceiveResult {
  const errors: AckError[] = o.err ? [{ code: o.err.hl7Code, location: o.err.location, message: o.err.message }] : [];
  return { messageId: id, status: o.status, ackCode: o.code, ack: ackFor(deps, raw, p, o.code, errors, o.text) };
}

const outcomeColumns = (o: Outcome, processedAt: string): repo.MessageOutcome => ({
  status: o.status,
  ackCode: o.code,
  errorCode: o.err?.hl7Code ?? null,
  errorText: o.err?.message ?? o.text ?? null,
  patientId: o.patientId,
  processedAt,
});

/** Most messages committed in one transaction by receiveHl7Group. */
export const GROUP_MAX = 100;

/** Receives one raw message (MLLP, file drop or API): stores it, applies it when it is ADT, answers the ACK. */
export async function receiveHl7(deps: InterfaceDeps, raw: string, opts: { channel?: string } = {}): Promise<ReceiveResult> {
  return (await receiveHl7Group(deps, [raw], opts))[0]!;
}

/**
 * Receives messages that arrived together (a sender that pipelines on one MLLP connection, a batch file) in
 * arrival order, with one commit for all of them (group commit): in one transaction, each ADT message is applied
 * under its own savepoint (a message that fails is rolled back alone and answered AE/AR, the others go on), every
 * message is stored raw with its outcome, and the ACKs are built only after the commit. A group that cannot commit
 * as a whole (a lost connection, a control id applied meanwhile by another connection) is received again one
 * message at a time, each stored raw first in its own commit, so that every message still gets its own outcome.
 */
export async function receiveHl7Group(deps: InterfaceDeps, raws: string[], opts: { channel?: string } = {}): Promise<ReceiveResult[]> {
  const channel = opts.channel ?? 'mllp';
  const results: ReceiveResult[] = [];
  for (let i = 0; i < raws.length; i += GROUP_MAX) {
    const part = raws.slice(i, i + GROUP_MAX);
    try {
      results.push(...(await applyGroup(deps, part, channel)));
    } catch {
      for (const raw of part) results.push(await receiveOneByOne(deps, raw, channel));
    }
  }
  return results;
}

const SAVEPOINT = 'hl7_message';

/** A message of a group run without savepoints failed: the group is rolled back and run again with them. */
class NeedsSavepoints extends Error {}

async function applyGroup(deps: InterfaceDeps, raws: string[], channel: string): Promise<ReceiveResult[]> {
  const receivedAt = isoNow(deps.clock);
  const items = raws.map((raw) => ({ raw, id: newId(), p: parse(raw) }));
  const checks = items.map((it) => preflight(it.p));
  const facilities = checks.some((c) => 'adt' in c) ? await facilityIds(deps) : [];
  const run = (careful: boolean) =>
    deps.db.transaction().execute(async (trx) => {
      const adts = checks.flatMap((c) => ('adt' in c ? [{ sendingFacility: c.sendingFacility, controlId: c.header.controlId }] : []));
      // Control ids applied before (one query for the group), and those applied earlier in this group.
      const applied = await repo.findAppliedMany(trx, adts);
      // The group's audit events are chained in memory and written together before the commit.
      if (adts.length > 0) await deferAuditEvents(trx);
      const out: Outcome[] = [];
      let marked = false;
      for (const check of checks) {
        if (!('adt' in check)) {
          out.push(check.outcome);
          continue;
        }
        const key = repo.appliedKey(check.sendingFacility, check.header.controlId);
        if (applied.has(key)) {
          out.push(duplicateOutcome(applied.get(key) ?? null));
          continue;
        }
        const facility = resolveFacility(facilities, hd(check.header.receivingFacility));
        if (!facility) {
          out.push(noFacility());
          continue;
        }
        if (careful) {
          await setSavepoint(trx, deps.engine, marked);
          marked = true;
        }
        const auditMark = careful ? markAuditHead(trx) : null;
        try {
          const pid = await applyAdt(trx, deps, systemActor(`hl7:${hd(check.header.sendingApplication) || 'unknown'}`), check.adt, {
            facilityId: facility,
            facilityIds: facilities,
            sendingFacility: check.sendingFacility,
            source: 'hl7',
          });
          applied.set(key, pid);
          out.push(appliedOutcome(pid));
        } catch (e) {
          if (!careful) throw new NeedsSavepoints();
          await sql`rollback to savepoint ${sql.raw(SAVEPOINT)}`.execute(trx);
          restoreAuditHead(trx, auditMark!);
          out.push(failureOutcome(e));
        }
      }
      await flushAuditEvents(trx);
      const processedAt = isoNow(deps.clock);
      await repo.insertMessages(
        trx,
        items.map((it, i) => ({
          ...storedColumns(it.id, receivedAt, channel, it.raw, it.p),
          ...repo.outcomeRow(outcomeColumns(out[i]!, processedAt)),
          attempts: 1,
        })),
      );
      return out;
    });
  // Most groups apply every message: they run without savepoints (a round trip per message saved on PostgreSQL).
  // When one fails, the whole group is rolled back and run again with a savepoint per message, so that only the
  // failing message is rolled back and the others are applied.
  let outcomes: Outcome[];
  try {
    outcomes = await run(false);
  } catch (e) {
    if (!(e instanceof NeedsSavepoints)) throw e;
    outcomes = await run(true);
  }
  return items.map((it, i) => resultOf(deps, it.id, it.raw, it.p, outcomes[i]!));
}

/** Marks the point a failing message rolls back to (the previous message's mark is released first). */
async function setSavepoint(trx: Db, engine: InterfaceDeps['engine'], replace: boolean): Promise<void> {
  if (!replace) {
    await sql`savepoint ${sql.raw(SAVEPOINT)}`.execute(trx);
  } else if (engine === 'postgres') {
    // One round trip: without parameters pg sends this as a simple query, which may hold two statements.
    await sql`${sql.raw(`release savepoint ${SAVEPOINT}; savepoint ${SAVEPOINT}`)}`.execute(trx);
  } else {
    await sql`release savepoint ${sql.raw(SAVEPOINT)}`.execute(trx);
    await sql`savepoint ${sql.raw(SAVEPOINT)}`.execute(trx);
  }
}

const storedColumns = (id: string, receivedAt: string, channel: string, raw: string, p: Parsed): Hl7MessageTable => ({
  id,
  received_at: receivedAt,
  channel,
  ...headerColumns(p),
  status: MessageStatus.received,
  ack_code: null,
  error_code: null,
  error_text: null,
  raw,
  patient_id: null,
  attempts: 0,
  processed_at: null,
});

/** The careful path: the raw message is committed first, then applied in a transaction of its own. */
async function receiveOneByOne(deps: InterfaceDeps, raw: string, channel: string): Promise<ReceiveResult> {
  const p = parse(raw);
  const id = newId();
  await storeReceived(deps, storedColumns(id, isoNow(deps.clock), channel, raw, p));
  return process(deps, id, raw, p, null);
}

/**
 * Receives a file of messages: an HL7 batch (FHS/BHS ... BTS/FTS, v2.5.1 section 2.10.3) or messages one after
 * the other. Each message is received on its own (stored, applied, acknowledged) and the others go on when one
 * fails; a file that cannot be split is stored whole and rejected.
 */
export async function receiveHl7Batch(deps: InterfaceDeps, raw: string, opts: { channel?: string } = {}): Promise<ReceiveResult[]> {
  let items: string[];
  try {
    items = parseBatch(raw).items.map((i) => i.raw);
  } catch {
    items = [raw];
  }
  if (items.length === 0) items = [raw];
  return receiveHl7Group(deps, items, { channel: opts.channel ?? 'file' });
}

/**
 * Receives a batch sent as one frame (an MLLP sender may wrap messages in FHS/BHS ... BTS/FTS): each message is
 * received as from a file (stored, applied, with its own outcome), and the answer is the batch of their ACKs
 * (HL7 v2.5.1 2.10.3.3). A frame that holds no message that can be split off is stored whole and rejected (AR).
 */
export async function receiveHl7BatchFrame(
  deps: InterfaceDeps,
  raw: string,
  opts: { channel?: string } = {},
): Promise<{ results: ReceiveResult[]; ack: string }> {
  let batch: Hl7Batch | null = null;
  try {
    batch = parseBatch(raw);
  } catch {
    // an envelope that cannot be read: stored whole below
  }
  if (!batch || batch.items.length === 0) {
    const r = await receiveHl7(deps, raw, opts);
    return { results: [r], ack: r.ack };
  }
  const results = await receiveHl7Group(
    deps,
    batch.items.map((i) => i.raw),
    { channel: opts.channel ?? 'mllp' },
  );
  const ack = buildBatchAck(
    batch,
    results.map((r) => r.ack),
    { controlId: ackControlId(), dateTime: formatHl7DateTime(deps.clock.now()) },
  );
  return { results, ack };
}

/** Runs a stored message through parsing and application, recording its outcome; `actor` is the administrator when reprocessing. */
async function process(deps: InterfaceDeps, id: string, raw: string, p: Parsed, actor: Actor | null): Promise<ReceiveResult> {
  const finish = async (o: Outcome): Promise<ReceiveResult> => {
    await repo.setOutcome(deps.db, id, outcomeColumns(o, isoNow(deps.clock)));
    return resultOf(deps, id, raw, p, o);
  };
  const check = preflight(p);
  if (!('adt' in check)) return finish(check.outcome);
  const { adt, header, sendingFacility } = check;
  const already = await repo.findApplied(deps.db, sendingFacility, header.controlId);
  if (already) return finish(duplicateOutcome(already.patient_id));
  const facilities = await facilityIds(deps);
  const facility = resolveFacility(facilities, hd(header.receivingFacility));
  if (!facility) return finish(noFacility());
  // A reprocessed message is applied as the interface applies it (the feed keeps restricted records too), on behalf
  // of the administrator who asked, who is named in every event it writes.
  const who: Actor = actor ? { ...actor, system: true } : systemActor(`hl7:${hd(header.sendingApplication) || 'unknown'}`);
  try {
    const pid = await deps.db.transaction().execute(async (trx) => {
      const pid = await applyAdt(trx, deps, who, adt, { facilityId: facility, facilityIds: facilities, sendingFacility, source: 'hl7' });
      // The change events audit the patient (actor hl7:<sending application>, source hl7); this row links message and patient.
      await repo.setOutcome(trx, id, outcomeColumns(appliedOutcome(pid), isoNow(deps.clock)));
      return pid;
    });
    return resultOf(deps, id, raw, p, appliedOutcome(pid));
  } catch (e) {
    if (isAppliedOnceViolation(e)) {
      const first = await repo.findApplied(deps.db, sendingFacility, header.controlId);
      return finish(duplicateOutcome(first?.patient_id ?? null));
    }
    return finish(failureOutcome(e));
  }
}

function isAppliedOnceViolation(e: unknown): boolean {
  const m = e instanceof Error ? e.message : '';
  return m.includes('hl7_messages_applied_once') || m.includes('hl7_messages.sending_facility, hl7_messages.control_id');
}

const facilityCache = new WeakMap<object, { ids: string[]; at: number }>();

/** The facilities set up (cached for a few seconds per database handle: the hot path of every message). */
async function facilityIds(deps: InterfaceDeps): Promise<string[]> {
  const hit = facilityCache.get(deps.db);
  const now = Date.now();
  if (hit && now - hit.at < 5000) return hit.ids;
  const ids = await listFacilityIds(deps.db);
  facilityCache.set(deps.db, { ids, at: now });
  return ids;
}

/** The facility whose id is MSH-6 (receiving facility), else the first facility set up. */
function resolveFacility(ids: string[], receiving: string): string | undefined {
  return receiving && ids.includes(receiving) ? receiving : ids[0];
}

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
      action: 'reprocess',
      resourceType: 'hl7_message',
      resourceId: messageId,
      patientId: row.patient_id,
      outcome: 'success',
    }),
  );
  const r = await process(deps, row.id, row.raw, parse(row.raw), actor);
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
  attempts: Number(r.attempts),
  processedAt: r.processed_at,
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
  return { items: rows.map((r) => ({ ...toView(r), ...(r.patient_id && withheld.has(r.patient_id) ? { patientId: null } : {}) })), counts };
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
  return { ...toView(row), ...(withheld ? { patientId: null } : {}), raw: withheld ? withholdPatientSegments(row.raw) : row.raw, withheld };
}
