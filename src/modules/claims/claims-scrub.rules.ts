/**
 * The claim scrubber: what must hold before a claim is released, checked on the typed claim the 837 builders read.
 * Pure. Findings carry a stable `code` (what billers and tests match on), the loop of the TR3 it concerns, and a
 * message naming the field, never a patient's value. Errors keep a claim from `ready`; warnings do not.
 *
 * Sources: X12 005010X223A2 / 005010X222A1 (required elements of the loops written), the CMS NPI standard (check
 * digit), the Medicare Code Editor (inpatient claims), code-set validity on the date of service.
 */
import { isCalendarDate } from '../../core/claim/claim.js';
import type { Claim } from '../../core/claim/claim.js';
import { CPT_CODE_PATTERN, HCPCS_CODE_PATTERN } from '../../core/codesets/index.js';
import { editClaim, type CodeEditor } from '../../core/mce/index.js';
import { X12BuildError } from '../../core/x12/build-837-common.js';
import { buildClaim837I } from '../../core/x12/build-837i.js';
import { buildClaim837P } from '../../core/x12/build-837p.js';
import type { Claim837, ClaimProvider, InstitutionalClaim, ProfessionalClaim } from '../../core/x12/build-837-types.js';
import { digitsOnly, isValidNpi } from '../../core/x12/x12-text.js';

export interface ScrubFinding {
  severity: 'error' | 'warning';
  /** Stable: `npi_invalid`, `total_mismatch`, `code_invalid_on_date`, `mce_<EDIT>`, ... */
  code: string;
  /** TR3 loop the finding concerns (2010AA, 2300, 2400, ...). */
  loop: string;
  message: string;
}

/** A code-set problem on the date of service, as the encoder reports it (severity error only is needed). */
export interface CodeProblem {
  system: 'cm' | 'pcs';
  code: string;
  rule: string;
  message: string;
}

export interface ScrubContext {
  /** Today (YYYY-MM-DD): no date on the claim may be later. */
  today: string;
  /** ICD-10-CM/PCS validation on a date; null when no code sets are loaded (then `code_sets_unavailable`). */
  checkCodes: ((date: string, diagnoses: string[], procedures: string[]) => CodeProblem[]) | null;
  /** The Medicare Code Editor, for inpatient claims (type of bill 11x); null skips it with a warning. */
  mce: CodeEditor | null;
  /** MCE edits that stop a claim (the coding module's BLOCKING_MCE_EDITS); the others warn. */
  blockingMceEdits: ReadonlySet<string>;
}

/** Claim filing indicator codes of 5010 SBR09. */
const FILING_INDICATORS = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  'AM',
  'BL',
  'CH',
  'CI',
  'DS',
  'FI',
  'HM',
  'LM',
  'MA',
  'MB',
  'MC',
  'OF',
  'TV',
  'VA',
  'WC',
  'ZZ',
]);
const RELATIONSHIPS = new Set(['01', '18', '19', '20', '21', '39', '40', '53', 'G8']);

/** True for an inpatient type of bill (11x hospital inpatient): the MCE and the admission items apply. */
export const isInpatientBill = (c: InstitutionalClaim): boolean => c.facilityTypeCode === '11';

class Findings {
  readonly list: ScrubFinding[] = [];
  error(code: string, loop: string, message: string): void {
    this.list.push({ severity: 'error', code, loop, message });
  }
  warn(code: string, loop: string, message: string): void {
    this.list.push({ severity: 'warning', code, loop, message });
  }
}

function checkProvider(f: Findings, p: ClaimProvider | null | undefined, loop: string, what: string, required: boolean): void {
  if (!p) {
    if (required) f.error('provider_required', loop, `${what} is required`);
    return;
  }
  if (!isValidNpi(p.npi)) f.error('npi_invalid', loop, `${what} NPI is not a valid NPI (ten digits with the check digit)`);
  if (!p.lastOrOrgName.trim()) f.error('name_required', loop, `${what} name is required`);
}

function checkDate(f: Findings, value: string | null | undefined, loop: string, what: string, today: string): boolean {
  if (!value) return false;
  if (!isCalendarDate(value)) {
    f.error('date_invalid', loop, `${what} is not a calendar date`);
    return false;
  }
  if (value > today) f.error('date_in_future', loop, `${what} is after today`);
  return true;
}

function checkParties(f: Findings, c: Claim837, today: string): void {
  const b = c.billingProvider;
  if (!isValidNpi(b.npi)) f.error('npi_invalid', '2010AA', 'billing provider NPI is not a valid NPI (ten digits with the check digit)');
  if (!b.name.trim()) f.error('name_required', '2010AA', 'billing provider name is required');
  if (digitsOnly(b.address.zip).length !== 9) f.error('zip9_required', '2010AA', 'billing provider ZIP code must have nine digits (ZIP+4)');
  if (digitsOnly(b.taxId).length !== 9) f.error('tax_id_invalid', '2010AA', 'billing provider tax id must be a nine-digit EIN');
  if (!b.address.line1.trim() || !b.address.city.trim() || !/^[A-Z]{2}$/.test(b.address.state))
    f.error('address_incomplete', '2010AA', 'billing provider address needs street, city and state');
  const d = c.destination;
  if (!d.payer.payerId.trim()) f.error('payer_id_required', '2010BB', 'payer id is required');
  if (!FILING_INDICATORS.has(d.payer.claimFilingIndicator))
    f.error('filing_indicator_invalid', '2000B', 'claim filing indicator (SBR09) is not a 5010 code');
  if (!d.subscriber.memberId.trim()) f.error('member_id_required', '2010BA', 'subscriber member id is required');
  if (!d.subscriber.lastOrOrgName.trim()) f.error('name_required', '2010BA', 'subscriber last name is required');
  if (!RELATIONSHIPS.has(d.relationship))
    f.error('relationship_invalid', '2000C', 'patient relationship to the subscriber is not a 5010 code');
  if (d.relationship === '18') {
    if (!d.subscriber.address) f.error('address_required', '2010BA', 'subscriber address is required when the subscriber is the patient');
    if (!d.subscriber.dateOfBirth)
      f.error('birth_date_required', '2010BA', 'subscriber date of birth is required when the subscriber is the patient');
    checkDate(f, d.subscriber.dateOfBirth, '2010BA', 'subscriber date of birth', today);
  } else if (!c.patient)
    f.error('patient_required', '2010CA', 'patient name, address, birth date and sex are required when the patient is not the subscriber');
  else checkDate(f, c.patient.dateOfBirth, '2010CA', 'patient date of birth', today);
  for (const o of c.otherCoverages ?? []) {
    if (o.sequence === d.sequence)
      f.error('payer_sequence_repeated', '2320', 'another payer has the same payer sequence as the destination payer');
    if (!o.payer.payerId.trim() || !o.subscriber.memberId.trim())
      f.error('other_payer_incomplete', '2330B', 'other payer needs its payer id and the member id');
    if (d.sequence !== 'P' && o.sequence === 'P' && o.paidCents == null)
      f.error('prior_payment_required', '2320', "a secondary claim needs the primary payer's paid amount (AMT*D)");
  }
}

function checkClaimHeader(f: Findings, c: Claim837): void {
  if (!c.patientControlNumber.trim()) f.error('control_number_required', '2300', 'patient control number (CLM01) is required');
  else if (c.patientControlNumber.length > 20)
    f.warn('control_number_long', '2300', 'patient control number over 20 characters: payers return only 20 on the 835');
  if (!['1', '7', '8'].includes(c.frequencyCode))
    f.error('frequency_invalid', '2300', 'claim frequency must be 1 (original), 7 (replacement) or 8 (void)');
  if ((c.frequencyCode === '7' || c.frequencyCode === '8') && !c.originalClaimNumber)
    f.error('original_claim_required', '2300', 'a replacement or void claim needs the payer claim control number (REF*F8)');
  let sum = 0;
  c.lines.forEach((l, i) => {
    if (!Number.isSafeInteger(l.chargeCents) || l.chargeCents < 0)
      f.error('line_charge_invalid', '2400', `line ${String(i + 1)}: charge must be a whole number of cents, not negative`);
    if (!(l.units > 0)) f.error('units_invalid', '2400', `line ${String(i + 1)}: units must be more than zero`);
    sum += l.chargeCents;
  });
  if (c.lines.length === 0) f.error('lines_required', '2400', 'a claim needs at least one service line');
  else if (sum !== c.totalChargeCents) f.error('total_mismatch', '2300', 'line charges do not add up to the claim total (CLM02)');
  if (c.totalChargeCents <= 0) f.warn('total_zero', '2300', 'the claim total is zero');
}

function checkCodes(f: Findings, ctx: ScrubContext, date: string, dx: string[], px: string[]): void {
  if (!ctx.checkCodes) {
    f.warn('code_sets_unavailable', '2300', 'code sets are not loaded: ICD-10 codes were not checked for the date of service');
    return;
  }
  for (const p of ctx.checkCodes(date, dx, px)) f.error(`code_${p.rule}`, '2300', p.message);
}

function mceClaim(c: InstitutionalClaim): Claim | null {
  const person = c.destination.relationship === '18' ? c.destination.subscriber : c.patient;
  if (!person?.dateOfBirth || !c.admission) return null;
  const admit = c.admission.date;
  const dob = person.dateOfBirth;
  const years = Number(admit.slice(0, 4)) - Number(dob.slice(0, 4)) - (admit.slice(5) < dob.slice(5) ? 1 : 0);
  const days = (a: string) => Math.max(0, Math.min(365, Math.round((Date.parse(a) - Date.parse(dob)) / 86_400_000)));
  const status = Number(c.dischargeStatus);
  return {
    id: c.patientControlNumber,
    ageYears: Math.max(0, Math.min(124, years)),
    ...(years === 0 ? { ageDaysAdmit: days(admit), ageDaysDischarge: days(c.statementTo) } : {}),
    sex: person.sex === 'M' || person.sex === 'F' ? person.sex : 'U',
    dischargeStatus: Number.isFinite(status) ? status : 0,
    principalDx: { code: c.principalDx.code, poa: (c.principalDx.poa ?? '') as Claim['principalDx']['poa'] },
    ...(c.admittingDx ? { admitDx: { code: c.admittingDx } } : {}),
    secondaryDx: c.otherDx.map((d) => ({ code: d.code, poa: (d.poa ?? '') as Claim['principalDx']['poa'] })),
    procedures: [c.principalProcedure, ...(c.otherProcedures ?? [])].flatMap((p) => (p ? [{ code: p.code }] : [])),
    dischargeDate: c.statementTo,
    lengthOfStay: Math.max(0, Math.round((Date.parse(c.statementTo) - Date.parse(admit)) / 86_400_000)),
  };
}

function checkInstitutional(f: Findings, c: InstitutionalClaim, ctx: ScrubContext): void {
  if (!/^\d{2}$/.test(c.facilityTypeCode))
    f.error('bill_type_invalid', '2300', 'type of bill (facility type code, CLM05-1) must be two digits');
  if (!/^\d{2}$/.test(c.dischargeStatus))
    f.error('discharge_status_invalid', '2300', 'patient discharge status (CL103) must be two digits');
  const from = checkDate(f, c.statementFrom, '2300', 'statement from date', ctx.today);
  const to = checkDate(f, c.statementTo, '2300', 'statement through date', ctx.today);
  if (from && to && c.statementFrom > c.statementTo)
    f.error('statement_dates_reversed', '2300', 'statement from date is after the through date');
  const inpatient = isInpatientBill(c);
  if (inpatient) {
    if (!c.admission) f.error('admission_required', '2300', 'inpatient claims need the admission date, type and source (DTP*435, CL1)');
    else if (checkDate(f, c.admission.date, '2300', 'admission date', ctx.today) && to && c.admission.date > c.statementTo)
      f.error('admission_after_discharge', '2300', 'admission date is after the statement through date');
    checkProvider(f, c.attending, '2310A', 'attending provider', true);
    if (!c.drg) f.warn('drg_missing', '2300', 'inpatient claim without an MS-DRG (HI*DR)');
    for (const d of [c.principalDx, ...c.otherDx])
      if (!d.poa)
        f.warn(
          'poa_missing',
          '2300',
          `diagnosis ${String([c.principalDx, ...c.otherDx].indexOf(d) + 1)}: no POA indicator (blank is reported as exempt)`,
        );
  } else checkProvider(f, c.attending, '2310A', 'attending provider', false);
  checkProvider(f, c.operating, '2310B', 'operating provider', false);
  if (c.otherDx.length > 24) f.error('too_many_codes', '2300', 'at most 24 other diagnoses on an 837I');
  if ((c.otherProcedures ?? []).length > 24) f.error('too_many_codes', '2300', 'at most 24 other procedures on an 837I');
  c.lines.forEach((l, i) => {
    const n = String(i + 1);
    if (!/^\d{4}$/.test(l.revenueCode)) f.error('revenue_code_invalid', '2400', `line ${n}: revenue code must be four digits`);
    if (!inpatient && !l.hcpcs && !/^01\d\d$/.test(l.revenueCode))
      f.warn('hcpcs_missing', '2400', `line ${n}: outpatient line without a HCPCS code`);
    if (l.hcpcs && !HCPCS_CODE_PATTERN.test(l.hcpcs) && !CPT_CODE_PATTERN.test(l.hcpcs))
      f.error('hcpcs_format', '2400', `line ${n}: not a HCPCS Level II or CPT code`);
    if (
      l.serviceDate &&
      checkDate(f, l.serviceDate, '2400', `line ${n} service date`, ctx.today) &&
      (l.serviceDate < c.statementFrom || l.serviceDate > c.statementTo)
    )
      f.error('line_date_outside_statement', '2400', `line ${n}: service date outside the statement period`);
    if (!inpatient && !l.serviceDate && c.statementFrom !== c.statementTo)
      f.error('line_date_required', '2400', `line ${n}: outpatient lines need a service date when the statement covers more than one day`);
  });
  const procedures = [c.principalProcedure, ...(c.otherProcedures ?? [])].flatMap((p) => (p ? [p] : []));
  for (const p of procedures)
    if (checkDate(f, p.date, '2300', 'procedure date', ctx.today) && (p.date > c.statementTo || (c.admission && p.date < c.admission.date)))
      f.warn('procedure_date_outside_stay', '2300', 'a procedure date falls outside the stay');
  const dx = [c.principalDx.code, ...c.otherDx.map((d) => d.code), ...(c.admittingDx ? [c.admittingDx] : []), ...(c.reasonForVisit ?? [])];
  if (to)
    checkCodes(
      f,
      ctx,
      c.statementTo,
      [...new Set(dx)],
      procedures.map((p) => p.code),
    );
  if (inpatient) checkMce(f, c, ctx);
}

function checkMce(f: Findings, c: InstitutionalClaim, ctx: ScrubContext): void {
  if (!ctx.mce) {
    f.warn('mce_unavailable', '2300', 'Medicare Code Editor tables are not loaded: inpatient edits were not run');
    return;
  }
  const claim = mceClaim(c);
  if (!claim) return; // admission or birth date missing: reported above
  const r = editClaim(ctx.mce, claim);
  if (r.editType === 'INVALID_DISCHARGE_DATE') {
    f.warn('mce_date_outside_release', '2300', 'the discharge date is outside the Medicare Code Editor release loaded');
    return;
  }
  for (const name of Object.keys(r.edits)) {
    const message = `Medicare Code Editor: ${name.toLowerCase().replace(/_/g, ' ')}`;
    if (ctx.blockingMceEdits.has(name)) f.error(`mce_${name}`, '2300', message);
    else f.warn(`mce_${name}`, '2300', message);
  }
}

function checkProfessional(f: Findings, c: ProfessionalClaim, ctx: ScrubContext): void {
  if (!/^\d{2}$/.test(c.placeOfService)) f.error('place_of_service_invalid', '2300', 'place of service (CLM05-1) must be two digits');
  checkProvider(f, c.rendering, '2310B', 'rendering provider', false);
  checkProvider(f, c.referring, '2310A', 'referring provider', false);
  if (c.otherDx.length > 11) f.error('too_many_codes', '2300', 'at most 12 diagnoses on an 837P');
  if (c.lines.length > 50) f.error('too_many_lines', '2400', 'at most 50 service lines on an 837P');
  const dxCount = 1 + c.otherDx.length;
  let last = '';
  c.lines.forEach((l, i) => {
    const n = String(i + 1);
    if (!HCPCS_CODE_PATTERN.test(l.procedureCode) && !CPT_CODE_PATTERN.test(l.procedureCode))
      f.error('procedure_code_format', '2400', `line ${n}: not a HCPCS Level II or CPT code`);
    if ((l.modifiers ?? []).some((m) => !/^[A-Z0-9]{2}$/.test(m)))
      f.error('modifier_format', '2400', `line ${n}: modifiers are two letters or digits`);
    if (l.diagnosisPointers.length < 1 || l.diagnosisPointers.length > 4 || l.diagnosisPointers.some((p) => p < 1 || p > dxCount))
      f.error('diagnosis_pointer_invalid', '2400', `line ${n}: one to four diagnosis pointers, each naming a diagnosis on the claim`);
    if (checkDate(f, l.serviceDate, '2400', `line ${n} service date`, ctx.today) && l.serviceDate > last) last = l.serviceDate;
  });
  if (last) checkCodes(f, ctx, last, [c.principalDx.code, ...c.otherDx.map((d) => d.code)], []);
}

/** Whatever the builder itself would refuse (so a claim the scrubber passes always writes). */
function checkWritable(f: Findings, c: Claim837): void {
  if (f.list.some((x) => x.severity === 'error')) return;
  const ctx = {
    controlNumber: '0001',
    reference: 'SCRUB',
    createdAt: new Date(0),
    submission: { submitterName: 'X', submitterId: 'X', submitterContact: { name: 'X', phone: '0' }, receiverName: 'X', receiverId: 'X' },
  };
  try {
    if (c.kind === '837I') buildClaim837I(c, ctx);
    else buildClaim837P(c, ctx);
  } catch (e) {
    if (!(e instanceof X12BuildError)) throw e;
    f.error(e.code, '2300', e.message);
  }
}

/** All findings on one claim, errors first, in the order of the loops. */
export function scrubClaim(c: Claim837, ctx: ScrubContext): ScrubFinding[] {
  const f = new Findings();
  checkParties(f, c, ctx.today);
  checkClaimHeader(f, c);
  if (c.kind === '837I') checkInstitutional(f, c, ctx);
  else checkProfessional(f, c, ctx);
  checkWritable(f, c);
  return [...f.list.filter((x) => x.severity === 'error'), ...f.list.filter((x) => x.severity === 'warning')];
}

/** True when nothing stops the claim from release. */
export const isClean = (findings: readonly ScrubFinding[]): boolean => findings.every((x) => x.severity !== 'error');
