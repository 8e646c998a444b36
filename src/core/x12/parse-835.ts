/**
 * The 835 Health Care Claim Payment/Advice (005010X221A1) read into a typed remittance: payer and payee (loops
 * 1000A/1000B), the payment (BPR) and its trace (TRN), claims (loop 2100 CLP) with their adjustments (CAS),
 * remarks (MIA/MOA) and service lines (loop 2110 SVC, with their CAS and LQ), and provider-level adjustments
 * (PLB). Balancing follows TR3 section 1.10.2.1: the payment BPR02 equals the sum of CLP04 less the sum of the
 * PLB amounts (this decides `balanced`); each claim's charge less its payment equals its adjustments (claim and
 * line CAS) and each line's charge less its payment equals its CAS (these are listed in `imbalances`).
 *
 * CARC/RARC descriptions: no code list is shipped (the X12/WPC lists are not in ../shared/data), so only codes
 * are read; a caller holding a licensed list passes it to {@link describeAdjustments}.
 */
import { components, el, num, readX12, type X12Delimiters, type X12Issue, type X12Segment, type X12TransactionSet } from './read-x12.js';

/** CAS01 claim adjustment group codes (TR3 2100/2110 CAS). */
export const ADJUSTMENT_GROUPS = {
  CO: 'Contractual Obligations',
  CR: 'Correction and Reversals',
  OA: 'Other adjustments',
  PI: 'Payor Initiated Reductions',
  PR: 'Patient Responsibility',
} as const;
export type AdjustmentGroup = keyof typeof ADJUSTMENT_GROUPS;

export interface RemitAdjustment {
  /** CAS01. */
  readonly group: string;
  /** CARC (CAS02, 05, 08, 11, 14, 17). */
  readonly reason: string;
  readonly amount: number;
  readonly quantity: number | undefined;
  /** The CAS segment it came from. */
  readonly segment: number;
}

export interface RemitServiceLine {
  /** SVC01: qualifier (HC, NU, ...), code and modifiers. */
  readonly qualifier: string;
  readonly code: string;
  readonly modifiers: string[];
  readonly charge: number;
  readonly paid: number;
  /** SVC04 (NUBC revenue code), when given. */
  readonly revenueCode: string | undefined;
  readonly units: number | undefined;
  /** REF*6R: the line item control number sent in the 837 (REF*6R of loop 2400). */
  lineControlNumber: string | undefined;
  serviceDate: string | undefined;
  /** AMT*B6. */
  allowed: number | undefined;
  readonly adjustments: RemitAdjustment[];
  /** LQ*HE: RARC codes. */
  readonly remarks: string[];
  readonly segment: number;
}

export interface RemitClaim {
  /** CLP01 (the CLM01 of the 837). */
  readonly patientControlNumber: string;
  /** CLP02: 1 processed as primary, 2 secondary, 3 tertiary, 4 denied, 19-23 forwarded/not our claim/reversal ... */
  readonly status: string;
  readonly charge: number;
  readonly paid: number;
  readonly patientResponsibility: number;
  /** CLP06. */
  readonly filingIndicator: string;
  /** CLP07: payer claim control number (ICN). */
  readonly payerClaimControlNumber: string;
  /** CLP08 facility type / place of service and CLP09 frequency code. */
  readonly facilityType: string;
  readonly frequency: string;
  /** CLP11 DRG when the payer gives one. */
  readonly drg: string | undefined;
  /** CLP02 = 22: reversal of a previous payment. */
  readonly reversal: boolean;
  /** Claim-level CAS. */
  readonly adjustments: RemitAdjustment[];
  /** RARC codes from MIA and MOA. */
  readonly remarks: string[];
  readonly serviceLines: RemitServiceLine[];
  readonly segment: number;
}

export interface ProviderAdjustment {
  /** PLB01 provider id and PLB02 fiscal period date. */
  readonly provider: string;
  readonly fiscalPeriod: string;
  /** PLB03-1 adjustment reason (WO overpayment recovery, L6 interest, FB forwarding balance, ...). */
  readonly reason: string;
  /** PLB03-2 reference (e.g. the ICN of the claim recovered). */
  readonly reference: string;
  /** A positive amount reduces the payment; a negative one increases it. */
  readonly amount: number;
  readonly segment: number;
}

export interface Remittance {
  /** ST02. */
  readonly controlNumber: string;
  readonly version: string;
  payer: string;
  payerId: string;
  payee: string;
  payeeId: string;
  /** BPR01: I remittance with payment, H notification only, ... */
  handling: string;
  /** BPR02. */
  paymentAmount: number;
  /** BPR03: C credit, D debit. */
  creditDebit: string;
  /** BPR04: CHK, ACH, NON, FWT, BOP. */
  method: string;
  /** BPR16. */
  paymentDate: string;
  /** TRN02: check or EFT trace number. */
  trace: string;
  readonly claims: RemitClaim[];
  readonly providerAdjustments: ProviderAdjustment[];
  /** The transaction balances (TR3 1.10.2.1.3): BPR02 = sum of CLP04 - sum of PLB amounts. */
  balanced: boolean;
  /** Every balancing rule that fails, one line each: the transaction rule, then claims (1.10.2.1.2) and lines (1.10.2.1.1). */
  readonly imbalances: string[];
  readonly segment: number;
}

export interface Remittance835Result {
  readonly remittances: Remittance[];
  readonly errors: X12Issue[];
}

/** Amounts are compared in cents: X12 amounts have at most two decimals. */
const cents = (n: number): number => Math.round(n * 100);

const issue = (seg: X12Segment, message: string): X12Issue => ({
  segment: seg.n,
  id: seg.id,
  message: `segment ${seg.n} (${seg.id}): ${message}`,
});

/** Reads an 835 file: every 835 transaction set in it; any other transaction set is an error naming its ST. */
export function parse835(text: string): Remittance835Result {
  const doc = readX12(text);
  const errors = [...doc.errors];
  const remittances: Remittance[] = [];
  for (const ich of doc.interchanges) {
    const d = ich.delimiters;
    for (const g of ich.groups) {
      for (const tx of g.transactions) {
        if (tx.type !== '835') {
          errors.push(issue(tx.st, `transaction set ${tx.type || '(none)'} is not an 835 health care claim payment/advice`));
          continue;
        }
        remittances.push(readRemittance(tx, d, errors));
      }
    }
  }
  if (doc.delimiters && remittances.length === 0 && errors.length === 0)
    errors.push({ segment: 0, id: '', message: 'segment 0: the file holds no 835 transaction set' });
  errors.sort((a, b) => a.segment - b.segment);
  return { remittances, errors };
}

function amount(seg: X12Segment, i: number, errors: X12Issue[], required: boolean): number {
  const v = el(seg, i);
  if (v === '') {
    if (required) errors.push(issue(seg, `${seg.id}${String(i).padStart(2, '0')} amount is required`));
    return 0;
  }
  const n = Number(v);
  if (!Number.isFinite(n)) {
    errors.push(issue(seg, `${seg.id}${String(i).padStart(2, '0')} "${v.slice(0, 18)}" is not an amount`));
    return 0;
  }
  return n;
}

function readCas(seg: X12Segment, errors: X12Issue[]): RemitAdjustment[] {
  const group = el(seg, 1);
  if (!(group in ADJUSTMENT_GROUPS)) errors.push(issue(seg, `CAS01 "${group}" is not a claim adjustment group code (CO, CR, OA, PI, PR)`));
  const out: RemitAdjustment[] = [];
  // Up to six reason/amount/quantity triplets: CAS02-04, 05-07, ... 17-19.
  for (let k = 2; k <= 17; k += 3) {
    const reason = el(seg, k);
    if (reason === '') continue;
    out.push({ group, reason, amount: amount(seg, k + 1, errors, true), quantity: num(seg, k + 2), segment: seg.n });
  }
  if (out.length === 0) errors.push(issue(seg, 'CAS has no reason code (CAS02)'));
  return out;
}

function readSvc(seg: X12Segment, d: X12Delimiters, errors: X12Issue[]): RemitServiceLine {
  const [qualifier = '', code = '', ...modifiers] = components(seg, 1, d);
  return {
    qualifier,
    code,
    modifiers: modifiers.filter((m) => m !== '').slice(0, 4),
    charge: amount(seg, 2, errors, true),
    paid: amount(seg, 3, errors, true),
    revenueCode: el(seg, 4) || undefined,
    units: num(seg, 5),
    lineControlNumber: undefined,
    serviceDate: undefined,
    allowed: undefined,
    adjustments: [],
    remarks: [],
    segment: seg.n,
  };
}

function readClp(seg: X12Segment, errors: X12Issue[]): RemitClaim {
  if (el(seg, 1) === '') errors.push(issue(seg, 'CLP01 patient control number is required'));
  if (el(seg, 2) === '') errors.push(issue(seg, 'CLP02 claim status code is required'));
  return {
    patientControlNumber: el(seg, 1),
    status: el(seg, 2),
    charge: amount(seg, 3, errors, true),
    paid: amount(seg, 4, errors, true),
    patientResponsibility: amount(seg, 5, errors, false),
    filingIndicator: el(seg, 6),
    payerClaimControlNumber: el(seg, 7),
    facilityType: el(seg, 8),
    frequency: el(seg, 9),
    drg: el(seg, 11) || undefined,
    reversal: el(seg, 2) === '22',
    adjustments: [],
    remarks: [],
    serviceLines: [],
    segment: seg.n,
  };
}

function readPlb(seg: X12Segment, d: X12Delimiters, errors: X12Issue[]): ProviderAdjustment[] {
  const out: ProviderAdjustment[] = [];
  // Up to six adjustment pairs: PLB03/04 ... PLB13/14.
  for (let k = 3; k <= 13; k += 2) {
    if (el(seg, k) === '') continue;
    const [reason = '', reference = ''] = components(seg, k, d);
    out.push({
      provider: el(seg, 1),
      fiscalPeriod: el(seg, 2),
      reason,
      reference,
      amount: amount(seg, k + 1, errors, true),
      segment: seg.n,
    });
  }
  if (out.length === 0) errors.push(issue(seg, 'PLB has no adjustment (PLB03/PLB04)'));
  return out;
}

/** RARC codes of MOA03-07 and MIA05, MIA20-22, MIA24 (the other elements are amounts and counts). */
function remarkCodes(seg: X12Segment): string[] {
  const at = seg.id === 'MOA' ? [3, 4, 5, 6, 7] : [5, 20, 21, 22, 24];
  return at.map((i) => el(seg, i)).filter((c) => c !== '');
}

const DETAIL = new Set(['LX', 'TS3', 'TS2', 'CLP', 'CAS', 'SVC', 'MIA', 'MOA']);

function emptyRemittance(tx: X12TransactionSet): Remittance {
  return {
    controlNumber: tx.controlNumber,
    version: tx.version,
    payer: '',
    payerId: '',
    payee: '',
    payeeId: '',
    handling: '',
    paymentAmount: 0,
    creditDebit: '',
    method: '',
    paymentDate: '',
    trace: '',
    claims: [],
    providerAdjustments: [],
    balanced: false,
    imbalances: [],
    segment: tx.st.n,
  };
}

/** Header segments (BPR, TRN, loops 1000A/1000B); returns the N1 party now open. */
function takeHeader(r: Remittance, seg: X12Segment, party: string, errors: X12Issue[]): string {
  switch (seg.id) {
    case 'BPR':
      r.handling = el(seg, 1);
      r.paymentAmount = amount(seg, 2, errors, true);
      r.creditDebit = el(seg, 3);
      r.method = el(seg, 4);
      r.paymentDate = el(seg, 16);
      break;
    case 'TRN':
      if (!r.trace) r.trace = el(seg, 2);
      break;
    case 'N1':
      if (el(seg, 1) === 'PR') [r.payer, r.payerId] = [el(seg, 2), el(seg, 4)];
      if (el(seg, 1) === 'PE') [r.payee, r.payeeId] = [el(seg, 2), el(seg, 4)];
      return el(seg, 1);
    case 'REF':
      if (party === 'PR' && el(seg, 1) === '2U' && !r.payerId) r.payerId = el(seg, 2);
      break;
  }
  return party;
}

/** Loop 2110 detail after SVC: REF*6R, DTM*472, AMT*B6, LQ*HE. */
function takeLineDetail(line: RemitServiceLine, seg: X12Segment): void {
  const q = el(seg, 1);
  if (seg.id === 'REF' && q === '6R') line.lineControlNumber = el(seg, 2);
  else if (seg.id === 'DTM' && q === '472') line.serviceDate = el(seg, 2);
  else if (seg.id === 'AMT' && q === 'B6') line.allowed = num(seg, 2);
  else if (seg.id === 'LQ' && q === 'HE') line.remarks.push(el(seg, 2));
}

function readRemittance(tx: X12TransactionSet, d: X12Delimiters, errors: X12Issue[]): Remittance {
  const r = emptyRemittance(tx);
  let party = '';
  let claim: RemitClaim | undefined;
  let line: RemitServiceLine | undefined;
  let summary: X12Segment | undefined;
  for (const seg of tx.segments) {
    // The PLB is the summary table: detail loops (LX, CLP, SVC, CAS) may not follow it.
    if (summary && DETAIL.has(seg.id))
      errors.push(issue(seg, `${seg.id} after the provider adjustments (PLB at segment ${summary.n}) is out of order`));
    switch (seg.id) {
      case 'LX':
      case 'PLB':
        [claim, line] = [undefined, undefined];
        if (seg.id === 'PLB') {
          summary = seg;
          r.providerAdjustments.push(...readPlb(seg, d, errors));
        }
        break;
      case 'CLP':
        claim = readClp(seg, errors);
        line = undefined;
        r.claims.push(claim);
        break;
      case 'CAS':
        if (line) line.adjustments.push(...readCas(seg, errors));
        else if (claim) claim.adjustments.push(...readCas(seg, errors));
        else errors.push(issue(seg, 'CAS outside a claim (no CLP before it)'));
        break;
      case 'MIA':
      case 'MOA':
        claim?.remarks.push(...remarkCodes(seg));
        break;
      case 'SVC':
        if (!claim) errors.push(issue(seg, 'SVC outside a claim (no CLP before it)'));
        else claim.serviceLines.push((line = readSvc(seg, d, errors)));
        break;
      default:
        if (line) takeLineDetail(line, seg);
        else if (!claim) party = takeHeader(r, seg, party, errors);
    }
  }
  if (!tx.segments.some((s) => s.id === 'BPR')) errors.push(issue(tx.st, 'the 835 has no BPR (financial information) segment'));
  if (!r.trace) errors.push(issue(tx.st, 'the 835 has no TRN (reassociation trace number) segment'));
  balance(r);
  return r;
}

/** TR3 1.10.2.1 balancing, in cents. */
function balance(r: Remittance): void {
  const paid = r.claims.reduce((s, c) => s + cents(c.paid), 0);
  const plb = r.providerAdjustments.reduce((s, p) => s + cents(p.amount), 0);
  // BPR03 D: the amount is owed by the provider (the sum of CLP04 less PLB is negative).
  const payment = r.creditDebit === 'D' ? -cents(r.paymentAmount) : cents(r.paymentAmount);
  if (payment !== paid - plb) {
    r.imbalances.push(`BPR02 ${r.paymentAmount.toFixed(2)} != sum of CLP04 ${(paid / 100).toFixed(2)} less PLB ${(plb / 100).toFixed(2)}`);
  }
  r.balanced = r.imbalances.length === 0;
  for (const c of r.claims) {
    const lineCas = c.serviceLines.flatMap((l) => l.adjustments);
    const adjusted = [...c.adjustments, ...lineCas].reduce((s, a) => s + cents(a.amount), 0);
    if (cents(c.charge) - cents(c.paid) !== adjusted) {
      r.imbalances.push(
        `claim at segment ${c.segment}: CLP03 ${c.charge.toFixed(2)} less CLP04 ${c.paid.toFixed(2)} != adjustments ${(adjusted / 100).toFixed(2)}`,
      );
    }
    for (const l of c.serviceLines) {
      const lineAdj = l.adjustments.reduce((s, a) => s + cents(a.amount), 0);
      if (cents(l.charge) - cents(l.paid) !== lineAdj) {
        r.imbalances.push(
          `service line at segment ${l.segment}: SVC02 ${l.charge.toFixed(2)} less SVC03 ${l.paid.toFixed(2)} != adjustments ${(lineAdj / 100).toFixed(2)}`,
        );
      }
    }
  }
}

/** A CARC/RARC description lookup, for when a licensed code list is loaded (none is shipped). */
export type CodeDescriber = (code: string) => string | undefined;

/** The adjustment with the group name and, when `carc` knows the code, its description. */
export function describeAdjustments(
  adjustments: readonly RemitAdjustment[],
  carc?: CodeDescriber,
): (RemitAdjustment & { groupName: string; description: string | undefined })[] {
  return adjustments.map((a) => ({
    ...a,
    groupName: a.group in ADJUSTMENT_GROUPS ? ADJUSTMENT_GROUPS[a.group as AdjustmentGroup] : a.group,
    description: carc?.(a.reason),
  }));
}
