/**
 * Identifiers found in a PDF's text layer, as redaction areas: pdftotext (poppler, beside pdftoppm) answers each word
 * with its box; a word that is a Social Security number (164.514(b)(2)(i)(G)) becomes an area of its page, burned in
 * like one drawn by hand (roi.packet.ts), so the number is gone from the pixels and the bytes.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { RedactionArea } from './roi.packet.js';

const SSN_WORD = /^\W*\d{3}-\d{2}-\d{4}\W*$/;
/** Padding around a word's box, in points: glyphs reach a little past the box pdftotext reports. */
const PAD = 1.5;

const num = (s: string | undefined) => Number(s ?? 'NaN');

/** The SSN words of pdftotext's `-bbox` answer as areas (fractions of the page from its top-left); pure. */
export function ssnAreasFromBbox(html: string): RedactionArea[] {
  const areas: RedactionArea[] = [];
  const pages = html.split(/<page\s/).slice(1);
  for (const [i, page] of pages.entries()) {
    const size = /width="([\d.]+)"\s+height="([\d.]+)"/.exec(page);
    const W = num(size?.[1]);
    const H = num(size?.[2]);
    if (!(W > 0 && H > 0)) continue;
    for (const m of page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
      if (!SSN_WORD.test(m[5] ?? '')) continue;
      const x = Math.max(0, num(m[1]) - PAD);
      const y = Math.max(0, num(m[2]) - PAD);
      const x2 = Math.min(W, num(m[3]) + PAD);
      const y2 = Math.min(H, num(m[4]) + PAD);
      areas.push({ page: i + 1, x: x / W, y: y / H, width: (x2 - x) / W, height: (y2 - y) / H });
    }
  }
  return areas;
}

/** pdftotext beside pdftoppm (both are Debian's poppler-utils). */
export const pdftotextBeside = (pdftoppmPath: string): string => path.join(path.dirname(pdftoppmPath), 'pdftotext');

/** Runs `pdftotext -bbox` on the PDF (stdin to stdout, no file) and answers its SSN words as redaction areas. */
export async function findSsnAreas(pdftotextPath: string, bytes: Uint8Array): Promise<RedactionArea[]> {
  const html = await new Promise<string>((resolve, reject) => {
    const child = spawn(pdftotextPath, ['-bbox', '-enc', 'UTF-8', '-', '-'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    // The program's messages could name content: only the exit code is kept.
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`pdftotext failed (exit ${code})`)),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(Buffer.from(bytes));
  });
  return ssnAreasFromBbox(html);
}
