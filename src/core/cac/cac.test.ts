/**
 * Computer-assisted coding on written examples, with the knowledge built from the real code sets (Index, tabular,
 * Neoplasm table; no corpus learning, so the examples test what the classification says), and `custodian cac
 * suggest` on a tiny temporary folder. One shared build in beforeAll.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialCodeSets } from '../../../test/support/data.js';
import { runCli } from '../../../test/support/cli.js';
import { buildClassificationKnowledge } from './knowledge.js';
import { learnRules, type CodedDocument } from './learn.js';
import { suggestCodes } from './suggest.js';
import { writeCacKnowledge } from './store.js';
import type { CacKnowledge, SuggestOptions } from './types.js';

let k: CacKnowledge;
const tmp = mkdtempSync(path.join(tmpdir(), 'cac-'));
const knowledgeFile = path.join(tmp, 'knowledge.v8');

beforeAll(() => {
  k = buildClassificationKnowledge(officialCodeSets());
  writeCacKnowledge(knowledgeFile, k);
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const codes = (text: string, opts: SuggestOptions = {}): string[] => suggestCodes(k, text, { system: 'cm', ...opts }).map((s) => s.code);

describe('negation (NegEx triggers; a negated finding is not coded)', () => {
  it.each([
    ['No evidence of pneumonia.', 'J189'],
    ['The patient denies chest pain.', 'R0789'],
    ['Pulmonary embolism was ruled out.', 'I2699'],
    ['Chest X-ray without pleural effusion.', 'J90'],
  ])('does not suggest the negated finding: %s', (text, code) => {
    expect(codes(text)).not.toContain(code);
  });

  it('codes what the negation does not reach', () => {
    const got = codes('No fever, but pleural effusion on the right.');
    expect(got).toContain('J90');
    expect(got).not.toContain('R509');
  });
});

describe('uncertain diagnoses by setting (Guidelines II.H inpatient, IV.H outpatient)', () => {
  const text = 'Probable community acquired pneumonia.';
  it('codes a probable diagnosis as established for an inpatient, marked uncertain', () => {
    const s = suggestCodes(k, text, { system: 'cm', setting: 'inpatient' }).find((x) => x.code === 'J189');
    expect(s?.uncertain).toBe(true);
  });
  it('does not code it for an outpatient', () => {
    expect(codes(text, { setting: 'outpatient' })).not.toContain('J189');
    expect(codes('Suspected pulmonary embolism.', { setting: 'outpatient' })).not.toContain('I2699');
  });
});

describe('history of and family history (Z80-Z87, I.C.21.c.4)', () => {
  it('codes a history of breast cancer as Z85.3, not the neoplasm', () => {
    const got = codes('History of breast cancer treated with mastectomy.');
    expect(got).toContain('Z853');
    expect(got.some((c) => c.startsWith('C50'))).toBe(false);
  });
  it("codes a family member's colon cancer as Z80.0", () => {
    const got = codes('Family history of colon cancer.');
    expect(got).toContain('Z800');
    expect(got.some((c) => c.startsWith('C18'))).toBe(false);
    expect(codes('Her mother had breast cancer.')).toContain('Z803');
  });
  it('codes a family history of diabetes from the Index (History, family, diabetes)', () => {
    const got = codes('Family history of diabetes mellitus.');
    expect(got).toContain('Z833');
    expect(got.some((c) => c.startsWith('E1'))).toBe(false);
  });
});

describe('laterality, acuity and 7th characters', () => {
  it('picks the side named', () => {
    expect(codes('Right knee osteoarthritis.')[0]).toBe('M1711');
    expect(codes('Osteoarthritis of the left knee.')[0]).toBe('M1712');
  });
  it('codes acute on chronic systolic heart failure as I50.23, over heart failure unspecified', () => {
    const got = codes('Acute on chronic systolic heart failure.');
    expect(got[0]).toBe('I5023');
  });
  it('gives an injury its 7th character (initial encounter A)', () => {
    expect(codes('Concussion after a fall.').some((c) => /^S060X.*A$/.test(c))).toBe(true);
    expect(codes('Fracture of the left femur.')).toContain('S7292XA');
  });
});

describe('combination codes (I.A.15 "with"; I.C.4.a diabetes; I.C.9.a hypertension)', () => {
  it('combines type 2 diabetes and a nephropathy read in another sentence into E11.21', () => {
    const s = suggestCodes(k, 'Type 2 diabetes mellitus. Diabetic nephropathy on follow-up.', { system: 'cm' });
    const combo = s.find((x) => x.code === 'E1121');
    expect(combo?.why.some((w) => w.source === 'combination' || w.source === 'index')).toBe(true);
    expect(s.findIndex((x) => x.code === 'E1121')).toBeLessThan(s.findIndex((x) => x.code === 'E119'));
  });
  it('codes hypertensive heart disease with heart failure as I11.0, not I11.9', () => {
    const got = codes('Hypertensive heart disease with heart failure.');
    expect(got).toContain('I110');
    expect(got).not.toContain('I119');
  });
  it('codes hypertension with chronic kidney disease as I12.9 and the stage', () => {
    const got = codes('Hypertension and chronic kidney disease stage 3.');
    expect(got).toEqual(expect.arrayContaining(['I129']));
    expect(got.some((c) => c.startsWith('N183'))).toBe(true);
  });
});

describe('evidence and learning', () => {
  it('points each suggestion at the words of the given text', () => {
    const text = 'Assessment: pleural effusion.\nPlan: thoracentesis.';
    for (const s of suggestCodes(k, text)) for (const e of s.evidence) expect(text.slice(e.start, e.end)).toBe(e.text);
  });
  it('lists the strongest evidence first: the full index term before a shorter learned fragment', () => {
    const docs: CodedDocument[] = [1, 2, 3, 4].map((i) => ({
      name: `k${i}`,
      text: `Note ${i}. Assessment: acute kidney failure.`,
      codes: [{ code: 'N179', system: 'cm' }],
    }));
    for (let i = 0; i < 36; i++)
      docs.push({ name: `c${i}`, text: `Note ${i}. Assessment: cough.`, codes: [{ code: 'R05', system: 'cm' }] });
    const learned = learnRules(k, docs).knowledge;
    const text = 'Assessment: acute on chronic cough. Acute kidney failure, improving.';
    const aki = suggestCodes(learned, text, { system: 'cm' }).find((s) => s.code === 'N179');
    expect(aki?.evidence[0]?.text).toBe('Acute kidney failure');
  });
  it('learns a phrase seen with a code in coded notes, and suggests it with the learned phrase as the reason', () => {
    const docs: CodedDocument[] = [1, 2, 3, 4].map((i) => ({
      name: `d${i}`,
      text: `Case ${i}. The patient had a zorblax crisis after surgery.`,
      codes: [{ code: '0DTJ4ZZ', system: 'pcs' }],
    }));
    for (let i = 0; i < 36; i++)
      docs.push({ name: `o${i}`, text: `Unrelated note ${i} about a cough.`, codes: [{ code: 'R05', system: 'cm' }] });
    const learned = learnRules(k, docs).knowledge;
    const s = suggestCodes(learned, 'Zorblax crisis again.', { system: 'pcs' });
    expect(s[0]?.code).toBe('0DTJ4ZZ');
    expect(s[0]?.why[0]?.source).toBe('learned');
    expect(suggestCodes(k, 'Zorblax crisis again.', { system: 'pcs' })).toEqual([]);
  });
  it('suggests a code the most similar coded notes carry though no phrase gave it, with their strongest shared sentence', () => {
    const docs: CodedDocument[] = [
      { name: 'f1', text: 'Case one. Glimmering frumble of the ankle.', codes: [{ code: 'M25571', system: 'cm' }] },
      { name: 'f2', text: 'Case two. Glimmering frumble seen again.', codes: [{ code: 'R05', system: 'cm' }] },
    ];
    for (let i = 0; i < 30; i++)
      docs.push({ name: `o${i}`, text: `Unrelated note ${i} about a cough.`, codes: [{ code: 'R05', system: 'cm' }] });
    const learned = learnRules(k, docs).knowledge;
    const text = 'Seen in clinic today.\nGlimmering frumble, worse at night.';
    const s = suggestCodes(learned, text, { system: 'cm' }).find((x) => x.code === 'M25571');
    expect(s?.why).toEqual([{ source: 'learned', term: 'learned model: similar coded notes' }]);
    expect(s?.evidence[0]?.text).toBe('Glimmering frumble, worse at night');
    expect(text.slice(s?.evidence[0]?.start, s?.evidence[0]?.end)).toBe(s?.evidence[0]?.text);
  });
});

describe('custodian cac suggest', () => {
  it('prints one JSON line per document in file-name order, codes without dots, best first', async () => {
    const dir = path.join(tmp, 'notes');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'b.txt'), 'Assessment: acute on chronic systolic heart failure.');
    writeFileSync(path.join(dir, 'a.txt'), 'No evidence of pneumonia. Right knee osteoarthritis.');
    writeFileSync(path.join(dir, 'ignored.md'), 'pneumonia');
    const { out, code } = await runCli([
      'cac',
      'suggest',
      '--in',
      dir,
      '--json',
      '--system',
      'cm',
      '--limit',
      '3',
      '--knowledge',
      knowledgeFile,
    ]);
    expect(code).toBe(0);
    const rows = out
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            document: string;
            suggestions: { code: string; system: string; score: number; evidence: { start: number; end: number; text: string }[] }[];
          },
      );
    expect(rows.map((r) => r.document)).toEqual(['a', 'b']);
    expect(rows[0]?.suggestions[0]).toMatchObject({ code: 'M1711', system: 'cm', evidence: [{ text: 'knee osteoarthritis' }] });
    expect(rows[0]?.suggestions.map((s) => s.code)).not.toContain('J189');
    expect(rows[1]?.suggestions[0]?.code).toBe('I5023');
    for (const r of rows) {
      expect(r.suggestions.length).toBeLessThanOrEqual(3);
      const scores = r.suggestions.map((s) => s.score);
      expect(scores).toEqual([...scores].sort((x, y) => y - x));
    }
  });

  it('refuses a missing input with a clear message and exit code 1', async () => {
    const { err, code } = await runCli(['cac', 'suggest', '--in', path.join(tmp, 'nope'), '--knowledge', knowledgeFile]);
    expect(code).toBe(1);
    expect(err).toMatch(/cac suggest: no such file or folder/);
  });
});
