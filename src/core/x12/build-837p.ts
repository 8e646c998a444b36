/**
 * Professional claim, X12 837P 005010X222A1: one transaction set (ST..SE) for one claim. Loops 1000A/B, 2000A
 * (2010AA/AB), 2000B (2010BA/BB), 2000C (2010CA), 2300 (CLM, REF, HI with up to twelve diagnoses), 2310A referring,
 * 2310B rendering, 2310C service facility, 2320/2330A/2330B for each other payer, 2400 (LX, SV1 with modifiers and
 * diagnosis pointers, DTP*472), 2430 (SVD, CAS, DTP*573) per prior payer.
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
import type { TransactionContext } from './build-837i.js';
import type { ProfessionalClaim } from './build-837-types.js';
import { d8, digitsOnly, formatAmount, formatQuantity, x12Text } from './x12-text.js';

const code = (c: string): string => x12Id(c.replace(/\./g, ''), 30);

function claimLoop(c: ProfessionalClaim): Segment[] {
  const out: Segment[] = [
    seg(
      'CLM',
      x12Id(c.patientControlNumber, 38),
      formatAmount(c.totalChargeCents),
      '',
      '',
      composite(x12Id(c.placeOfService, 2), 'B', x12Id(c.frequencyCode, 1)),
      'Y',
      'A',
      'Y',
      'Y',
    ),
  ];
  out.push(...originalClaimRef(c));
  if (c.medicalRecordNumber) out.push(seg('REF', 'EA', x12Id(c.medicalRecordNumber, 50)));
  // TR3 2300 HI: one segment, the principal (ABK) and up to eleven others (ABF); pointers in SV107 index these twelve.
  if (c.otherDx.length > 11) throw new X12BuildError('too_many_codes', 'diagnoses: at most 12 on an 837P claim');
  out.push(seg('HI', composite('ABK', code(c.principalDx.code)), ...c.otherDx.map((d) => composite('ABF', code(d.code)))));
  if (c.referring) out.push(...providerLoop('DN', c.referring));
  if (c.rendering) out.push(...providerLoop('82', c.rendering, 'PE'));
  if (c.serviceFacility) {
    const f = c.serviceFacility;
    out.push(seg('NM1', '77', '2', x12Text(f.name), '', '', '', '', f.npi ? 'XX' : '', f.npi ?? ''));
    out.push(seg('N3', x12Text(f.address.line1, 55), f.address.line2 ? x12Text(f.address.line2, 55) : ''));
    out.push(seg('N4', x12Text(f.address.city, 30), x12Text(f.address.state, 2), digitsOnly(f.address.zip)));
  }
  for (const o of c.otherCoverages ?? []) out.push(...otherSubscriberLoops(o, seg('OI', '', '', 'Y', 'P', '', 'Y')));
  return out;
}

function serviceLines(c: ProfessionalClaim): Segment[] {
  const dxCount = 1 + c.otherDx.length;
  const out: Segment[] = [];
  c.lines.forEach((l, i) => {
    const n = String(i + 1);
    const mods = l.modifiers ?? [];
    if (mods.length > 4) throw new X12BuildError('too_many_modifiers', `line ${n}: at most four modifiers`);
    const ptrs = l.diagnosisPointers;
    if (ptrs.length < 1 || ptrs.length > 4 || ptrs.some((p) => !Number.isInteger(p) || p < 1 || p > dxCount))
      throw new X12BuildError(
        'diagnosis_pointer_invalid',
        `line ${n}: one to four diagnosis pointers, each naming a diagnosis on the claim`,
      );
    out.push(seg('LX', n));
    out.push(
      seg(
        'SV1',
        composite('HC', x12Id(l.procedureCode, 48), ...mods.map((m) => x12Id(m, 2))),
        formatAmount(l.chargeCents),
        l.unitBasis,
        formatQuantity(l.units),
        l.placeOfService && l.placeOfService !== c.placeOfService ? x12Id(l.placeOfService, 2) : '',
        '',
        composite(...ptrs.map(String)),
      ),
    );
    out.push(seg('DTP', '472', 'D8', d8(l.serviceDate)));
    out.push(...lineAdjudicationLoops('837P', i + 1, l.chargeCents, l.adjudications ?? []));
  });
  return out;
}

/** The ST..SE segments of one 837P claim. Throws `X12BuildError` for what the TR3 cannot carry. */
export function buildClaim837P(c: ProfessionalClaim, ctx: TransactionContext): Segment[] {
  checkTotals(c.totalChargeCents, c.lines);
  if (c.lines.length > 50) throw new X12BuildError('too_many_lines', 'an 837P claim carries at most 50 service lines');
  const body: Segment[] = [
    ...headerLoops('837P', ctx.controlNumber, ctx.reference, ctx.createdAt, ctx.submission),
    ...billingProviderLoops(c.billingProvider),
    ...subscriberLoops(c, c.destination.payer.claimFilingIndicator),
    ...claimLoop(c),
    ...serviceLines(c),
  ];
  body.push(seg('SE', String(body.length + 1), ctx.controlNumber));
  return body;
}
