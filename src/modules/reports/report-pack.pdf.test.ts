import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { reportPackPdf, winAnsi } from './report-pack.pdf.js';

describe('report pack PDF', () => {
  it('draws text the standard fonts cannot encode as ?', () => {
    expect(winAnsi('Zoë Łukasz 李 — ok')).toBe('Zoë ?ukasz ? — ok');
  });
  it('continues a long table on new pages with its header', async () => {
    const rows = Array.from({ length: 90 }, (_, i) => [`Coder 李 ${i}`, i]);
    const bytes = await reportPackPdf('Pack', ['cover line'], [{ name: 'Throughput', header: ['coder', 'count'], rows }]);
    const pdf = await PDFDocument.load(bytes);
    // 35 rows fit on the first landscape page after the cover, 39 on the next: 90 rows take three pages.
    expect(pdf.getPageCount()).toBe(3);
  });
});
