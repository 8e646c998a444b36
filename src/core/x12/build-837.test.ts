import { X12Parser } from 'node-x12';
import { describe, expect, it } from 'vitest';
import {
  envelopeOptions,
  makeInpatientClaim,
  makeNewbornClaim,
  makeOutpatientClaim,
  makeProfessionalClaim,
  makeSecondaryClaim,
} from './build-837-fixtures.test-support.js';
import { buildInterchange837 } from './envelope.js';
import type { Claim837, Claim837Kind } from './build-837-types.js';
import { isX12BasicText } from './x12-text.js';

/** The interchange as node-x12 (an independent reader, strict mode) reads it: each transaction's segments as `TAG*e1*e2`. */
function readBack(text: string): { isa: string[]; gs: string[]; transactions: string[][] } {
  const interchange = new X12Parser(true).parse(text);
  if (!('functionalGroups' in interchange)) throw new Error('not one interchange');
  const group = interchange.functionalGroups[0];
  if (!group || interchange.functionalGroups.length !== 1) throw new Error('expected one functional group');
  return {
    isa: interchange.header.elements.map((e) => e.value),
    gs: group.header.elements.map((e) => e.value),
    transactions: group.transactions.map((t) => [
      `ST*${t.header.elements.map((e) => e.value).join('*')}`,
      ...t.segments.map((s) => [s.tag, ...s.elements.map((e) => e.value)].join('*')),
      `SE*${t.trailer.elements.map((e) => e.value).join('*')}`,
    ]),
  };
}

function build(kind: Claim837Kind, claims: Claim837[], n = 1) {
  const r = buildInterchange837(kind, claims, envelopeOptions(n));
  if (!r.text) throw new Error(JSON.stringify(r.results));
  return { ...r, text: r.text, read: readBack(r.text) };
}

const only = (tx: string[] | undefined, tag: string): string[] => (tx ?? []).filter((s) => s.startsWith(`${tag}*`));

describe('837I (005010X223A2) as an independent reader reads it', () => {
  it('writes an inpatient claim segment by segment as the TR3 lays out its loops', () => {
    const { read, text } = build('837I', [makeInpatientClaim()]);
    expect(read.gs[7]).toBe('005010X223A2');
    expect(read.transactions[0]).toEqual([
      'ST*837*0001*005010X223A2',
      'BHT*0019*00*1-0001*20260302*1405*CH',
      'NM1*41*2*CUSTODIAN GENERAL HOSPITAL*****46*CGH0001', // 1000A submitter
      'PER*IC*BILLING OFFICE*TE*5550102000',
      'NM1*40*2*EXAMPLE CLEARINGHOUSE*****46*CLEARHOUSE1', // 1000B receiver
      'HL*1**20*1', // 2000A billing provider
      'PRV*BI*PXC*282N00000X',
      'NM1*85*2*CUSTODIAN GENERAL HOSPITAL*****XX*1234567893', // 2010AA
      'N3*100 MAIN STREET',
      'N4*SPRINGFIELD*IL*627011234', // ZIP+4, nine digits
      'REF*EI*123456789',
      'HL*2*1*22*0', // 2000B subscriber, no child HL: the patient is the subscriber
      'SBR*P*18*******MA',
      'NM1*IL*1*PENA*JOSE****MI*1EG4TE5MK72', // 2010BA, accents transliterated
      'N3*12 OAK AVENUE',
      'N4*SPRINGFIELD*IL*62704',
      'DMG*D8*19480517*M',
      'NM1*PR*2*MEDICARE PART A*****PI*00430', // 2010BB
      'CLM*ACCT1001*12540.5***11:A:1**A*Y*Y', // 2300
      'DTP*096*TM*1400',
      'DTP*434*RD8*20260220-20260224',
      'DTP*435*DT*202602200830',
      'CL1*1*7*01',
      'REF*EA*MRN0001',
      'HI*ABK:I5023:::::::Y',
      'HI*ABJ:R0602',
      'HI*DR:291',
      'HI*ABF:N184:::::::Y*ABF:E1122:::::::Y*ABF:Z7984', // exempt POA left blank
      'HI*BBR:02HV33Z:D8:20260221',
      'HI*BBQ:5A1935Z:D8:20260221',
      'HI*BI:74:RD8:20260222-20260222',
      'HI*BH:11:D8:20260218',
      'HI*BE:80:::4',
      'HI*BG:39',
      'NM1*71*1*SMITH*ANNA****XX*1987654328', // 2310A attending
      'PRV*AT*PXC*207RC0000X',
      'NM1*72*1*JONES*OMAR****XX*1555555550', // 2310B operating
      'LX*1', // 2400
      'SV2*0120**10040*DA*4',
      'LX*2',
      'SV2*0250**2500.5*UN*12',
      'SE*42*0001',
    ]);
    expect(text.charCodeAt(0)).toBe('I'.charCodeAt(0)); // no byte-order mark
    expect(isX12BasicText(text)).toBe(true);
  });

  it('writes an outpatient claim with HCPCS, modifiers, line dates and the reason for visit, no DRG or admission', () => {
    const tx = build('837I', [makeOutpatientClaim()]).read.transactions[0];
    expect(tx).toContain('CLM*ACCT2001*985.25***13:A:1**A*Y*Y');
    expect(tx).toContain('HI*APR:M25531');
    expect(only(tx, 'SV2')).toEqual(['SV2*0450*HC:99284:25*650*UN*1', 'SV2*0320*HC:73090:RT*335.25*UN*1']);
    expect(only(tx, 'DTP').filter((s) => s.startsWith('DTP*472'))).toEqual(['DTP*472*D8*20260301', 'DTP*472*D8*20260301']);
    expect(tx?.some((s) => s.startsWith('HI*DR') || s.startsWith('DTP*435'))).toBe(false);
  });

  it('writes a secondary claim with the primary payer in 2320/2330 and its payment and adjustments', () => {
    const tx = build('837I', [makeSecondaryClaim()]).read.transactions[0] ?? [];
    expect(tx).toContain('SBR*S*18*******CI');
    const from = tx.indexOf('SBR*P*18*******MA');
    expect(from).toBeGreaterThan(tx.findIndex((s) => s.startsWith('CLM*')));
    expect(tx.slice(from, from + 8)).toEqual([
      'SBR*P*18*******MA', // 2320
      'CAS*CO*45*3000',
      'CAS*PR*1*540.5',
      'AMT*D*9000',
      'OI***Y***Y',
      'NM1*IL*1*PENA*JOSE****MI*1EG4TE5MK72', // 2330A
      'NM1*PR*2*MEDICARE PART A*****PI*00430', // 2330B
      'DTP*573*D8*20260320',
    ]);
    expect(tx[from + 8]).toBe('LX*1');
  });

  it('writes a newborn under the mother as subscriber: 2000C patient loop, HL child flag, birth weight value code', () => {
    const tx = build('837I', [makeNewbornClaim()]).read.transactions[0] ?? [];
    const hl2 = tx.indexOf('HL*2*1*22*1');
    expect(tx.slice(hl2, hl2 + 10)).toEqual([
      'HL*2*1*22*1',
      'SBR*P**GRP100******CI',
      'NM1*IL*1*GARCIA*MARIA****MI*ACM5550',
      'NM1*PR*2*ACME HEALTH PLAN*****PI*ACME1',
      'HL*3*2*23*0', // 2000C
      'PAT*19',
      'NM1*QC*1*GARCIA*BABY GIRL',
      'N3*12 OAK AVENUE',
      'N4*SPRINGFIELD*IL*62704',
      'DMG*D8*20260220*F',
    ]);
    expect(tx).toContain('CL1*4*5*01');
    expect(tx).toContain('HI*BE:54:::3250');
    expect(tx).toContain('HI*DR:795');
  });

  it('splits more than twelve other diagnoses over two HI segments and refuses more than 24', () => {
    const otherDx = Array.from({ length: 13 }, (_, i) => ({ code: `E11${String(i).padStart(2, '0')}`, poa: 'Y' }));
    const tx = build('837I', [makeInpatientClaim({ otherDx })]).read.transactions[0] ?? [];
    const his = tx.filter((s) => s.startsWith('HI*ABF'));
    expect(his.map((s) => s.split('*').length - 1)).toEqual([12, 1]);
    const tooMany = Array.from({ length: 25 }, () => ({ code: 'E119', poa: 'Y' }));
    const r = buildInterchange837('837I', [makeInpatientClaim({ otherDx: tooMany })], envelopeOptions());
    expect(r.results[0]?.error?.code).toBe('too_many_codes');
  });
});

describe('837P (005010X222A1) as an independent reader reads it', () => {
  it('writes a professional claim with rendering provider, modifiers and diagnosis pointers', () => {
    const { read } = build('837P', [makeProfessionalClaim()]);
    expect(read.gs[7]).toBe('005010X222A1');
    const tx = read.transactions[0] ?? [];
    const clm = tx.findIndex((s) => s.startsWith('CLM*'));
    expect(tx.slice(clm)).toEqual([
      'CLM*PRO4001*210***11:B:1*Y*A*Y*Y',
      'HI*ABK:J0190*ABF:R059',
      'NM1*82*1*SMITH*ANNA****XX*1987654328', // 2310B rendering
      'PRV*PE*PXC*207Q00000X',
      'LX*1',
      'SV1*HC:99214:25*150*UN*1***1:2',
      'DTP*472*D8*20260301',
      'LX*2',
      'SV1*HC:87880:QW*60*UN*1***1',
      'DTP*472*D8*20260301',
      `SE*${String(tx.length)}*0001`,
    ]);
  });

  it('writes a secondary professional claim with the other payer loops', () => {
    const base = makeSecondaryClaim();
    const claim = makeProfessionalClaim({ destination: base.destination, otherCoverages: base.otherCoverages ?? [] });
    const tx = build('837P', [claim]).read.transactions[0] ?? [];
    expect(tx).toContain('OI***Y*P**Y');
    expect(tx).toContain('AMT*D*9000');
    expect(tx.indexOf('SBR*P*18*******MA')).toBeLessThan(tx.indexOf('LX*1'));
  });

  it('writes a newborn professional claim under the mother as subscriber (2000C) and an inpatient place of service', () => {
    const nb = makeNewbornClaim();
    const claim = makeProfessionalClaim({
      patientControlNumber: 'PRO5001',
      destination: nb.destination,
      patient: nb.patient ?? null,
      placeOfService: '21',
      principalDx: { code: 'Z3800' },
      otherDx: [],
      totalChargeCents: 25_000,
      lines: [
        { procedureCode: '99460', chargeCents: 25_000, unitBasis: 'UN', units: 1, diagnosisPointers: [1], serviceDate: '2026-02-20' },
      ],
    });
    const tx = build('837P', [claim]).read.transactions[0] ?? [];
    const hl3 = tx.indexOf('HL*3*2*23*0');
    expect(tx.slice(hl3, hl3 + 3)).toEqual(['HL*3*2*23*0', 'PAT*19', 'NM1*QC*1*GARCIA*BABY GIRL']);
    expect(tx).toContain('HL*2*1*22*1');
    expect(tx).toContain('CLM*PRO5001*250***21:B:1*Y*A*Y*Y');
    expect(tx).toContain('SV1*HC:99460*250*UN*1***1');
  });

  it('refuses a pointer to a diagnosis the claim does not carry', () => {
    const c = makeProfessionalClaim();
    const bad = { ...c, lines: [{ ...c.lines[0]!, diagnosisPointers: [3] }, c.lines[1]!] };
    const r = buildInterchange837('837P', [bad], envelopeOptions());
    expect(r.results[0]?.error?.code).toBe('diagnosis_pointer_invalid');
  });
});

describe('interchange envelope', () => {
  it('puts every good claim in one interchange, reports the bad one and goes on', () => {
    const bad = makeInpatientClaim({ patientControlNumber: 'BAD1', totalChargeCents: 1 });
    const r = build('837I', [makeInpatientClaim(), bad, makeNewbornClaim(), makeProfessionalClaim()], 42);
    expect(r.results.map((x) => [x.patientControlNumber, x.ok, x.error?.code ?? x.transactionControlNumber])).toEqual([
      ['ACCT1001', true, '0001'],
      ['BAD1', false, 'total_mismatch'],
      ['ACCT3001', true, '0002'],
      ['PRO4001', false, 'wrong_kind'],
    ]);
    expect(r.read.transactions.map((t) => t[0])).toEqual(['ST*837*0001*005010X223A2', 'ST*837*0002*005010X223A2']);
    expect(Number(r.read.isa[12])).toBe(42); // node-x12 reads ISA13 as a number
    expect(r.text).toContain('*00501*000000042*0*T*:~');
    expect(r.text.endsWith('GE*2*42~IEA*1*000000042~')).toBe(true);
  });

  it('counts segments in SE01 as the reader counts them, for every transaction', () => {
    const r = build('837I', [makeInpatientClaim(), makeSecondaryClaim(), makeNewbornClaim(), makeOutpatientClaim()]);
    for (const t of r.read.transactions) expect(t.at(-1)?.split('*')[1]).toBe(String(t.length));
  });

  it('writes the ISA in its fixed widths with the sender and receiver ids given', () => {
    const r = build('837P', [makeProfessionalClaim()], 7);
    const isa = r.text.slice(0, r.text.indexOf('~'));
    expect(isa.length).toBe(105);
    expect(r.read.isa.slice(4, 8)).toEqual(['ZZ', 'CGH0001        ', 'ZZ', 'CLEARHOUSE1    ']);
    expect(r.read.isa[14]).toBe('T');
  });

  it('writes nothing when no claim can go, and names each failure', () => {
    const r = buildInterchange837(
      '837I',
      [
        makeInpatientClaim({
          billingProvider: { ...makeInpatientClaim().billingProvider, address: { line1: 'x', city: 'y', state: 'IL', zip: '62701' } },
        }),
      ],
      envelopeOptions(),
    );
    expect(r.text).toBeNull();
    expect(r.results[0]?.error).toEqual({
      code: 'zip9_required',
      message: 'billing provider address: ZIP code must have nine digits (ZIP+4)',
    });
  });
});
