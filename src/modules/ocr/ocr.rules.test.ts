import { describe, expect, it } from 'vitest';
import {
  OcrMediaType,
  characterErrorRate,
  countTiffPages,
  detectMediaType,
  levenshtein,
  normalizeWhitespace,
  pageFromTsv,
  wordBoxesFromTsv,
  parsePdfInfo,
  renderDpi,
} from './ocr.rules.js';

describe('levenshtein', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['HbA1c 7.2%', 'HbAtIc 7.2%', 2],
    ['BP 128/76', 'BP 128/76', 0],
    ['BP 128/76', 'BP 12876', 1],
    ['flaw', 'lawn', 2],
    ['é', 'e', 1],
    ['😀a', 'a', 1], // one code point, not two UTF-16 units
  ])('counts %j against %j as %i edits', (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
    expect(levenshtein(b, a)).toBe(d);
  });
});

describe('normalizeWhitespace', () => {
  it.each([
    ['  a \n\n b\t c  ', 'a b c'],
    ['line one\nline two', 'line one line two'],
    ['', ''],
    ['\n\t ', ''],
  ])('makes %j into %j', (a, b) => expect(normalizeWhitespace(a)).toBe(b));
});

describe('characterErrorRate', () => {
  it.each([
    ['identical text', 'BP 128/76, HbA1c 7.2%', 'BP 128/76, HbA1c 7.2%', 0],
    ['line breaks and spaces are layout, not errors', 'BP 128/76,\nHbA1c  7.2%', ' BP 128/76, HbA1c 7.2%\n', 0],
    ['one substitution in ten characters', 'HbA1c 7.2%', 'HbAlc 7.2%', 0.1],
    ['a dropped character', 'abcd', 'abd', 0.25],
    ['every character inserted twice over', 'ab', 'xxabxx', 2],
    ['nothing read', 'abcd', '', 1],
    ['an empty truth and nothing read', '', '  ', 0],
    ['an empty truth and something read', '', 'x', 1],
  ])('%s', (_name, truth, read, cer) => expect(characterErrorRate(truth, read)).toBeCloseTo(cer, 10));
});

/** A classic little-endian TIFF whose IFD chain has `pages` directories of one entry each. */
function tiffBytes(pages: number, opts: { big?: boolean; loop?: boolean } = {}): Uint8Array {
  const bytes = new Uint8Array(16 + pages * 32);
  const v = new DataView(bytes.buffer);
  bytes.set([0x49, 0x49], 0);
  if (opts.big) {
    v.setUint16(2, 43, true);
    v.setUint16(4, 8, true);
    v.setBigUint64(8, 16n, true);
    for (let i = 0; i < pages; i++) {
      const at = 16 + i * 32;
      v.setBigUint64(at, 0n, true); // no entries
      const next = i === pages - 1 ? 0 : at + 32;
      v.setBigUint64(at + 8, BigInt(opts.loop && i === pages - 1 ? 16 : next), true);
    }
    return bytes;
  }
  v.setUint16(2, 42, true);
  v.setUint32(4, 8, true);
  for (let i = 0; i < pages; i++) {
    const at = 8 + i * 32;
    v.setUint16(at, 1, true); // one 12-byte entry
    const next = i === pages - 1 ? 0 : at + 32;
    v.setUint32(at + 2 + 12, opts.loop && i === pages - 1 ? 8 : next, true);
  }
  return bytes;
}

describe('detectMediaType', () => {
  const b = (...xs: number[]) => Uint8Array.from(xs);
  const ascii = (s: string) => new TextEncoder().encode(s);
  it.each([
    ['a PNG signature', b(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0), OcrMediaType.png],
    ['a JPEG start of image', b(0xff, 0xd8, 0xff, 0xe0, 0, 0x10), OcrMediaType.jpeg],
    ['a little-endian TIFF', b(0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0), OcrMediaType.tiff],
    ['a big-endian TIFF', b(0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8), OcrMediaType.tiff],
    ['a BigTIFF', b(0x49, 0x49, 0x2b, 0x00, 8, 0, 0, 0), OcrMediaType.tiff],
    ['a PDF header', ascii('%PDF-1.7\n...'), OcrMediaType.pdf],
    ['a PDF header after a few bytes of junk', ascii('\r\n  %PDF-1.4\n'), OcrMediaType.pdf],
    ['a PDF header past the first 1024 bytes', ascii(`${' '.repeat(1100)}%PDF-1.4\n`), undefined],
    ['plain text', ascii('DISCHARGE SUMMARY'), undefined],
    ['a GIF', ascii('GIF89a'), undefined],
    ['an SVG (never handed to ImageMagick)', ascii('<svg xmlns="http://www.w3.org/2000/svg"/>'), undefined],
    ['nothing', b(), undefined],
    ['a truncated PNG signature', b(0x89, 0x50, 0x4e), undefined],
  ])('recognises %s', (_name, bytes, type) => expect(detectMediaType(bytes)).toBe(type));
});

describe('countTiffPages', () => {
  it.each([1, 3, 12])('counts the %i directories of a classic TIFF', (n) => expect(countTiffPages(tiffBytes(n))).toBe(n));
  it('counts the directories of a BigTIFF', () => expect(countTiffPages(tiffBytes(4, { big: true }))).toBe(4));
  it('refuses a directory chain that loops', () => {
    expect(() => countTiffPages(tiffBytes(3, { loop: true }))).toThrow(/broken/);
    expect(() => countTiffPages(tiffBytes(2, { big: true, loop: true }))).toThrow(/broken/);
  });
  it('refuses a directory past the end of the file', () => expect(() => countTiffPages(tiffBytes(3).slice(0, 50))).toThrow(/truncated/));
  it('refuses a header without a first directory', () => {
    expect(() => countTiffPages(Uint8Array.from([0x49, 0x49, 0x2a, 0, 0, 0, 0, 0]))).toThrow(/without pages/);
  });
});

describe('pageFromTsv', () => {
  const header = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';
  const word = (block: number, par: number, line: number, n: number, conf: number, text: string) =>
    `5\t1\t${block}\t${par}\t${line}\t${n}\t0\t0\t10\t10\t${conf}\t${text}`;
  it('rebuilds lines and paragraphs in reading order, with the mean word confidence', () => {
    const tsv = [
      header,
      '1\t1\t0\t0\t0\t0\t0\t0\t2550\t3300\t-1\t',
      '2\t1\t1\t0\t0\t0\t150\t150\t900\t50\t-1\t',
      word(1, 1, 1, 1, 96, 'DISCHARGE'),
      word(1, 1, 1, 2, 94, 'SUMMARY'),
      word(2, 1, 1, 1, 90, 'BP'),
      word(2, 1, 1, 2, 80, '128/76,'),
      word(2, 1, 2, 1, 70, 'HbA1c'),
      word(2, 1, 2, 2, 70, '7.2%'),
      word(2, 2, 1, 1, 100, 'Follow-up.'),
    ].join('\n');
    expect(pageFromTsv(tsv)).toEqual({
      text: 'DISCHARGE SUMMARY\n\nBP 128/76,\nHbA1c 7.2%\n\nFollow-up.',
      confidence: 0.857,
    });
  });
  it('skips empty words and rows without a confidence', () => {
    const tsv = [
      header,
      word(1, 1, 1, 1, 95.5, 'Vital'),
      word(1, 1, 1, 2, -1, ''),
      word(1, 1, 1, 3, 95.5, ' '),
      word(1, 1, 1, 4, 90.5, 'signs'),
    ].join('\n');
    expect(pageFromTsv(tsv)).toEqual({ text: 'Vital signs', confidence: 0.93 });
  });
  it('answers an empty page with no text and confidence 0', () => {
    expect(pageFromTsv(`${header}\n1\t1\t0\t0\t0\t0\t0\t0\t2550\t3300\t-1\t\n`)).toEqual({ text: '', confidence: 0 });
    expect(pageFromTsv('')).toEqual({ text: '', confidence: 0 });
  });
});

describe('parsePdfInfo', () => {
  it('reads the page count and each page size', () => {
    const out =
      'Title:  x\nPages:           2\nEncrypted:       no\nPage    1 size:  612 x 792 pts (letter)\nPage    1 rot:   0\nPage    2 size:  609.714 x 789.041 pts\n';
    expect(parsePdfInfo(out)).toEqual({
      pages: 2,
      sizes: [
        { page: 1, widthPt: 612, heightPt: 792 },
        { page: 2, widthPt: 609.714, heightPt: 789.041 },
      ],
    });
  });
  it('refuses output without a page count', () => expect(() => parsePdfInfo('Syntax Error: broken\n')).toThrow(/page count/));
});

describe('renderDpi', () => {
  it.each([
    ['a letter page at 300 dpi', { widthPt: 612, heightPt: 792 }, 300],
    ['an unknown size at 300 dpi', undefined, 300],
    ['a poster lowered to fit the pixel limit', { widthPt: 72 * 60, heightPt: 72 * 40 }, 223],
    ['an absurd page size, never below 72 dpi', { widthPt: 14400, heightPt: 14400 }, 72],
  ])('renders %s', (_name, size, dpi) => expect(renderDpi(size, 300)).toBe(dpi));
});

describe('wordBoxesFromTsv', () => {
  it('gives each word its box relative to the page', () => {
    const tsv = [
      'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
      '1\t1\t0\t0\t0\t0\t0\t0\t2000\t1000\t-1\t',
      '5\t1\t1\t1\t1\t1\t200\t100\t400\t50\t96\tPneumonia',
      '5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t-1\t',
    ].join('\n');
    expect(wordBoxesFromTsv(tsv)).toEqual([{ text: 'Pneumonia', x: 0.1, y: 0.1, w: 0.2, h: 0.05 }]);
  });
});
