/**
 * The interchange around 837 transaction sets (X12 005010 envelopes): ISA/IEA, one GS/GE functional group of
 * kind HC, GS08 naming the implementation guide (005010X223A2 837I, 005010X222A1 837P) — one kind per
 * interchange. Each claim is its own ST..SE; a claim that cannot be written is reported and left out, and the
 * others still go (a batch never fails whole). Control numbers come from the caller, which keeps them unique.
 */
import { X12BuildError, type Segment } from './build-837-common.js';
import { buildClaim837I, type TransactionContext } from './build-837i.js';
import { buildClaim837P } from './build-837p.js';
import { IMPLEMENTATION_GUIDE, type Claim837, type Claim837Kind, type Submission } from './build-837-types.js';
import { x12Id } from './build-837-common.js';

/** Delimiters written: element `*`, component `:`, repetition `^`, segment `~`. */
export const DELIMITERS = { element: '*', component: ':', repetition: '^', segment: '~' } as const;

export interface EnvelopeOptions {
  /** ISA05/ISA06 and ISA07/ISA08: qualifier (ZZ mutually defined, 30 tax id, ...) and id, up to 15 characters. */
  sender: { qualifier: string; id: string };
  receiver: { qualifier: string; id: string };
  /** GS02/GS03 application sender's and receiver's codes (default: the ISA ids). */
  applicationSender?: string;
  applicationReceiver?: string;
  /** ISA13 (1..999,999,999), never repeated for this sender; GS06 defaults to the same number. */
  interchangeControlNumber: number;
  groupControlNumber?: number;
  /** ISA15: P production, T test. */
  usage: 'P' | 'T';
  /** ISA14: ask for a TA1. */
  requestTa1?: boolean;
  createdAt: Date;
  submission: Submission;
  /** Written after each `~` (e.g. '\n' for people reading the file); default none. */
  lineBreak?: '' | '\n' | '\r\n';
}

export interface ClaimBuildResult {
  /** Index of the claim in the input. */
  index: number;
  patientControlNumber: string;
  ok: boolean;
  /** ST02 of the claim's transaction set, when written. */
  transactionControlNumber?: string;
  error?: { code: string; message: string };
}

export interface Interchange837 {
  kind: Claim837Kind;
  /** The whole interchange, or null when no claim could be written. */
  text: string | null;
  interchangeControlNumber: string;
  groupControlNumber: string;
  results: ClaimBuildResult[];
}

const pad = (s: string, n: number): string => s.padEnd(n, ' ').slice(0, n);

function checkControl(n: number, what: string): string {
  if (!Number.isInteger(n) || n < 1 || n > 999_999_999) throw new X12BuildError('control_number_invalid', `${what} must be 1 to 999999999`);
  return String(n);
}

/**
 * One 837 interchange of one kind: the claims of another kind are reported as errors. `claims` are the claims
 * in order; each result says whether it went and under which ST control number.
 */
export function buildInterchange837(kind: Claim837Kind, claims: readonly Claim837[], o: EnvelopeOptions): Interchange837 {
  const isa13 = checkControl(o.interchangeControlNumber, 'interchange control number').padStart(9, '0');
  const gs06 = checkControl(o.groupControlNumber ?? o.interchangeControlNumber, 'group control number');
  const senderId = x12Id(o.sender.id, 15);
  const receiverId = x12Id(o.receiver.id, 15);
  if (!senderId || !receiverId) throw new X12BuildError('envelope_id_required', 'interchange sender and receiver ids are required');
  const t = o.createdAt.toISOString();
  const ccyymmdd = t.slice(0, 10).replace(/-/g, '');
  const hhmm = t.slice(11, 13) + t.slice(14, 16);
  const results: ClaimBuildResult[] = [];
  const sets: Segment[][] = [];
  claims.forEach((c, index) => {
    const st = String(sets.length + 1).padStart(4, '0');
    const ctx: TransactionContext = { controlNumber: st, reference: `${gs06}-${st}`, createdAt: o.createdAt, submission: o.submission };
    try {
      if (c.kind !== kind) throw new X12BuildError('wrong_kind', `an ${c.kind} claim cannot go in an ${kind} interchange`);
      sets.push(c.kind === '837I' ? buildClaim837I(c, ctx) : buildClaim837P(c, ctx));
      results.push({ index, patientControlNumber: c.patientControlNumber, ok: true, transactionControlNumber: st });
    } catch (e) {
      if (!(e instanceof X12BuildError)) throw e;
      results.push({ index, patientControlNumber: c.patientControlNumber, ok: false, error: { code: e.code, message: e.message } });
    }
  });
  if (sets.length === 0) return { kind, text: null, interchangeControlNumber: isa13, groupControlNumber: gs06, results };
  const lb = o.lineBreak ?? '';
  const term = DELIMITERS.segment + lb;
  const isa = [
    'ISA',
    '00',
    pad('', 10),
    '00',
    pad('', 10),
    pad(o.sender.qualifier, 2),
    pad(senderId, 15),
    pad(o.receiver.qualifier, 2),
    pad(receiverId, 15),
    ccyymmdd.slice(2),
    hhmm,
    DELIMITERS.repetition,
    '00501',
    isa13,
    o.requestTa1 ? '1' : '0',
    o.usage,
    DELIMITERS.component,
  ].join('*');
  const gs = [
    'GS',
    'HC',
    x12Id(o.applicationSender ?? senderId, 15),
    x12Id(o.applicationReceiver ?? receiverId, 15),
    ccyymmdd,
    hhmm,
    gs06,
    'X',
    IMPLEMENTATION_GUIDE[kind],
  ].join('*');
  let text = isa + term + gs + term;
  for (const set of sets) for (const s of set) text += s.join('*') + term;
  text += `GE*${String(sets.length)}*${gs06}${term}IEA*1*${isa13}${term}`;
  return { kind, text, interchangeControlNumber: isa13, groupControlNumber: gs06, results };
}
