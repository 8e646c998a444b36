import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database, Hl7MessageTable } from '../../db/schema.js';
import { isoNow, type Clock } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { AckCode, buildBatchAck, formatHl7DateTime, Hl7Error, Hl7ErrorCode, parseBatch, type Hl7Batch } from '../../core/hl7/index.js';
import { systemActor, type Actor, type RecordAccess } from '../access/index.js';
import { markAuditHead, restoreAuditHead, withDeferredAudit, type AuditLog } from '../audit/index.js';
import type { PatientMatching } from '../patients/index.js';
import type { MatchDeps } from '../mpi/index.js';
import { applyAdt } from './adt.apply.js';
import { applyMdm } from './mdm.apply.js';
import { applySiu } from './siu.apply.js';
import { applyDft } from './billing.apply.js';
import type { MdmDocuments } from './mdm.port.js';
import { NO_MDM_SETTINGS, type MdmSettings } from './mdm.rules.js';
import type { FacilityDirectory } from './facility-directory.js';
import * as repo from './hl7-messages.repository.js';
import { MessageStatus } from './hl7-messages.repository.js';
import {
  ackFor,
  appliedOutcome,
  duplicateOutcome,
  failureOutcome,
  hd,
  headerColumns,
  isApplicable,
  isAppliedOnceViolation,
  noFacility,
  outcome,
  outcomeColumns,
  parse,
  preflight,
  type Applicable,
  type Outcome,
  type Parsed,
} from './hl7-outcome.rules.js';

/**
 * The HL7 v2 inbound interface. Every message is stored raw (hl7_messages), whatever it is, in the commit that
 * also holds its outcome: an ADT, MDM or SIU message's changes and audit events (see receiveHl7Group); only after that
 * commit is the ACK returned (HL7 v2.5.1 2.9.2 original-mode acknowledgment: AA applied, AE content error
 * with ERR, AR not processable). A control id (MSH-10) already applied from the same sender (MSH-4) is
 * acknowledged AA again and not applied twice. Message types other than ADT, MDM and SIU, and ADT events that change nothing kept here
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
  /** The facilities set up (cached; made at start-up, see createFacilityDirectory). */
  facilities: FacilityDirectory;
  /** The documents module, for MDM messages (adapted in src/app/modules.ts); without it MDM messages are answered AR and kept. */
  documents?: MdmDocuments;
  /** The MDM feed's settings (document type and confidentiality mappings). */
  mdm?: MdmSettings;
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

const ackControlId = () => `ACK${randomBytes(8).toString('hex').toUpperCase()}`;

function resultOf(deps: InterfaceDeps, id: string, raw: string, p: Parsed, o: Outcome): ReceiveResult {
  return { messageId: id, status: o.status, ackCode: o.code, ack: ackFor(raw, p, o, ackControlId(), deps.clock.now()) };
}

/** Most messages committed in one transaction by receiveHl7Group. */
export const GROUP_MAX = 100;

/** Receives one raw message (MLLP, file drop or API): stores it, applies it when it is ADT, MDM or SIU, answers the ACK. */
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

/** Where a message is applied: the facility it registers in, all facilities, the sender. */
interface ApplyContext {
  facilityId: string;
  facilityIds: string[];
  sendingFacility: string;
}

/** The actor of a message's changes: the interface itself (hl7:<sending application>). */
const interfaceActor = (c: Applicable): Actor => systemActor(`hl7:${hd(c.header.sendingApplication) || 'unknown'}`);

/** Applies one message in the caller's transaction; answers what became of it. */
async function applyOne(trx: Db, deps: InterfaceDeps, actor: Actor, c: Applicable, ctx: ApplyContext): Promise<Outcome> {
  if (c.kind === 'adt') {
    const r = await applyAdt(trx, deps, actor, c.adt, { ...ctx, source: 'hl7' });
    return appliedOutcome(r.patientId, r.note);
  }
  if (c.kind === 'dft') {
    const r = await applyDft(trx, deps, actor, c.message, ctx);
    // The ACK's text and the log name the encounter by id and count the charges (no PHI).
    return appliedOutcome(r.patientId, r.text);
  }
  if (c.kind === 'siu') {
    const r = await applySiu(trx, deps, actor, c.message, c.siu, ctx);
    // The ACK's text and the log name the appointment by id (no PHI).
    return appliedOutcome(r.patientId, `appointment ${r.appointmentId} ${r.action}`);
  }
  if (!deps.documents)
    return outcome(
      MessageStatus.rejected,
      AckCode.reject,
      new Hl7Error(Hl7ErrorCode.applicationInternalError, 'documents are not received here'),
    );
  const r = await applyMdm(trx, { records: deps.records, documents: deps.documents, mdm: deps.mdm ?? NO_MDM_SETTINGS }, actor, c.mdm, {
    facilityIds: ctx.facilityIds,
    sendingFacility: ctx.sendingFacility,
    sendingApplication: hd(c.header.sendingApplication),
  });
  // The ACK's text and the log name the document by id (no PHI).
  return appliedOutcome(r.patientId, `document ${r.documentId} version ${r.version}`);
}

/** The group's messages in one transaction; `careful`: a savepoint per message (see applyGroup). */
async function runGroup(
  deps: InterfaceDeps,
  checks: ReturnType<typeof preflight>[],
  facilities: string[],
  careful: boolean,
  write: (trx: Db, out: Outcome[]) => Promise<void>,
): Promise<Outcome[]> {
  return deps.db.transaction().execute(async (trx) => {
    const toApply = checks.filter(isApplicable);
    // Control ids applied before (one query for the group), and those applied earlier in this group.
    const applied = await repo.findAppliedMany(
      trx,
      toApply.map((c) => ({ sendingFacility: c.sendingFacility, controlId: c.header.controlId })),
    );
    const body = async (): Promise<Outcome[]> => {
      const out: Outcome[] = [];
      let marked = false;
      for (const check of checks) {
        if (!isApplicable(check)) {
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
        if (careful) await setSavepoint(trx, deps.engine, marked);
        marked ||= careful;
        const auditMark = careful ? markAuditHead(trx) : null;
        try {
          const o = await applyOne(trx, deps, interfaceActor(check), check, {
            facilityId: facility,
            facilityIds: facilities,
            sendingFacility: check.sendingFacility,
          });
          applied.set(key, o.patientId);
          out.push(o);
        } catch (e) {
          if (!careful) throw new NeedsSavepoints();
          await sql`rollback to savepoint ${sql.raw(SAVEPOINT)}`.execute(trx);
          restoreAuditHead(trx, auditMark!);
          out.push(failureOutcome(e));
        }
      }
      return out;
    };
    // The group's audit events are chained in memory and written together before the commit (always, also on a throw).
    const out = toApply.length > 0 ? await withDeferredAudit(trx, body) : await body();
    await write(trx, out);
    return out;
  });
}

async function applyGroup(deps: InterfaceDeps, raws: string[], channel: string): Promise<ReceiveResult[]> {
  const receivedAt = isoNow(deps.clock);
  const items = raws.map((raw) => ({ raw, id: newId(), p: parse(raw) }));
  const checks = items.map((it) => preflight(it.p));
  const facilities = checks.some(isApplicable) ? await deps.facilities.ids() : [];
  const write = async (trx: Db, out: Outcome[]) => {
    const processedAt = isoNow(deps.clock);
    await repo.insertMessages(
      trx,
      items.map((it, i) => ({
        ...storedColumns(it.id, receivedAt, channel, it.raw, it.p),
        ...repo.outcomeRow(outcomeColumns(out[i]!, processedAt)),
        attempts: 1,
      })),
    );
  };
  // Most groups apply every message: they run without savepoints (a round trip per message saved on PostgreSQL).
  // When one fails, the whole group is rolled back and run again with a savepoint per message, so that only the
  // failing message is rolled back and the others are applied.
  let outcomes: Outcome[];
  try {
    outcomes = await runGroup(deps, checks, facilities, false, write);
  } catch (e) {
    if (!(e instanceof NeedsSavepoints)) throw e;
    outcomes = await runGroup(deps, checks, facilities, true, write);
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
  return processStored(deps, id, raw, p, null);
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

/**
 * Runs a stored message through parsing and application, recording its outcome: the one-by-one path and
 * reprocessing (`actor`: the administrator who asked).
 */
export async function processStored(deps: InterfaceDeps, id: string, raw: string, p: Parsed, actor: Actor | null): Promise<ReceiveResult> {
  const finish = async (o: Outcome): Promise<ReceiveResult> => {
    await repo.setOutcome(deps.db, id, outcomeColumns(o, isoNow(deps.clock)));
    return resultOf(deps, id, raw, p, o);
  };
  const check = preflight(p);
  if (!isApplicable(check)) return finish(check.outcome);
  const { header, sendingFacility } = check;
  const already = await repo.findApplied(deps.db, sendingFacility, header.controlId);
  if (already) return finish(duplicateOutcome(already.patient_id));
  const facilities = await deps.facilities.ids();
  const facility = resolveFacility(facilities, hd(header.receivingFacility));
  if (!facility) return finish(noFacility());
  // A reprocessed message is applied as the interface applies it (the feed keeps restricted records too), on behalf
  // of the administrator who asked, who is named in every event it writes.
  const who: Actor = actor ? { ...actor, system: true } : interfaceActor(check);
  try {
    const o = await deps.db.transaction().execute(async (trx) => {
      const o = await applyOne(trx, deps, who, check, { facilityId: facility, facilityIds: facilities, sendingFacility });
      // The change events audit the patient (actor hl7:<sending application>, source hl7); this row links message and patient.
      await repo.setOutcome(trx, id, outcomeColumns(o, isoNow(deps.clock)));
      return o;
    });
    return resultOf(deps, id, raw, p, o);
  } catch (e) {
    if (isAppliedOnceViolation(e)) {
      const first = await repo.findApplied(deps.db, sendingFacility, header.controlId);
      return finish(duplicateOutcome(first?.patient_id ?? null));
    }
    return finish(failureOutcome(e));
  }
}

/** The facility whose id is MSH-6 (receiving facility), else the first facility set up. */
function resolveFacility(ids: string[], receiving: string): string | undefined {
  return receiving && ids.includes(receiving) ? receiving : ids[0];
}
