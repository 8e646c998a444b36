import { beforeAll, describe, expect, it } from 'vitest';
import { officialCodeSets, testDataDir } from '../../../test/support/data.js';
import { validateEncounterCodes, type CodeSets } from '../../core/codesets/index.js';
import { loadCodeEditor, type CodeEditor } from '../../core/mce/index.js';
import {
  makeInpatientClaim,
  makeNewbornClaim,
  makeOutpatientClaim,
  makeProfessionalClaim,
  makeSecondaryClaim,
} from '../../core/x12/build-837-fixtures.test-support.js';
import { BLOCKING_MCE_EDITS } from '../coding/index.js';
import { isClean, scrubClaim, type ScrubContext } from './claims-scrub.rules.js';

let editor: CodeEditor;
let sets: CodeSets;
let ctx: ScrubContext;
beforeAll(async () => {
  editor = await loadCodeEditor(testDataDir);
  sets = officialCodeSets();
  ctx = {
    today: '2026-04-01',
    mce: editor,
    blockingMceEdits: BLOCKING_MCE_EDITS,
    checkCodes: (date, diagnoses, procedures) =>
      validateEncounterCodes(sets, { date, diagnoses, procedures }).findings.filter((f) => f.severity === 'error'),
  };
}, 60_000);

const codes = (c: Parameters<typeof scrubClaim>[0]) => scrubClaim(c, ctx).map((f) => f.code);

describe('claim scrubber', () => {
  it.each([
    ['inpatient', makeInpatientClaim()],
    ['outpatient', makeOutpatientClaim()],
    ['secondary', makeSecondaryClaim()],
    ['newborn', makeNewbornClaim()],
    ['professional', makeProfessionalClaim()],
  ])('passes a clean %s claim', (_, claim) => {
    const findings = scrubClaim(claim, ctx);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(isClean(findings)).toBe(true);
  });

  it('refuses an NPI whose check digit is wrong, naming the loop', () => {
    const c = makeInpatientClaim({ attending: { lastOrOrgName: 'Smith', npi: '1987654321' } });
    expect(scrubClaim(c, ctx)).toContainEqual({
      severity: 'error',
      code: 'npi_invalid',
      loop: '2310A',
      message: 'attending provider NPI is not a valid NPI (ten digits with the check digit)',
    });
  });

  it('refuses line charges that do not add up to the total, and a five-digit billing ZIP', () => {
    const base = makeInpatientClaim();
    const c = makeInpatientClaim({
      totalChargeCents: 1,
      billingProvider: { ...base.billingProvider, address: { ...base.billingProvider.address, zip: '62701' } },
    });
    expect(codes(c)).toEqual(expect.arrayContaining(['total_mismatch', 'zip9_required']));
  });

  it('refuses dates that are not calendar dates, in the future, or reversed', () => {
    expect(codes(makeInpatientClaim({ statementTo: '2026-02-30' }))).toContain('date_invalid');
    expect(codes(makeInpatientClaim({ statementTo: '2026-05-01' }))).toContain('date_in_future');
    expect(codes(makeInpatientClaim({ statementFrom: '2026-02-25', statementTo: '2026-02-24' }))).toContain('statement_dates_reversed');
  });

  it('requires admission and attending on inpatient bills, not on outpatient ones', () => {
    expect(codes(makeInpatientClaim({ admission: null, attending: null }))).toEqual(
      expect.arrayContaining(['admission_required', 'provider_required']),
    );
    expect(codes(makeOutpatientClaim({ attending: null }))).not.toContain('provider_required');
  });

  it('reports an ICD-10-CM code that is not valid on the date of service', () => {
    const c = makeInpatientClaim({ otherDx: [{ code: 'I50', poa: 'Y' }] });
    expect(codes(c)).toContain('code_header_code');
  });

  it('runs the Medicare Code Editor on inpatient claims: a principal diagnosis repeated as secondary blocks', () => {
    const c = makeInpatientClaim({ otherDx: [{ code: 'I5023', poa: 'Y' }] });
    const f = scrubClaim(c, ctx).find((x) => x.code === 'mce_DUPLICATE_OF_PDX');
    expect(f?.severity).toBe('error');
  });

  it('does not run the MCE on outpatient bills', () => {
    const c = makeOutpatientClaim({ otherDx: [{ code: 'S52501A' }] });
    expect(codes(c).some((x) => x.startsWith('mce_'))).toBe(false);
  });

  it('requires the patient loop when the patient is not the subscriber, and the prior payment on a secondary claim', () => {
    expect(codes({ ...makeNewbornClaim(), patient: null })).toContain('patient_required');
    const s = makeSecondaryClaim();
    const noPaid = { ...s, otherCoverages: (s.otherCoverages ?? []).map((o) => ({ ...o, paidCents: null })) };
    expect(codes(noPaid)).toContain('prior_payment_required');
  });

  it('checks professional lines: code format, modifiers, pointers', () => {
    const p = makeProfessionalClaim();
    const line = p.lines[0]!;
    const c = { ...p, lines: [{ ...line, procedureCode: '9921', modifiers: ['2'], diagnosisPointers: [5] }, p.lines[1]!] };
    expect(codes(c)).toEqual(expect.arrayContaining(['procedure_code_format', 'modifier_format', 'diagnosis_pointer_invalid']));
  });

  it('says when the code sets or the MCE were not available instead of passing silently', () => {
    const f = scrubClaim(makeInpatientClaim(), { ...ctx, checkCodes: null, mce: null });
    expect(f.map((x) => [x.severity, x.code])).toEqual([
      ['warning', 'code_sets_unavailable'],
      ['warning', 'mce_unavailable'],
    ]);
  });
});
