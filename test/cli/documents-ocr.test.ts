/**
 * `custodian documents ocr FILE... [--json]` through the real command (buildProgram), on real programs and
 * generated pages: one JSON line per file in the order given, `file` exactly as given, an error line for a file it
 * cannot read while the others are read, exit 0; as text, a page per heading and the error on stderr, exit 1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../support/cli.js';
import { characterErrorRate, findMissingOcrTools } from '../../src/modules/ocr/index.js';
import { CLINICAL_PAGES, makePdfFromJpegs, ocrToolPaths, renderPage } from '../support/ocr-pages.js';

const missing = findMissingOcrTools(ocrToolPaths());
const skip = missing.length > 0 && !process.env.CI;

/** The first two paragraphs of a page: a short page renders and reads quickly. */
const shortText = (i: number) => CLINICAL_PAGES[i]!.split('\n').slice(0, 2).join('\n');
const SHORT = { heightFraction: 0.3 };

describe.skipIf(skip)('custodian documents ocr', () => {
  let dir: string;
  let png: string;
  let jpeg: string;
  let pdf: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-ocr-cli-'));
    const [p, j] = await Promise.all([
      renderPage(shortText(0), SHORT),
      renderPage(shortText(1), { ...SHORT, skewDegrees: -1.5, noise: 0.5, jpegQuality: 75 }),
    ]);
    png = path.join(dir, 'discharge summary.png');
    jpeg = path.join(dir, 'operative-note.jpg');
    pdf = path.join(dir, 'two pages.pdf');
    fs.writeFileSync(png, p);
    fs.writeFileSync(jpeg, j);
    fs.writeFileSync(pdf, makePdfFromJpegs([j, j]));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'BP 128/76, HbA1c 7.2%\n');
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON line per file in the order given, the file as given, an error for what it cannot read; exit 0', async () => {
    const files = [
      path.relative(process.cwd(), pdf), // a relative path with a space, echoed as typed
      `${dir}/./missing.tif`,
      jpeg,
      path.join(dir, 'notes.txt'),
      png,
    ];
    const r = await runCli(['documents', 'ocr', ...files, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual(files);
    expect(lines[1]).toEqual({ file: files[1], error: 'no such file' });
    expect(lines[3]).toEqual({ file: files[3], error: 'not a PDF, TIFF, PNG or JPEG file' });
    expect(lines[0].pages.map((p: { page: number }) => p.page)).toEqual([1, 2]);
    for (const [line, truth] of [
      [lines[0].pages[0], shortText(1)],
      [lines[0].pages[1], shortText(1)],
      [lines[2].pages[0], shortText(1)],
      [lines[4].pages[0], shortText(0)],
    ] as const) {
      expect(Object.keys(line)).toEqual(['page', 'text', 'confidence']);
      expect(line.confidence).toBeGreaterThan(0.8);
      expect(line.confidence).toBeLessThanOrEqual(1);
      expect(characterErrorRate(truth, line.text)).toBeLessThan(0.02);
    }
    expect(lines[4].pages[0].text.split('\n')[0]).toBe('DISCHARGE SUMMARY');
  }, 180_000);

  it('prints readable text per file and page; a file it cannot read is one line on stderr and exit 1', async () => {
    const r = await runCli(['documents', 'ocr', png, 'no-such-scan.pdf']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      new RegExp(`^==> ${png.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} <==\n--- page 1 \\(confidence 0\\.\\d\\d\\) ---\nDISCHARGE SUMMARY\n`),
    );
    expect(r.err).toBe('custodian: documents ocr: no-such-scan.pdf: no such file\n');
  }, 120_000);

  it('stops with exit 2 and the package to install when a program is missing', async () => {
    vi.stubEnv('CUSTODIAN_TESSERACT', '/nonexistent/tesseract');
    try {
      const r = await runCli(['documents', 'ocr', png, '--json']);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toBe(
        'custodian: tesseract not found at /nonexistent/tesseract: install the Debian package tesseract-ocr (apt-get install -y tesseract-ocr), or set CUSTODIAN_TESSERACT to where it is\n',
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('refuses a worker count that is not a whole number from 1 (exit 2)', async () => {
    const r = await runCli(['documents', 'ocr', png, '--workers', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^custodian: invalid setting ocrWorkers \(CUSTODIAN_OCR_WORKERS\)/);
  });
});
