/**
 * The loops the 837I and 837P share (X12 005010X223A2 / 005010X222A1): transaction header (ST, BHT), submitter
 * and receiver (1000A/1000B), billing provider (2000A/2010AA/2010AB), subscriber and payer
 * (2000B/2010BA/2010BB), patient (2000C/2010CA), other subscriber (2320/2330A/2330B). Pure: segments are arrays
 * of elements; `envelope.ts` joins them with the delimiters.
 */
import type {
  BillingProvider,
  Claim837,
  ClaimAdjustment,
  ClaimProvider,
  LineAdjudication,
  OtherCoverage,
  PatientPerson,
  Subscriber,
  Submission,
  X12Address,
  X12Name,
} from './build-837-types.js';
import { IMPLEMENTATION_GUIDE } from './build-837-types.js';
import { d8, digitsOnly, formatAmount, x12Text } from './x12-text.js';

/** One segment: the tag, then its elements (components already joined with ':'). */
export type Segment = string[];

/** A claim the builder cannot write; `code` is stable, the message names the field, never its value. */
export class X12BuildError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'X12BuildError';
  }
}

/** A segment's elements with the trailing empty ones dropped (X12: no trailing element separators). */
export function seg(tag: string, ...elements: (string | null | undefined)[]): Segment {
  let n = elements.length;
  while (n > 0 && !elements[n - 1]) n--;
  const out: Segment = [tag];
  for (let i = 0; i < n; i++) out.push(elements[i] ?? '');
  return out;
}

/** Components of a composite element, trailing empties dropped. */
export function composite(...parts: (string | null | undefined)[]): string {
  let n = parts.length;
  while (n > 0 && !parts[n - 1]) n--;
  return parts
    .slice(0, n)
    .map((p) => p ?? '')
    .join(':');
}

/** Text for an id element (member id, control number): the basic character set, no spaces at the ends. */
export const x12Id = (value: string, max = 50): string => {
  const t = x12Text(value, max);
  return t.includes(' ') ? t.replace(/ /g, '') : t;
};

function nm1(entity: string, person: boolean, n: X12Name, idQualifier?: string, id?: string | null): Segment {
  return seg(
    'NM1',
    entity,
    person ? '1' : '2',
    x12Text(n.lastOrOrgName, person ? 60 : 60),
    person ? x12Text(n.firstName ?? '', 35) : '',
    person ? x12Text(n.middleName ?? '', 25) : '',
    '',
    person ? x12Text(n.suffix ?? '', 10) : '',
    id ? idQualifier : '',
    id ? x12Id(id, 80) : '',
  );
}

function address(a: X12Address, needZip9: boolean, what: string): Segment[] {
  const zip = digitsOnly(a.zip);
  if (needZip9 && zip.length !== 9) throw new X12BuildError('zip9_required', `${what}: ZIP code must have nine digits (ZIP+4)`);
  if (zip.length !== 5 && zip.length !== 9) throw new X12BuildError('zip_invalid', `${what}: ZIP code must have five or nine digits`);
  return [seg('N3', x12Text(a.line1, 55), a.line2 ? x12Text(a.line2, 55) : ''), seg('N4', x12Text(a.city, 30), x12Text(a.state, 2), zip)];
}

/** ST, BHT and loops 1000A (submitter) and 1000B (receiver). */
export function headerLoops(kind: Claim837['kind'], st: string, ref: string, createdAt: Date, s: Submission): Segment[] {
  const date = createdAt.toISOString();
  return [
    seg('ST', '837', st, IMPLEMENTATION_GUIDE[kind]),
    seg('BHT', '0019', '00', x12Id(ref, 30), d8(date), date.slice(11, 13) + date.slice(14, 16), 'CH'),
    seg('NM1', '41', '2', x12Text(s.submitterName), '', '', '', '', '46', x12Id(s.submitterId, 80)),
    seg('PER', 'IC', x12Text(s.submitterContact.name, 60), 'TE', digitsOnly(s.submitterContact.phone)),
    seg('NM1', '40', '2', x12Text(s.receiverName), '', '', '', '', '46', x12Id(s.receiverId, 80)),
  ];
}

/** 2000A billing provider HL, PRV*BI, 2010AA (NPI, nine-digit ZIP, EIN) and 2010AB pay-to address. */
export function billingProviderLoops(p: BillingProvider): Segment[] {
  const out: Segment[] = [seg('HL', '1', '', '20', '1')];
  if (p.taxonomy) out.push(seg('PRV', 'BI', 'PXC', x12Id(p.taxonomy, 50)));
  out.push(nm1('85', false, { lastOrOrgName: p.name }, 'XX', p.npi));
  out.push(...address(p.address, true, 'billing provider address'));
  const ein = digitsOnly(p.taxId);
  if (ein.length !== 9) throw new X12BuildError('tax_id_invalid', 'billing provider tax id must be a nine-digit EIN');
  out.push(seg('REF', 'EI', ein));
  if (p.payToAddress) {
    out.push(seg('NM1', '87', '2'));
    out.push(...address(p.payToAddress, false, 'pay-to address'));
  }
  return out;
}

function demographics(dob: string | null | undefined, sex: string | null | undefined): Segment[] {
  return dob ? [seg('DMG', 'D8', d8(dob), sex === 'M' || sex === 'F' ? sex : 'U')] : [];
}

/**
 * 2000B (SBR), 2010BA subscriber and 2010BB payer; 2000C/2010CA when the patient is not the subscriber.
 * HL numbers: 1 billing provider, 2 subscriber, 3 patient.
 */
export function subscriberLoops(c: Claim837, claimFilingIndicator: string): Segment[] {
  const d = c.destination;
  const self = d.relationship === '18';
  const s: Subscriber = d.subscriber;
  const out: Segment[] = [
    seg('HL', '2', '1', '22', self ? '0' : '1'),
    seg(
      'SBR',
      d.sequence,
      self ? '18' : '',
      s.groupNumber ? x12Id(s.groupNumber, 50) : '',
      s.groupName && !s.groupNumber ? x12Text(s.groupName, 60) : '',
      '',
      '',
      '',
      '',
      claimFilingIndicator,
    ),
    nm1('IL', true, s, 'MI', s.memberId),
  ];
  if (self) {
    if (!s.address)
      throw new X12BuildError('subscriber_address_required', 'subscriber address is required when the subscriber is the patient');
    if (!s.dateOfBirth)
      throw new X12BuildError('subscriber_dob_required', 'subscriber date of birth is required when the subscriber is the patient');
  }
  if (s.address) out.push(...address(s.address, false, 'subscriber address'));
  out.push(...demographics(s.dateOfBirth, s.sex));
  out.push(nm1('PR', false, { lastOrOrgName: d.payer.name }, 'PI', d.payer.payerId));
  if (d.payer.address) out.push(...address(d.payer.address, false, 'payer address'));
  if (!self) out.push(...patientLoops(c.patient, d.relationship));
  return out;
}

function patientLoops(p: PatientPerson | null | undefined, relationship: string): Segment[] {
  if (!p) throw new X12BuildError('patient_required', 'patient (loop 2010CA) is required when the patient is not the subscriber');
  return [
    seg('HL', '3', '2', '23', '0'),
    seg('PAT', relationship),
    nm1('QC', true, p),
    ...address(p.address, false, 'patient address'),
    ...demographics(p.dateOfBirth, p.sex),
  ];
}

/** 2300 REF*F8 for replacement (7) and void (8) claims: the payer's claim control number. */
export function originalClaimRef(c: Claim837): Segment[] {
  if (c.frequencyCode !== '7' && c.frequencyCode !== '8') return [];
  if (!c.originalClaimNumber)
    throw new X12BuildError('original_claim_required', 'a replacement or void claim needs the payer claim control number');
  return [seg('REF', 'F8', x12Id(c.originalClaimNumber, 50))];
}

/** An NM1 for a physician (2310x), with an optional PRV carrying the taxonomy. */
export function providerLoop(entity: string, p: ClaimProvider, prvCode?: string): Segment[] {
  const out = [nm1(entity, true, p, 'XX', p.npi)];
  if (prvCode && p.taxonomy) out.push(seg('PRV', prvCode, 'PXC', x12Id(p.taxonomy, 50)));
  return out;
}

/**
 * 2320 other subscriber information with the prior payer's claim-level adjustments (CAS, grouped by group code,
 * up to six reasons per segment) and paid amount (AMT*D), OI; 2330A other subscriber; 2330B other payer with the
 * remittance date. `oi` is the kind's OI segment (837I and 837P differ in OI04).
 */
export function otherSubscriberLoops(o: OtherCoverage, oi: Segment): Segment[] {
  const s = o.subscriber;
  const out: Segment[] = [
    seg('SBR', o.sequence, o.relationship, s.groupNumber ? x12Id(s.groupNumber, 50) : '', '', '', '', '', '', o.payer.claimFilingIndicator),
  ];
  out.push(...casSegments(o.adjustments ?? [], 'claim adjustments (2320 CAS)'));
  if (o.paidCents != null) out.push(seg('AMT', 'D', formatAmount(o.paidCents)));
  out.push(oi);
  out.push(nm1('IL', true, s, 'MI', s.memberId));
  if (s.address) out.push(...address(s.address, false, 'other subscriber address'));
  out.push(nm1('PR', false, { lastOrOrgName: o.payer.name }, 'PI', o.payer.payerId));
  if (o.adjudicationDate) out.push(seg('DTP', '573', 'D8', d8(o.adjudicationDate)));
  return out;
}

/**
 * CAS segments: one per group code (CO, PR, OA, PI, CR), up to six reasons each (CAS02-CAS19), a group with more
 * reasons continuing in another CAS. The 2320 and 2430 loops carry at most five CAS (TR3 repeat 5).
 */
export function casSegments(adjustments: readonly ClaimAdjustment[], what: string): Segment[] {
  const byGroup = new Map<string, ClaimAdjustment[]>();
  for (const a of adjustments) {
    const list = byGroup.get(a.group) ?? [];
    list.push(a);
    byGroup.set(a.group, list);
  }
  const out: Segment[] = [];
  for (const [group, list] of byGroup) {
    for (let i = 0; i < list.length; i += 6) {
      const els: string[] = [group];
      for (const a of list.slice(i, i + 6)) els.push(x12Id(a.reason, 5), formatAmount(a.amountCents), '');
      out.push(seg('CAS', ...els));
    }
  }
  if (out.length > 5) throw new X12BuildError('too_many_adjustments', `${what}: at most five CAS segments`);
  return out;
}

/**
 * Loop 2430 line adjudication information (837I X223A2 / 837P X222A1): SVD (payer id, paid amount, the procedure
 * adjudicated with its modifiers, on the 837I the revenue code, paid units), its CAS, and DTP*573 the adjudication
 * date (required). An 837I line paid by revenue code only reports it in SVD03 with qualifier NU (as the 835 SVC01
 * does) and in SVD04. At most 15 per line (TR3 repeat); the line's charge less the paid amount must equal the CAS.
 */
export function lineAdjudicationLoops(
  kind: Claim837['kind'],
  line: number,
  chargeCents: number,
  list: readonly LineAdjudication[],
): Segment[] {
  if (list.length > 15) throw new X12BuildError('too_many_adjudications', `line ${String(line)}: at most 15 line adjudications (2430)`);
  const out: Segment[] = [];
  for (const a of list) {
    const mods = (a.modifiers ?? []).slice(0, 4).map((m) => x12Id(m, 2));
    const proc = a.procedureCode
      ? composite('HC', x12Id(a.procedureCode, 48), ...mods)
      : kind === '837I' && a.revenueCode
        ? composite('NU', x12Id(a.revenueCode, 4).padStart(4, '0'))
        : '';
    if (!proc)
      throw new X12BuildError('line_adjudication_procedure_required', `line ${String(line)}: SVD03 needs the adjudicated procedure`);
    const adjusted = a.adjustments.reduce((t, x) => t + x.amountCents, 0);
    if (chargeCents - a.paidCents !== adjusted)
      throw new X12BuildError(
        'line_adjudication_unbalanced',
        `line ${String(line)}: charge less paid ${formatAmount(chargeCents - a.paidCents)} differs from the adjustments ${formatAmount(adjusted)}`,
      );
    out.push(
      seg(
        'SVD',
        x12Id(a.payerId, 80),
        formatAmount(a.paidCents),
        proc,
        kind === '837I' && a.revenueCode ? x12Id(a.revenueCode, 4).padStart(4, '0') : '',
        String(a.units),
      ),
    );
    out.push(...casSegments(a.adjustments, `line ${String(line)} adjustments (2430 CAS)`));
    out.push(seg('DTP', '573', 'D8', d8(a.adjudicationDate)));
  }
  return out;
}

/** Line charges must add up to the claim total (CLM02 = sum of SV203 / SV102, TR3 2300 CLM02 note). */
export function checkTotals(total: number, lines: { chargeCents: number }[]): void {
  if (lines.length === 0) throw new X12BuildError('lines_required', 'a claim needs at least one service line');
  if (lines.length > 999) throw new X12BuildError('too_many_lines', 'a claim may carry at most 999 service lines (837I) / 50 (837P)');
  let sum = 0;
  for (const l of lines) {
    if (!Number.isSafeInteger(l.chargeCents) || l.chargeCents < 0)
      throw new X12BuildError('line_charge_invalid', 'line charges must be whole cents, not negative');
    sum += l.chargeCents;
  }
  if (sum !== total)
    throw new X12BuildError('total_mismatch', `line charges add up to ${formatAmount(sum)}, the claim total is ${formatAmount(total)}`);
}
