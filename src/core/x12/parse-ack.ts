/**
 * Acknowledgements read back after an 837 is sent:
 * - TA1 interchange acknowledgement (ASC X12 control segments): the interchange accepted (A), accepted with
 *   errors (E) or rejected (R), with the note code.
 * - 999 implementation acknowledgement (005010X231A1; 997 read the same way): per transaction set (AK2/IK5) and
 *   per group (AK9), with the segment errors (IK3: segment id, position in the set, loop, code) and element
 *   errors (IK4: position, component, repeat, data element reference, code, bad value).
 * - 277CA claim acknowledgement (005010X214; a 277 claim status response 005010X212 is read the same way): per
 *   claim (HL PT, or 22/23 in X212) the STC statuses with the claim's identifiers (TRN02 patient control
 *   number, REF*1K payer claim control number, REF*D9 clearinghouse trace); statuses at the payer, receiver and
 *   billing provider levels are kept apart.
 * Patient names (NM1*QC/IL) are not read: claims are identified by their control numbers only.
 */
import { components, el, num, readX12, type X12Delimiters, type X12Issue, type X12Segment, type X12TransactionSet } from './read-x12.js';

/** TA104 interchange acknowledgement codes. */
const TA1_CODES: Record<string, string> = { A: 'accepted', E: 'accepted with errors', R: 'rejected' };

/** TA105 interchange note codes (ASC X12 I18). */
const TA1_NOTES: Record<string, string> = {
  '000': 'No error',
  '001': 'The Interchange Control Number in the Header and Trailer Do Not Match',
  '002': 'This Standard as Noted in the Control Standards Identifier is Not Supported',
  '003': 'This Version of the Controls is Not Supported',
  '004': 'The Segment Terminator is Invalid',
  '005': 'Invalid Interchange ID Qualifier for Sender',
  '006': 'Invalid Interchange Sender ID',
  '007': 'Invalid Interchange ID Qualifier for Receiver',
  '008': 'Invalid Interchange Receiver ID',
  '009': 'Unknown Interchange Receiver ID',
  '010': 'Invalid Authorization Information Qualifier Value',
  '011': 'Invalid Authorization Information Value',
  '012': 'Invalid Security Information Qualifier Value',
  '013': 'Invalid Security Information Value',
  '014': 'Invalid Interchange Date Value',
  '015': 'Invalid Interchange Time Value',
  '016': 'Invalid Interchange Standards Identifier Value',
  '017': 'Invalid Interchange Version ID Value',
  '018': 'Invalid Interchange Control Number Value',
  '019': 'Invalid Acknowledgment Requested Value',
  '020': 'Invalid Test Indicator Value',
  '021': 'Invalid Number of Included Groups Value',
  '022': 'Invalid Control Structure',
  '023': 'Improper (Premature) End-of-File (Transmission)',
  '024': 'Invalid Interchange Content (e.g., Invalid GS Segment)',
  '025': 'Duplicate Interchange Control Number',
  '026': 'Invalid Data Element Separator',
  '027': 'Invalid Component Element Separator',
};

/** IK5/AK5 transaction set and AK9 group acknowledgement codes that mean the set was accepted. */
const ACCEPTED_999 = new Set(['A', 'E']);

/** Claim status category codes (STC01-1) of the 277CA acknowledgement family. */
export const CLAIM_STATUS_CATEGORIES: Record<string, string> = {
  A0: 'Acknowledgement/Forwarded',
  A1: 'Acknowledgement/Receipt',
  A2: 'Acknowledgement/Acceptance into adjudication system',
  A3: 'Acknowledgement/Returned as unprocessable claim',
  A4: 'Acknowledgement/Not Found',
  A5: 'Acknowledgement/Split Claim',
  A6: 'Acknowledgement/Rejected for Missing Information',
  A7: 'Acknowledgement/Rejected for Invalid Information',
  A8: 'Acknowledgement/Rejected for relational field in error',
};

export interface InterchangeAck {
  readonly kind: 'TA1';
  /** TA101: the control number (ISA13) of the interchange acknowledged. */
  readonly controlNumber: string;
  readonly date: string;
  readonly time: string;
  /** TA104. */
  readonly code: string;
  readonly accepted: boolean;
  readonly meaning: string;
  /** TA105 and its text. */
  readonly note: string;
  readonly noteText: string | undefined;
  readonly segment: number;
}

export interface ElementError {
  /** IK401-1 / AK401-1: element position in the segment; -2 component position; -3 repetition. */
  readonly position: number | undefined;
  readonly component: number | undefined;
  readonly repetition: number | undefined;
  /** IK402: data element reference number. */
  readonly reference: string;
  /** IK403: error code (1 required element missing, 7 invalid code value, 8 invalid date, ...). */
  readonly code: string;
  /** IK404: copy of the bad element. */
  readonly value: string;
  readonly segment: number;
}

export interface SegmentError {
  /** IK301: segment id in error; IK302: its position in the transaction set (ST = 1); IK303 loop; IK304 code. */
  readonly segmentId: string;
  readonly position: number | undefined;
  readonly loop: string;
  readonly code: string;
  /** CTX business unit identifiers (e.g. `CLM01:123456789`: the claim the error belongs to). */
  readonly context: string[];
  /** The claim's patient control number (CLM01) when a CTX names it, to show the error against the claim. */
  patientControlNumber: string | undefined;
  readonly elements: ElementError[];
  readonly segment: number;
}

export interface TransactionAck {
  /** AK201 and AK202: the type and control number (ST02) of the transaction set acknowledged. */
  readonly type: string;
  readonly controlNumber: string;
  readonly version: string;
  /** IK501/AK501: A accepted, E accepted with errors, R rejected, M, W, X rejected. */
  status: string;
  accepted: boolean;
  /** IK502-506. */
  readonly errorCodes: string[];
  readonly segmentErrors: SegmentError[];
  readonly segment: number;
}

export interface ImplementationAck {
  readonly kind: '999' | '997';
  readonly controlNumber: string;
  /** AK1: the functional group acknowledged. */
  functionalId: string;
  groupControlNumber: string;
  groupVersion: string;
  /** AK901: A, E, P (partially accepted), R ... */
  groupStatus: string;
  groupAccepted: boolean;
  /** AK902-904. */
  included: number | undefined;
  received: number | undefined;
  acceptedCount: number | undefined;
  readonly transactions: TransactionAck[];
  readonly segment: number;
}

export interface ClaimStatus {
  /** STC01-1, -2, -3: category, status code, entity. */
  readonly category: string;
  readonly categoryText: string | undefined;
  readonly code: string;
  readonly entity: string;
  readonly date: string;
  /** STC03: WQ accepted, U rejected, ... */
  readonly action: string;
  readonly amount: number | undefined;
  readonly segment: number;
}

export type ClaimOutcome = 'accepted' | 'rejected' | 'pending' | 'finalized' | 'other';

export interface ClaimAck {
  readonly patientControlNumber: string;
  payerClaimControlNumber: string;
  clearinghouseTrace: string;
  outcome: ClaimOutcome;
  readonly statuses: ClaimStatus[];
  readonly segment: number;
}

export interface ClaimAcknowledgement {
  readonly kind: '277CA' | '277';
  readonly controlNumber: string;
  readonly version: string;
  /** Statuses above the claim level (HL 20/21/19: payer, receiver, billing provider), with the HL level code. */
  readonly levelStatuses: (ClaimStatus & { level: string })[];
  readonly claims: ClaimAck[];
  readonly segment: number;
}

export type Acknowledgement = InterchangeAck | ImplementationAck | ClaimAcknowledgement;

export interface AckResult {
  readonly acknowledgements: Acknowledgement[];
  readonly errors: X12Issue[];
}

const issue = (seg: X12Segment, message: string): X12Issue => ({
  segment: seg.n,
  id: seg.id,
  message: `segment ${seg.n} (${seg.id}): ${message}`,
});

/** Reads TA1, 999/997 and 277CA/277 from one file; other transaction sets are errors naming their ST. */
export function parseAcknowledgements(text: string): AckResult {
  const doc = readX12(text);
  const errors = [...doc.errors];
  const acknowledgements: Acknowledgement[] = [];
  if (!doc.delimiters) return { acknowledgements, errors };
  for (const ich of doc.interchanges) {
    const d = ich.delimiters;
    for (const seg of ich.ta1) acknowledgements.push(readTa1(seg));
    for (const tx of ich.groups.flatMap((g) => g.transactions)) {
      if (tx.type === '999' || tx.type === '997') acknowledgements.push(read999(tx, d, errors));
      else if (tx.type === '277') acknowledgements.push(read277(tx, d, errors));
      else errors.push(issue(tx.st, `transaction set ${tx.type || '(none)'} is not an acknowledgement (TA1, 999, 997, 277CA)`));
    }
  }
  if (acknowledgements.length === 0 && errors.length === 0)
    errors.push({ segment: 0, id: '', message: 'segment 0: the file holds no acknowledgement' });
  errors.sort((a, b) => a.segment - b.segment);
  return { acknowledgements, errors };
}

function readTa1(seg: X12Segment): InterchangeAck {
  const code = el(seg, 4);
  return {
    kind: 'TA1',
    controlNumber: el(seg, 1),
    date: el(seg, 2),
    time: el(seg, 3),
    code,
    accepted: code === 'A' || code === 'E',
    meaning: TA1_CODES[code] ?? `unknown code ${code}`,
    note: el(seg, 5),
    noteText: TA1_NOTES[el(seg, 5)],
    segment: seg.n,
  };
}

const int = (s: string | undefined): number | undefined => (s === undefined || s === '' || !/^\d+$/.test(s) ? undefined : Number(s));

function read999(tx: X12TransactionSet, d: X12Delimiters, errors: X12Issue[]): ImplementationAck {
  const ack: ImplementationAck = {
    kind: tx.type === '997' ? '997' : '999',
    controlNumber: tx.controlNumber,
    functionalId: '',
    groupControlNumber: '',
    groupVersion: '',
    groupStatus: '',
    groupAccepted: false,
    included: undefined,
    received: undefined,
    acceptedCount: undefined,
    transactions: [],
    segment: tx.st.n,
  };
  let set: TransactionAck | undefined;
  let segErr: SegmentError | undefined;
  for (const seg of tx.segments) {
    switch (seg.id) {
      case 'AK1':
        [ack.functionalId, ack.groupControlNumber, ack.groupVersion] = [el(seg, 1), el(seg, 2), el(seg, 3)];
        break;
      case 'AK2':
        set = {
          type: el(seg, 1),
          controlNumber: el(seg, 2),
          version: el(seg, 3),
          status: '',
          accepted: false,
          errorCodes: [],
          segmentErrors: [],
          segment: seg.n,
        };
        segErr = undefined;
        ack.transactions.push(set);
        break;
      case 'IK3':
      case 'AK3':
        if (!set) {
          errors.push(issue(seg, `${seg.id} outside a transaction set response (no AK2 before it)`));
          break;
        }
        segErr = {
          segmentId: el(seg, 1),
          position: int(el(seg, 2)),
          loop: el(seg, 3),
          code: el(seg, 4),
          context: [],
          patientControlNumber: undefined,
          elements: [],
          segment: seg.n,
        };
        set.segmentErrors.push(segErr);
        break;
      case 'CTX': {
        if (!segErr) break;
        segErr.context.push(
          seg.elements
            .slice(1)
            .filter((e) => e !== '')
            .join(' '),
        );
        // CTX01 `CLM01:<patient control number>` (999 TR3 2100 CTX, business unit identifier).
        const [name, value] = components(seg, 1, d);
        if (name === 'CLM01' && value) segErr.patientControlNumber = value;
        break;
      }
      case 'IK4':
      case 'AK4': {
        if (!segErr) {
          errors.push(issue(seg, `${seg.id} outside a segment error (no IK3 before it)`));
          break;
        }
        const [pos, comp, rep] = components(seg, 1, d);
        segErr.elements.push({
          position: int(pos),
          component: int(comp),
          repetition: int(rep),
          reference: el(seg, 2),
          code: el(seg, 3),
          value: el(seg, 4),
          segment: seg.n,
        });
        break;
      }
      case 'IK5':
      case 'AK5':
        if (!set) {
          errors.push(issue(seg, `${seg.id} outside a transaction set response (no AK2 before it)`));
          break;
        }
        set.status = el(seg, 1);
        set.accepted = ACCEPTED_999.has(set.status);
        set.errorCodes.push(...seg.elements.slice(2).filter((e) => e !== ''));
        segErr = undefined;
        break;
      case 'AK9':
        ack.groupStatus = el(seg, 1);
        ack.groupAccepted = ACCEPTED_999.has(ack.groupStatus);
        [ack.included, ack.received, ack.acceptedCount] = [num(seg, 2), num(seg, 3), num(seg, 4)];
        break;
    }
  }
  if (ack.groupStatus === '') errors.push(issue(tx.st, `the ${ack.kind} has no AK9 (functional group response trailer)`));
  for (const t of ack.transactions)
    if (t.status === '')
      errors.push({ segment: t.segment, id: 'AK2', message: `segment ${t.segment} (AK2): transaction set response has no IK5` });
  return ack;
}

/** A claim's outcome from its STC categories: any rejection category rejects the claim. */
function outcomeOf(statuses: readonly ClaimStatus[]): ClaimOutcome {
  const cats = statuses.map((s) => s.category);
  if (cats.some((c) => ['A3', 'A4', 'A6', 'A7', 'A8'].includes(c) || c.startsWith('E') || c === 'D0')) return 'rejected';
  if (cats.some((c) => c.startsWith('F'))) return 'finalized';
  if (cats.some((c) => c.startsWith('P'))) return 'pending';
  if (cats.some((c) => ['A0', 'A1', 'A2', 'A5'].includes(c))) return 'accepted';
  return 'other';
}

function readStc(seg: X12Segment, d: X12Delimiters): ClaimStatus[] {
  const one = (i: number): ClaimStatus | undefined => {
    const [category = '', code = '', entity = ''] = components(seg, i, d);
    if (category === '') return undefined;
    return {
      category,
      categoryText: CLAIM_STATUS_CATEGORIES[category],
      code,
      entity,
      date: el(seg, 2),
      action: el(seg, 3),
      amount: num(seg, 4),
      segment: seg.n,
    };
  };
  // STC01, and the additional statuses STC10 and STC11.
  return [one(1), one(10), one(11)].filter((s): s is ClaimStatus => s !== undefined);
}

const CLAIM_LEVELS = new Set(['PT', '22', '23']);

function read277(tx: X12TransactionSet, d: X12Delimiters, errors: X12Issue[]): ClaimAcknowledgement {
  const ack: ClaimAcknowledgement = {
    kind: tx.version.includes('X214') ? '277CA' : '277',
    controlNumber: tx.controlNumber,
    version: tx.version,
    levelStatuses: [],
    claims: [],
    segment: tx.st.n,
  };
  let level = '';
  let claim: ClaimAck | undefined;
  let inService = false;
  for (const seg of tx.segments) {
    switch (seg.id) {
      case 'HL':
        level = el(seg, 3);
        claim = undefined;
        inService = false;
        break;
      case 'TRN':
        if (CLAIM_LEVELS.has(level) && el(seg, 1) === '2') {
          claim = {
            patientControlNumber: el(seg, 2),
            payerClaimControlNumber: '',
            clearinghouseTrace: '',
            outcome: 'other',
            statuses: [],
            segment: seg.n,
          };
          ack.claims.push(claim);
        }
        break;
      case 'STC':
        if (claim && !inService) claim.statuses.push(...readStc(seg, d));
        else if (!claim && !CLAIM_LEVELS.has(level)) ack.levelStatuses.push(...readStc(seg, d).map((s) => ({ ...s, level })));
        else if (!claim) errors.push(issue(seg, 'STC at the claim level before the claim TRN (patient control number)'));
        break;
      case 'REF':
        if (claim && !inService && el(seg, 1) === '1K') claim.payerClaimControlNumber = el(seg, 2);
        if (claim && !inService && el(seg, 1) === 'D9') claim.clearinghouseTrace = el(seg, 2);
        break;
      case 'SVC':
        inService = true;
        break;
    }
  }
  for (const c of ack.claims) {
    c.outcome = outcomeOf(c.statuses);
    if (c.statuses.length === 0)
      errors.push({ segment: c.segment, id: 'TRN', message: `segment ${c.segment} (TRN): claim has no STC status` });
  }
  return ack;
}
