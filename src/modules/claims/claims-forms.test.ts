import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { decodeGif, encodePng } from '../../core/forms/gif-png.js';
import type { InstitutionalClaim, ProfessionalClaim } from '../../core/x12/build-837-types.js';
import { renderCms1500, renderUb04 } from './claims-forms.js';
import { pdfStreams } from './claims-forms.test-support.js';
import { FORMS_DIR } from './claims-work.service.js';

const claim: InstitutionalClaim = {
  kind: '837I',
  patientControlNumber: 'A100005I1',
  totalChargeCents: 1_201_500,
  frequencyCode: '1',
  medicalRecordNumber: '1000005',
  billingProvider: {
    name: 'Custodian General Hospital',
    npi: '1660432109',
    taxId: '041234567',
    address: { line1: '55 Fruit Street', city: 'Boston', state: 'MA', zip: '021142696' },
  },
  destination: {
    sequence: 'P',
    relationship: '18',
    payer: { name: 'Medicare Part A', payerId: '00450', claimFilingIndicator: 'MA' },
    subscriber: { lastOrOrgName: 'Pena', firstName: 'Jose', memberId: '1EG4TE5MK72', dateOfBirth: '1948-05-17', sex: 'M' },
  },
  principalDx: { code: 'I5023', poa: 'Y' },
  otherDx: [{ code: 'N1831', poa: 'Y' }],
  facilityTypeCode: '11',
  statementFrom: '2026-03-01',
  statementTo: '2026-03-05',
  dischargeStatus: '01',
  drg: '292',
  lines: Array.from({ length: 23 }, (_, i) => ({
    revenueCode: i === 0 ? '0120' : '0250',
    chargeCents: i === 0 ? 1_004_000 : 8_978 + (i === 1 ? 23 : 0),
    unitBasis: 'UN' as const,
    units: 1,
    serviceDate: '2026-03-02',
  })),
};
const hex = (s: string) => `<${Buffer.from(s).toString('hex').toUpperCase()}>`;

describe('UB-04 PDF', () => {
  it('decodes the red form GIF to a PNG of the same size', () => {
    const img = decodeGif(readFileSync(path.join(FORMS_DIR, 'UB04_Red.gif')));
    expect([img.width, img.height]).toEqual([1870, 2420]);
    expect([...encodePng(img).subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  });

  it('puts 22 revenue lines a page, the totals on the last page (FL 47 line 23) and the header on each', async () => {
    const bytes = await renderUb04(claim, { createdOn: '2026-03-10' });
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(2);
    const text = pdfStreams(bytes);
    expect(text.split(hex('A100005I1')).length - 1).toBe(2);
    expect(text).toContain(hex('0111'));
    expect(text).toContain(hex('I5023'));
    expect(text).toContain(hex('05171948'));
    expect(text).toContain(hex('12015'));
  });

  it('puts six service lines a page on the CMS-1500 with ICD-10 codes dotted in item 21 and the total in item 28', async () => {
    const pro: ProfessionalClaim = {
      kind: '837P',
      patientControlNumber: 'A100005P1',
      totalChargeCents: 7 * 21_000,
      frequencyCode: '1',
      placeOfService: '21',
      billingProvider: claim.billingProvider,
      destination: { ...claim.destination, payer: { name: 'Medicare Part B', payerId: '00450', claimFilingIndicator: 'MB' } },
      principalDx: { code: 'I5023' },
      otherDx: [{ code: 'N1831' }],
      rendering: { lastOrOrgName: 'Morgan', firstName: 'Ann', npi: '1987654328' },
      lines: Array.from({ length: 7 }, () => ({
        procedureCode: '99232',
        chargeCents: 21_000,
        unitBasis: 'UN' as const,
        units: 1,
        diagnosisPointers: [1, 2],
        serviceDate: '2026-03-02',
      })),
    };
    const bytes = await renderCms1500(pro, { backgroundPath: path.join(FORMS_DIR, 'HCFA1500_Red.gif'), createdOn: '2026-03-10' });
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(2);
    const text = pdfStreams(bytes);
    expect(text).toContain(hex('I50.23'));
    expect(text).toContain(hex('N18.31'));
    expect(text.split(hex('99232')).length - 1).toBe(7);
    expect(text).toContain(hex('1470'));
    expect(text).toContain(hex('05 17 1948'));
  });
});
