import { DomainError, ErrorCode } from '../errors.js';

/** HL7 table 0357 message error condition codes used in ERR-3 (v2.5+) and ERR-1.4 (v2.3–2.4). */
export const Hl7ErrorCode = {
  segmentSequence: '100',
  requiredFieldMissing: '101',
  dataTypeError: '102',
  tableValueNotFound: '103',
  unsupportedMessageType: '200',
  unsupportedEventCode: '201',
  unsupportedProcessingId: '202',
  unsupportedVersionId: '203',
  unknownKeyIdentifier: '204',
  duplicateKeyIdentifier: '205',
  applicationRecordLocked: '206',
  applicationInternalError: '207',
} as const;
export type Hl7ErrorCode = (typeof Hl7ErrorCode)[keyof typeof Hl7ErrorCode];

/** Where an error is: segment id, its 1-based occurrence, field, repetition and component. */
export interface Hl7Location {
  segment?: string;
  sequence?: number;
  field?: number;
  repetition?: number;
  component?: number;
}

/**
 * A message that cannot be parsed or does not carry what its event needs. The message text names the
 * segment and field (e.g. "PID-3: patient identifier list is required") and never carries field values,
 * which may be PHI.
 */
export class Hl7Error extends DomainError {
  constructor(
    readonly hl7Code: Hl7ErrorCode,
    message: string,
    readonly location: Hl7Location = {},
  ) {
    const where = location.segment ? `${location.segment}${location.field !== undefined ? `-${location.field}` : ''}: ` : '';
    super(ErrorCode.invalid, `${where}${message}`, { hl7Code, ...location });
    this.name = 'Hl7Error';
  }
}
