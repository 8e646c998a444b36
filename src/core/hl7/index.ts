/** Public surface of the HL7 v2 codec: parser, typed ADT accessors, ACK builder, MLLP framing and server. */
export { Hl7Error, Hl7ErrorCode, type Hl7Location } from './hl7-error.js';
export { DEFAULT_DELIMITERS, escapeText, unescapeText, encodingCharacters, type Delimiters } from './encoding.js';
export { Hl7Message, HL7_NULL, component, repetitions, value, type Hl7Segment } from './message.js';
export { parseMessage, parseSegment, readDelimiters, splitSegments } from './parser.js';
export { isBatch, parseBatch, type BatchItem, type Hl7Batch } from './batch.js';
export * from './datatypes.js';
export * from './segments.js';
export {
  parseAdt,
  adtTriggerEvent,
  isSupportedVersion,
  isInformationalAdtEvent,
  INFORMATIONAL_ADT_EVENTS,
  SUPPORTED_ADT_EVENTS,
  type AdtMessage,
  type MergeGroup,
  type SupportedAdtEvent,
} from './adt.js';
export { AckCode, buildAck, buildAckForRaw, buildBatchAck, type AckError, type AckOptions } from './ack.js';
export { encodeMllp, MllpDecoder, MLLP_START, MLLP_END, MLLP_CR, type MllpFrame } from './mllp.js';
export { createMllpServer, formatHl7DateTime, type MllpServer, type MllpServerOptions } from './mllp-server.js';
export {
  parseMdm,
  readDocumentContent,
  edMediaType,
  SUPPORTED_MDM_EVENTS,
  type MdmMessage,
  type SupportedMdmEvent,
  type TranscriptionDocument,
  type DocumentContent,
  type Authentication,
} from './mdm.js';
export { sendMllp, type MllpDestination } from './mllp-client.js';
export {
  deliverHl7Outbox,
  outboxBackoffMs,
  type OutboxMessage,
  type OutboxUpdate,
  type OutboxDeliveryPorts,
  type OutboxOutcome,
} from './outbox-delivery.js';
