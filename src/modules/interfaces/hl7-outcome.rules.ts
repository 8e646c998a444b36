import type { Hl7MessageTable } from '../../db/schema.js';
import { isDomainError } from '../../core/errors.js';
import {
  AckCode,
  adtTriggerEvent,
  buildAck,
  buildAckForRaw,
  formatHl7DateTime,
  Hl7Error,
  Hl7ErrorCode,
  isInformationalAdtEvent,
  isSupportedVersion,
  parseAdt,
  parseMdm,
  parseMessage,
  readEvn,
  readMsh,
  type AckError,
  type AdtMessage,
  type Hl7Message,
  type MdmMessage,
  type MessageHeader,
} from '../../core/hl7/index.js';
import { readInboundSiu, type InboundSiu } from '../scheduling/index.js';
import { MessageStatus, type MessageOutcome } from './hl7-messages.repository.js';

/**
 * Pure steps of receiving a message: parse it, decide what it is (an event to apply, or an outcome at once), turn
 * what happened into the stored outcome and the ACK (HL7 v2.5.1 2.9.2 original-mode acknowledgment).
 */

/** A raw message as parsed: the message and its header, or the error that stopped the parse. */
export interface Parsed {
  message?: Hl7Message;
  header?: MessageHeader;
  error?: Hl7Error;
}

export function parse(raw: string): Parsed {
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

/** An HD as one string: namespace id, else universal id. */
export const hd = (h: { namespaceId?: string; universalId?: string } | undefined) => h?.namespaceId ?? h?.universalId ?? '';

/** The ACK of a message (built from its parsed MSH when it has one, else from what the raw text shows). */
export function ackFor(raw: string, p: Parsed, o: Outcome, controlId: string, now: Date): string {
  const errors: AckError[] = o.err ? [{ code: o.err.hl7Code, location: o.err.location, message: o.err.message }] : [];
  const options = { code: o.code, controlId, dateTime: formatHl7DateTime(now), errors, ...(o.text ? { text: o.text } : {}) };
  return p.message ? buildAck(p.message, options) : buildAckForRaw(raw, options);
}

export function headerColumns(
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
export interface Outcome {
  status: MessageStatus;
  code: AckCode;
  err: Hl7Error | null;
  patientId: string | null;
  text?: string;
}

export const outcome = (
  status: MessageStatus,
  code: AckCode,
  err: Hl7Error | null = null,
  patientId: string | null = null,
  text?: string,
): Outcome => ({ status, code, err, patientId, ...(text ? { text } : {}) });
export const duplicateOutcome = (patientId: string | null) =>
  outcome(MessageStatus.duplicate, AckCode.accept, null, patientId, 'duplicate control id: already applied');
export const appliedOutcome = (patientId: string, text?: string) => outcome(MessageStatus.applied, AckCode.accept, null, patientId, text);
export const noFacility = () =>
  outcome(
    MessageStatus.rejected,
    AckCode.reject,
    new Hl7Error(Hl7ErrorCode.applicationInternalError, 'no facility is set up to receive registrations'),
  );

/** A message ready to apply: an ADT event (patients, encounters), an MDM event (documents) or an SIU event (scheduling). */
export type Applicable =
  | { kind: 'adt'; adt: AdtMessage; header: MessageHeader; sendingFacility: string }
  | { kind: 'mdm'; mdm: MdmMessage; header: MessageHeader; sendingFacility: string }
  | { kind: 'siu'; siu: InboundSiu; message: Hl7Message; header: MessageHeader; sendingFacility: string }
  | { kind: 'dft'; message: Hl7Message; header: MessageHeader; sendingFacility: string };

/** A message to apply, or the outcome of a message that is not one (unreadable, not applied here, unsupported). */
export type Preflight = { outcome: Outcome } | Applicable;

export const isApplicable = (c: Preflight): c is Applicable => 'kind' in c;

const rejected = (err: Hl7Error) => ({ outcome: outcome(MessageStatus.rejected, AckCode.reject, err) });
const ignored = (text: string) => ({ outcome: outcome(MessageStatus.ignored, AckCode.accept, null, null, text) });

/** A read error of the message's content: AE, except an unsupported version, which is AR. */
function readFailure(e: unknown, what: string): { outcome: Outcome } {
  const err = e instanceof Hl7Error ? e : new Hl7Error(Hl7ErrorCode.applicationInternalError, `${what} message could not be read`);
  return err.hl7Code === Hl7ErrorCode.unsupportedVersionId ? rejected(err) : { outcome: outcome(MessageStatus.error, AckCode.error, err) };
}

function preflightAdt(message: Hl7Message, header: MessageHeader): Preflight {
  const evn = message.segment('EVN');
  const trigger = adtTriggerEvent(header, evn ? readEvn(evn) : undefined);
  if (isInformationalAdtEvent(trigger)) return ignored(`ADT ${trigger} changes nothing kept here: stored, not applied`);
  let adt: AdtMessage;
  try {
    adt = parseAdt(message);
  } catch (e) {
    return readFailure(e, 'ADT');
  }
  if (!adt.supported)
    return rejected(
      new Hl7Error(Hl7ErrorCode.unsupportedEventCode, `trigger event ${adt.trigger} is not supported`, { segment: 'MSH', field: 9 }),
    );
  return { kind: 'adt', adt, header, sendingFacility: hd(header.sendingFacility) };
}

function preflightMdm(message: Hl7Message, header: MessageHeader): Preflight {
  let mdm: MdmMessage;
  try {
    mdm = parseMdm(message);
  } catch (e) {
    return readFailure(e, 'MDM');
  }
  // T01, T03, T05, T07, T09 notify of a document without its content, T11 cancels one: nothing here is changed by them.
  if (!mdm.supported)
    return rejected(
      new Hl7Error(Hl7ErrorCode.unsupportedEventCode, `trigger event ${mdm.trigger} is not supported`, { segment: 'MSH', field: 9 }),
    );
  return { kind: 'mdm', mdm, header, sendingFacility: hd(header.sendingFacility) };
}

/** SIU^S12-S15, S17, S26 (HL7 v2.5 ch. 10): read by the scheduling module; another event is AR 201, a missing field AE 101. */
function preflightSiu(message: Hl7Message, header: MessageHeader): Preflight {
  const r = readInboundSiu(message);
  if (r.ok) return { kind: 'siu', siu: r.siu, message, header, sendingFacility: hd(header.sendingFacility) };
  // The problem starts with the field it is about ("SCH-1: ..."): the ERR location.
  const m = /^([A-Z][A-Z0-9]{2})-(\d+): (.*)$/.exec(r.problem);
  const location = m ? { segment: m[1]!, field: Number(m[2]) } : {};
  const text = m ? m[3]! : r.problem;
  if (m?.[1] === 'MSH') return rejected(new Hl7Error(Hl7ErrorCode.unsupportedEventCode, text, location));
  return { outcome: outcome(MessageStatus.error, AckCode.error, new Hl7Error(Hl7ErrorCode.requiredFieldMissing, text, location)) };
}

/** DFT^P03 (HL7 v2.5 ch. 6): charges posted by the claims module; another trigger is AR 201, a version outside 2.3-2.8 AR 203. */
function preflightDft(message: Hl7Message, header: MessageHeader): Preflight {
  if (header.triggerEvent !== 'P03')
    return rejected(
      new Hl7Error(Hl7ErrorCode.unsupportedEventCode, `trigger event ${header.triggerEvent || '(none)'} is not supported`, {
        segment: 'MSH',
        field: 9,
      }),
    );
  if (!isSupportedVersion(header.version))
    return rejected(new Hl7Error(Hl7ErrorCode.unsupportedVersionId, 'version must be 2.3 to 2.8', { segment: 'MSH', field: 12 }));
  return { kind: 'dft', message, header, sendingFacility: hd(header.sendingFacility) };
}

export function preflight(p: Parsed): Preflight {
  if (p.error || !p.message || !p.header)
    return rejected(p.error ?? new Hl7Error(Hl7ErrorCode.applicationInternalError, 'message could not be parsed'));
  if (p.header.messageCode === 'ADT') return preflightAdt(p.message, p.header);
  if (p.header.messageCode === 'MDM') return preflightMdm(p.message, p.header);
  if (p.header.messageCode === 'SIU') return preflightSiu(p.message, p.header);
  if (p.header.messageCode === 'DFT') return preflightDft(p.message, p.header);
  return ignored(`${p.header.messageCode} messages are stored, not applied`);
}

/** The outcome of a message whose application threw (its changes are rolled back). */
export function failureOutcome(e: unknown): Outcome {
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

export const outcomeColumns = (o: Outcome, processedAt: string): MessageOutcome => ({
  status: o.status,
  ackCode: o.code,
  errorCode: o.err?.hl7Code ?? null,
  errorText: o.err?.message ?? o.text ?? null,
  patientId: o.patientId,
  processedAt,
});

/** The message of a unique-index violation of applied control ids (SQLite and PostgreSQL word it differently). */
export function isAppliedOnceViolation(e: unknown): boolean {
  const m = e instanceof Error ? e.message : '';
  return m.includes('hl7_messages_applied_once') || m.includes('hl7_messages.sending_facility, hl7_messages.control_id');
}
