import { describe, expect, it } from 'vitest';
import {
  batchFormatOf,
  consecutiveProblem,
  encodeCoverToken,
  markOfPage,
  parseCoverToken,
  planBatch,
  type PageMark,
} from './scanning.rules.js';

const P = '0190a2b4-1234-7abc-8def-0123456789ab';
const E = '0190a2b4-1234-7abc-8def-0123456789ac';
const S = '0190a2b4-1234-7abc-8def-0123456789ad';
const sheet = (id = S): PageMark => ({ kind: 'sheet', sheetId: id, token: null });
const content: PageMark = { kind: 'content' };

describe('the cover sheet token', () => {
  it('round-trips with and without an encounter', () => {
    for (const t of [
      { patientId: P, encounterId: E, typeCode: 'DS', sheetId: S },
      { patientId: P, encounterId: null, typeCode: 'CONSENT', sheetId: S },
    ])
      expect(parseCoverToken(encodeCoverToken(t))).toEqual(t);
  });

  it.each([
    ['another prefix', `CUST2|${P}||DS|${S}`],
    ['too few parts', `CUST1|${P}|DS|${S}`],
    ['a bad type code', `CUST1|${P}||D S|${S}`],
    ['an empty sheet id', `CUST1|${P}||DS|`],
    ['a name smuggled in', `CUST1|Smith, John|${E}|DS|${S}`],
  ])('is not read from %s', (_name, text) => {
    expect(parseCoverToken(text)).toBeNull();
  });
});

describe('reading a page by its barcodes', () => {
  it.each<[string, string[], PageMark]>([
    ['no barcode', [], { kind: 'content' }],
    ['a barcode of something else (a chart label)', ['CH-000123'], { kind: 'content' }],
    ['the QR token', [`CUST1|${P}||DS|${S}`], { kind: 'sheet', sheetId: S, token: `CUST1|${P}||DS|${S}` }],
    ['only the Code 128 sheet code', [`CUSTS:${S}`], { kind: 'sheet', sheetId: S, token: null }],
    [
      'the QR token read with the Code 128 too',
      [`CUSTS:${S}`, `CUST1|${P}||DS|${S}`],
      { kind: 'sheet', sheetId: S, token: `CUST1|${P}||DS|${S}` },
    ],
    ['a damaged token', [`CUST1|${P}|DS`], { kind: 'bad_sheet' }],
  ])('%s', (_name, codes, mark) => {
    expect(markOfPage(codes)).toEqual(mark);
  });
});

describe('splitting a batch at its cover sheets', () => {
  it('files the pages behind each sheet and sends pages before the first sheet to QA', () => {
    const plan = planBatch([content, content, sheet('a'), content, content, sheet('b'), content]);
    expect(plan.qa).toEqual([
      { page: 1, reason: 'before_first_sheet' },
      { page: 2, reason: 'before_first_sheet' },
    ]);
    expect(plan.parts.map((p) => [p.sheetId, p.sheetPage, p.pages])).toEqual([
      ['a', 3, [4, 5]],
      ['b', 6, [7]],
    ]);
    expect(plan.covers.map((c) => c.page)).toEqual([3, 6]);
  });

  it('sends a sheet that cannot be read, and the pages behind it, to QA (they cannot be told from the part before)', () => {
    const plan = planBatch([sheet('a'), content, { kind: 'bad_sheet' }, content, content, sheet('b'), content]);
    expect(plan.parts.map((p) => p.pages)).toEqual([[2], [7]]);
    expect(plan.qa).toEqual([
      { page: 3, reason: 'sheet_unreadable' },
      { page: 4, reason: 'sheet_unreadable' },
      { page: 5, reason: 'sheet_unreadable' },
    ]);
  });

  it('files nothing for a sheet with no pages behind it', () => {
    expect(planBatch([sheet('a'), sheet('b'), content]).parts.map((p) => p.sheetId)).toEqual(['b']);
  });
});

describe('telling a batch file from its bytes', () => {
  it.each<[string, number[], 'pdf' | 'tiff' | null]>([
    ['PDF', Array.from(Buffer.from('%PDF-1.7')), 'pdf'],
    ['little-endian TIFF', [0x49, 0x49, 0x2a, 0], 'tiff'],
    ['big-endian TIFF', [0x4d, 0x4d, 0, 0x2a], 'tiff'],
    ['PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d], null],
    ['empty', [], null],
  ])('%s', (_name, bytes, format) => {
    expect(batchFormatOf(new Uint8Array(bytes))).toBe(format);
  });
});

describe('pages filed by hand', () => {
  const pg = (page: number, over: Partial<{ batchId: string; status: string }> = {}) => ({ batchId: 'b1', page, status: 'qa', ...over });
  it.each<[string, ReturnType<typeof pg>[], RegExp | null]>([
    ['consecutive pages of one batch', [pg(3), pg(2), pg(4)], null],
    ['a gap', [pg(2), pg(4)], /consecutive/],
    ['two batches', [pg(2), pg(3, { batchId: 'b2' })], /one batch/],
    ['a page already filed', [pg(2, { status: 'indexed' })], /no longer/],
    ['a file that could not be read', [pg(0)], /discarded/],
    ['nothing', [], /at least one/],
  ])('%s', (_name, pages, problem) => {
    const p = consecutiveProblem(pages);
    if (problem) expect(p).toMatch(problem);
    else expect(p).toBeNull();
  });
});
