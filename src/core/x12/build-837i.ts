/**
 * Institutional claim, X12 837I 005010X223A2: one transaction set (ST..SE) for one claim. Loops 1000A/B, 2000A
 * (2010AA/AB), 2000B (2010BA/BB), 2000C (2010CA) when the patient is not the subscriber, 2300 (CLM, DTP 096/434/435,
 * CL1, REF, HI, 2310A/B/C), 2320/2330A/2330B for each other payer, 2400 (LX, SV2, DTP*472), 2430 (SVD, CAS, DTP*573) per prior payer.
 */
import {
  X12BuildError,
  billingProviderLoops,
  checkTotals,
  composite,
  headerLoops,
  lineAdjudicationLoops,
  originalClaimRef,
  otherSubscriberLoops,
  providerLoop,
  seg,
  subscriberLoops,
  x12Id,
  type Segment,
} from './build-837-common.js';
import type { CodedDx, InstitutionalClaim, Submission } from './build-837-types.js';
import { d8, formatAmount, formatQuantity, rd8 } from './x12-text.js';

/** What a transaction set needs besides the claim: its control number, a reference and the time it is made. */
export interface TransactionContext {
  /** ST02/SE02, unique within the functional group (4 to 9 digits). */
  controlNumber: string;
  /** BHT03, the originator's reference for this transaction. */
  reference: string;
  createdAt: Date;
  submission: Submission;
}

/** POA in 5010: Y, N, U, W; an exempt code ('1' in the abstract) is reported with the indicator left blank. */
const poaOf = (d: CodedDx): string => (d.poa === 'Y' || d.poa === 'N' || d.poa === 'U' || d.poa === 'W' ? d.poa : '');
const code = (c: string): string => x12Id(c.replace(/\./g, ''), 30);

/** Composites of one kind split into HI segments of twelve, at most `maxSegments` of them. */
function hiSegments(what: string, items: string[], maxSegments: number): Segment[] {
  if (items.length > maxSegments * 12) throw new X12BuildError('too_many_codes', `${what}: at most ${String(maxSegments * 12)} on an 837I`);
  const out: Segment[] = [];
  for (let i = 0; i < items.length; i += 12) out.push(seg('HI', ...items.slice(i, i + 12)));
  return out;
}

function hiLoop(c: InstitutionalClaim): Segment[] {
  const out: Segment[] = [seg('HI', composite('ABK', code(c.principalDx.code), '', '', '', '', '', '', poaOf(c.principalDx)))];
  if (c.admittingDx) out.push(seg('HI', composite('ABJ', code(c.admittingDx))));
  const rfv = c.reasonForVisit ?? [];
  if (rfv.length > 3) throw new X12BuildError('too_many_codes', 'patient reason for visit: at most 3 on an 837I');
  if (rfv.length > 0) out.push(seg('HI', ...rfv.map((r) => composite('APR', code(r)))));
  const ecs = (c.externalCauses ?? []).map((d) => composite('ABN', code(d.code), '', '', '', '', '', '', poaOf(d)));
  out.push(...hiSegments('external cause of injury codes', ecs, 1));
  if (c.drg) out.push(seg('HI', composite('DR', x12Id(c.drg, 4))));
  const other = c.otherDx.map((d) => composite('ABF', code(d.code), '', '', '', '', '', '', poaOf(d)));
  out.push(...hiSegments('other diagnoses', other, 2));
  if (c.principalProcedure) out.push(seg('HI', composite('BBR', code(c.principalProcedure.code), 'D8', d8(c.principalProcedure.date))));
  else if ((c.otherProcedures ?? []).length > 0)
    throw new X12BuildError('principal_procedure_required', 'other procedures need a principal procedure');
  const procs = (c.otherProcedures ?? []).map((p) => composite('BBQ', code(p.code), 'D8', d8(p.date)));
  out.push(...hiSegments('other procedures', procs, 2));
  const spans = (c.occurrenceSpans ?? []).map((s) => composite('BI', x12Id(s.code, 2), 'RD8', rd8(s.from, s.to)));
  out.push(...hiSegments('occurrence span codes', spans, 2));
  const occ = (c.occurrences ?? []).map((o) => composite('BH', x12Id(o.code, 2), 'D8', d8(o.date)));
  out.push(...hiSegments('occurrence codes', occ, 2));
  const values = (c.valueCodes ?? []).map((v) => composite('BE', x12Id(v.code, 2), '', '', formatAmount(v.amountCents)));
  out.push(...hiSegments('value codes', values, 2));
  const conditions = (c.conditionCodes ?? []).map((cc) => composite('BG', x12Id(cc, 2)));
  out.push(...hiSegments('condition codes', conditions, 2));
  return out;
}

function claimLoop(c: InstitutionalClaim): Segment[] {
  const out: Segment[] = [
    seg(
      'CLM',
      x12Id(c.patientControlNumber, 38),
      formatAmount(c.totalChargeCents),
      '',
      '',
      composite(x12Id(c.facilityTypeCode, 2), 'A', x12Id(c.frequencyCode, 1)),
      '',
      'A',
      'Y',
      'Y',
    ),
  ];
  if (c.dischargeHour) out.push(seg('DTP', '096', 'TM', c.dischargeHour.replace(':', '')));
  out.push(seg('DTP', '434', 'RD8', rd8(c.statementFrom, c.statementTo)));
  if (c.admission) {
    const a = c.admission;
    out.push(a.hour ? seg('DTP', '435', 'DT', d8(a.date) + a.hour.replace(':', '')) : seg('DTP', '435', 'D8', d8(a.date)));
  }
  out.push(
    seg(
      'CL1',
      c.admission ? x12Id(c.admission.typeCode, 1) : '',
      c.admission ? x12Id(c.admission.sourceCode, 1) : '',
      x12Id(c.dischargeStatus, 2),
    ),
  );
  out.push(...originalClaimRef(c));
  if (c.medicalRecordNumber) out.push(seg('REF', 'EA', x12Id(c.medicalRecordNumber, 50)));
  out.push(...hiLoop(c));
  if (c.attending) out.push(...providerLoop('71', c.attending, 'AT'));
  if (c.operating) out.push(...providerLoop('72', c.operating));
  if (c.otherOperating) out.push(...providerLoop('ZZ', c.otherOperating));
  for (const o of c.otherCoverages ?? []) out.push(...otherSubscriberLoops(o, seg('OI', '', '', 'Y', '', '', 'Y')));
  return out;
}

function serviceLines(c: InstitutionalClaim): Segment[] {
  const out: Segment[] = [];
  c.lines.forEach((l, i) => {
    const mods = l.modifiers ?? [];
    if (mods.length > 4) throw new X12BuildError('too_many_modifiers', `line ${String(i + 1)}: at most four modifiers`);
    out.push(seg('LX', String(i + 1)));
    out.push(
      seg(
        'SV2',
        x12Id(l.revenueCode, 4).padStart(4, '0'),
        l.hcpcs ? composite('HC', x12Id(l.hcpcs, 48), ...mods.map((m) => x12Id(m, 2))) : '',
        formatAmount(l.chargeCents),
        l.unitBasis,
        formatQuantity(l.units),
        '',
        l.nonCoveredCents ? formatAmount(l.nonCoveredCents) : '',
      ),
    );
    if (l.serviceDate) out.push(seg('DTP', '472', 'D8', d8(l.serviceDate)));
    out.push(...lineAdjudicationLoops('837I', i + 1, l.chargeCents, l.adjudications ?? []));
  });
  return out;
}

/** The ST..SE segments of one 837I claim. Throws `X12BuildError` for what the TR3 cannot carry. */
export function buildClaim837I(c: InstitutionalClaim, ctx: TransactionContext): Segment[] {
  checkTotals(c.totalChargeCents, c.lines);
  if (c.lines.length > 999) throw new X12BuildError('too_many_lines', 'an 837I claim carries at most 999 service lines');
  const body: Segment[] = [
    ...headerLoops('837I', ctx.controlNumber, ctx.reference, ctx.createdAt, ctx.submission),
    ...billingProviderLoops(c.billingProvider),
    ...subscriberLoops(c, c.destination.payer.claimFilingIndicator),
    ...claimLoop(c),
    ...serviceLines(c),
  ];
  body.push(seg('SE', String(body.length + 1), ctx.controlNumber));
  return body;
}
