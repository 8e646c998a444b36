/**
 * Identifiers found by rule in text, as redaction areas (164.514(b)(2)(i)): pdftotext (poppler, beside pdftoppm)
 * answers each line of a PDF's text layer with its words' boxes; a match of a ticked identifier becomes the union of
 * the boxes of the words it covers, an area of its page, burned in like one drawn by hand (roi.packet.ts), so the
 * identifier is gone from the pixels and the bytes. Text documents have the same matches replaced before drawing.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import type { RedactionArea } from './roi.packet.js';

/** What the specialist may tick; SSNs are on by default. */
export const identifierKinds = ['ssn', 'mrn', 'phone', 'email', 'mbi'] as const;
export type IdentifierKind = (typeof identifierKinds)[number];
export const IdentifiersSchema = z.array(z.enum(identifierKinds)).max(identifierKinds.length);
export const DEFAULT_IDENTIFIERS: readonly IdentifierKind[] = ['ssn'];

/** The identifiers to find, and the patient's own MRN (the `mrn` kind matches that number only). */
export interface IdentifierRules {
  kinds: readonly IdentifierKind[];
  mrn?: string | null;
}

// Medicare Beneficiary Identifier (CMS): digit 1-9, letter, letter or digit, digit, letter, letter or digit, digit,
// letter, letter, digit, digit; the letters exclude S, L, O, I, B, Z; printed with or without dashes after 4 and 7.
const L = '[AC-HJKMNP-RT-Y]';
const LN = '[AC-HJKMNP-RT-Y0-9]';
const PATTERNS: Record<Exclude<IdentifierKind, 'mrn'>, string> = {
  // 3-2-4 digits with dashes, not inside a longer run of digits or dashes (dates and claim numbers are other shapes).
  ssn: '(?<![\\d-])\\d{3}-\\d{2}-\\d{4}(?![\\d-])',
  // North American numbers: area code and exchange start 2-9, (555) 234-5678, 555-234-5678, 555.234.5678, +1 first.
  phone: '(?<![\\d-])(?:\\+?1[ .-]?)?(?:\\([2-9]\\d{2}\\) ?|[2-9]\\d{2}[.-])[2-9]\\d{2}[.-]\\d{4}(?![\\d-])',
  email: '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}',
  mbi: `(?<![A-Za-z0-9-])[1-9]${L}${LN}\\d-?${L}${LN}\\d-?${L}{2}\\d{2}(?![A-Za-z0-9-])`,
};

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One regular expression (global) for the ticked identifiers, or null when nothing is to be found. */
export function identifierPattern(rules: IdentifierRules): RegExp | null {
  const parts: string[] = [];
  for (const k of new Set(rules.kinds)) {
    if (k === 'mrn') {
      const mrn = rules.mrn?.trim();
      // The patient's own MRN as a whole token, not a part of a longer number.
      if (mrn) parts.push(`(?<![A-Za-z0-9])${escapeRe(mrn)}(?![A-Za-z0-9])`);
    } else parts.push(PATTERNS[k]);
  }
  return parts.length === 0 ? null : new RegExp(parts.join('|'), 'g');
}

/** The matches in a text (for tests and text documents); pure. */
export function findIdentifiers(text: string, rules: IdentifierRules): string[] {
  const re = identifierPattern(rules);
  return re ? [...text.matchAll(re)].map((m) => m[0]) : [];
}

/** The text with each match's letters and digits turned to X (its shape kept: XXX-XX-XXXX); pure. */
export function redactIdentifierText(text: string, rules: IdentifierRules): string {
  const re = identifierPattern(rules);
  return re ? text.replace(re, (m) => m.replace(/[A-Za-z0-9]/g, 'X')) : text;
}

/** Padding around a word's box, in points: glyphs reach a little past the box pdftotext reports. */
const PAD = 1.5;

const num = (s: string | undefined) => Number(s ?? 'NaN');
const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

interface Word {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  text: string;
}

const WORD = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;

/**
 * The ticked identifiers in pdftotext's `-bbox-layout` answer (or `-bbox`: then a page's words are one line) as
 * areas, fractions of the page from its top-left; a match over several words of a line covers all their boxes. Pure.
 */
export function identifierAreasFromBbox(html: string, rules: IdentifierRules): RedactionArea[] {
  const re = identifierPattern(rules);
  if (!re) return [];
  const areas: RedactionArea[] = [];
  for (const [i, page] of html
    .split(/<page\s/)
    .slice(1)
    .entries()) {
    const size = /width="([\d.]+)"\s+height="([\d.]+)"/.exec(page);
    const W = num(size?.[1]);
    const H = num(size?.[2]);
    if (!(W > 0 && H > 0)) continue;
    const lines = page.includes('<line') ? page.split(/<\/line>/) : [page];
    for (const line of lines) {
      const words: (Word & { at: number })[] = [];
      let text = '';
      for (const m of line.matchAll(WORD)) {
        const t = unescapeXml(m[5] ?? '');
        if (text !== '') text += ' ';
        words.push({ x1: num(m[1]), y1: num(m[2]), x2: num(m[3]), y2: num(m[4]), text: t, at: text.length });
        text += t;
      }
      for (const m of text.matchAll(re)) {
        const start = m.index;
        const end = start + m[0].length;
        const hit = words.filter((w) => w.at < end && w.at + w.text.length > start);
        if (hit.length === 0) continue;
        const x = Math.max(0, Math.min(...hit.map((w) => w.x1)) - PAD);
        const y = Math.max(0, Math.min(...hit.map((w) => w.y1)) - PAD);
        const x2 = Math.min(W, Math.max(...hit.map((w) => w.x2)) + PAD);
        const y2 = Math.min(H, Math.max(...hit.map((w) => w.y2)) + PAD);
        areas.push({ page: i + 1, x: x / W, y: y / H, width: (x2 - x) / W, height: (y2 - y) / H });
      }
    }
  }
  return areas;
}

/** The SSN words of pdftotext's `-bbox` answer as areas (fractions of the page from its top-left); pure. */
export const ssnAreasFromBbox = (html: string): RedactionArea[] => identifierAreasFromBbox(html, { kinds: ['ssn'] });

/** pdftotext beside pdftoppm (both are Debian's poppler-utils). */
export const pdftotextBeside = (pdftoppmPath: string): string => path.join(path.dirname(pdftoppmPath), 'pdftotext');

/** Runs `pdftotext -bbox-layout` on the PDF (stdin to stdout, no file) and answers the identifiers as areas. */
export async function findIdentifierAreas(pdftotextPath: string, bytes: Uint8Array, rules: IdentifierRules): Promise<RedactionArea[]> {
  if (identifierPattern(rules) === null) return [];
  const html = await new Promise<string>((resolve, reject) => {
    const child = spawn(pdftotextPath, ['-bbox-layout', '-enc', 'UTF-8', '-', '-'], { stdio: ['pipe', 'pipe', 'ignore'] });
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
  return identifierAreasFromBbox(html, rules);
}

/** SSNs only (the default). */
export const findSsnAreas = (pdftotextPath: string, bytes: Uint8Array): Promise<RedactionArea[]> =>
  findIdentifierAreas(pdftotextPath, bytes, { kinds: ['ssn'] });

/** A recognised word of a scanned page, its box in fractions of the page from its top-left (the documents module's OCR). */
export interface OcrWord {
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Padding around an OCR word's box, as a fraction of the page: Tesseract's boxes hug the ink. */
const OCR_PAD = 0.003;

/**
 * The ticked identifiers among a scanned page's OCR words, as areas on that page (fractions from its top-left). Words
 * are put into lines by their vertical centres (a word whose centre lies within half a word's height of the line's
 * belongs to it), read left to right, so a match spread over several words ("(555) 234-5678") covers all their boxes.
 * Pure. What OCR misread is not found: the specialist still looks at the page.
 */
export function identifierAreasFromOcrWords(page: number, words: readonly OcrWord[], rules: IdentifierRules): RedactionArea[] {
  const re = identifierPattern(rules);
  if (!re || words.length === 0) return [];
  const lines: OcrWord[][] = [];
  for (const w of [...words].sort((a, b) => a.y + a.h / 2 - (b.y + b.h / 2) || a.x - b.x)) {
    const line = lines.at(-1);
    const mid = (x: OcrWord) => x.y + x.h / 2;
    if (line && Math.abs(mid(w) - mid(line[0]!)) <= Math.max(w.h, line[0]!.h) / 2) line.push(w);
    else lines.push([w]);
  }
  const areas: RedactionArea[] = [];
  for (const line of lines) {
    line.sort((a, b) => a.x - b.x);
    let text = '';
    const at: number[] = [];
    for (const w of line) {
      if (text !== '') text += ' ';
      at.push(text.length);
      text += w.text;
    }
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      const hit = line.filter((w, i) => at[i]! < end && at[i]! + w.text.length > start);
      if (hit.length === 0) continue;
      const x = Math.max(0, Math.min(...hit.map((w) => w.x)) - OCR_PAD);
      const y = Math.max(0, Math.min(...hit.map((w) => w.y)) - OCR_PAD);
      const x2 = Math.min(1, Math.max(...hit.map((w) => w.x + w.w)) + OCR_PAD);
      const y2 = Math.min(1, Math.max(...hit.map((w) => w.y + w.h)) + OCR_PAD);
      areas.push({ page, x, y, width: x2 - x, height: y2 - y });
    }
  }
  return areas;
}
