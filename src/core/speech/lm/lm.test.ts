/**
 * The medical language model's parts: n-gram estimation written as valid ARPA (counts match the sections, every
 * context's probabilities sum to one), spoken forms of written text, pronunciations, and a model built from a
 * tiny corpus that pocketsphinx loads and recognizes with.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readModelDir } from '../model-dir.js';
import { synthesizeSpeech } from '../synth.js';
import { transcribeAudio } from '../transcribe.js';
import { wordErrorRate } from '../wer.js';
import { buildMedicalModel } from './build.js';
import { countNgrams, estimateBackoffModel, logProb, writeArpa } from './ngram.js';
import { espeakToCmu, parseLexicon, ruleBasedPronunciation } from './pronounce.js';
import { spokenSentences } from './spoken.js';

const dir = mkdtempSync(path.join(tmpdir(), 'custodian-lm-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const corpus = [
  'the patient denies chest pain',
  'the patient reports chest pain',
  'no chest pain today',
  'the pain is better',
  'the patient is better',
].map((s) => s.split(' '));

/** The sections of an ARPA text: declared counts and the entries of each order. */
function readArpa(text: string): { declared: number[]; entries: string[][][] } {
  const declared = [...text.matchAll(/^ngram (\d)=(\d+)$/gm)].map((m) => Number(m[2]));
  const entries = text
    .split(/^\\\d-grams:$/m)
    .slice(1)
    .map((section) =>
      section
        .split('\n')
        .filter((l) => l.trim() !== '' && !l.startsWith('\\'))
        .map((l) => l.split('\t')),
    );
  return { declared, entries };
}

describe('n-gram estimation (interpolated absolute discounting, ARPA back-off)', () => {
  it.each([
    ['all n-grams', [1, 1, 1]],
    ['3-grams seen once left out', [1, 1, 2]],
    ['2- and 3-grams seen once left out', [1, 2, 2]],
  ])('writes valid ARPA whose probabilities sum to one in every context: %s', (_name, cutoffs) => {
    const model = estimateBackoffModel(countNgrams(corpus, 3), { vocabulary: ['fever'], cutoffs });
    const arpa = writeArpa(model);
    expect(arpa.startsWith('\\data\\\n')).toBe(true);
    expect(arpa.trimEnd().endsWith('\\end\\')).toBe(true);
    const { declared, entries } = readArpa(arpa);
    expect(declared).toEqual(entries.map((e) => e.length));
    // Every listed n-gram's prefix is listed one order below (pocketsphinx needs it to follow back-offs).
    for (let n = 1; n < entries.length; n++) {
      const lower = new Set((entries[n - 1] ?? []).map((e) => e[1]));
      for (const e of entries[n] ?? []) expect(lower.has((e[1] ?? '').split(' ').slice(0, -1).join(' ')), e[1]).toBe(true);
    }
    const vocab = [...(model.levels[0]?.prob.keys() ?? [])];
    expect(vocab).toContain('fever');
    for (const h of [[], ['the'], ['the', 'patient'], ['chest'], ['fever'], ['<s>'], ['<s>', 'the'], ['pain', 'fever']]) {
      const sum = vocab.reduce((s, w) => s + 10 ** logProb(model, h, w), 0);
      expect(sum, h.join(' ')).toBeCloseTo(1, 6);
    }
    // Seen (and listed) continuations beat unseen ones.
    if (cutoffs[1] === 1) expect(logProb(model, ['the', 'patient'], 'denies')).toBeGreaterThan(logProb(model, ['the', 'patient'], 'today'));
  });

  it('drops n-grams under the cut-off from the file', () => {
    const all = readArpa(writeArpa(estimateBackoffModel(countNgrams(corpus, 3), { cutoffs: [1, 1, 1] })));
    const cut = readArpa(writeArpa(estimateBackoffModel(countNgrams(corpus, 3), { cutoffs: [1, 1, 2] })));
    expect(cut.declared[0]).toBe(all.declared[0]);
    expect(cut.declared[1]).toBe(all.declared[1]);
    // Only these occur twice or more.
    expect(cut.entries[2]?.map((e) => e[1]).sort()).toEqual(['<s> the patient', 'chest pain </s>', 'is better </s>']);
  });

  it('leaves out words without a pronunciation and every n-gram holding them', () => {
    const model = estimateBackoffModel(countNgrams(corpus, 3), { exclude: (w) => w === 'chest' });
    for (const level of model.levels) for (const key of level.prob.keys()) expect(key.split(' ')).not.toContain('chest');
  });
});

describe('spoken form of written clinical text', () => {
  it.each([
    ['A 65-year-old man.', [['a', 'sixty', 'five', 'year', 'old', 'man']]],
    ['BP 120/80, HR 88.', [['bp', 'one', 'twenty', 'over', 'eighty', 'hr', 'eighty', 'eight']]],
    [
      'Metoprolol 25 mg BID; Cr 1.2 mg/dL',
      [
        ['metoprolol', 'twenty', 'five', 'milligrams', 'twice', 'a', 'day'],
        ['cr', 'one', 'point', 'two', 'milligrams', 'per', 'deciliter'],
      ],
    ],
    [
      'Seen by Dr. Morgan. SpO2 94%',
      [
        ['seen', 'by', 'doctor', 'morgan'],
        ['spo', 'two', 'ninety', 'four', 'percent'],
      ],
    ],
    ['WBC 14,000', [['wbc', 'fourteen', 'thousand']]],
  ])('%s', (text, sentences) => {
    expect(spokenSentences(text)).toEqual(sentences);
  });
});

describe('pronunciations', () => {
  it.each([
    ["n_,u:_m_@_k_,oU_n_I2_;_'oU_s_I_s", 'N UW M AH K OW N IH OW S IH S'],
    ["h_,aI_d_r_@_k_l_,o@_r_oU_T_I2_;_'eI_z_aI_d", 'HH AY D R AH K L AO R OW TH IH EY Z AY D'],
    ["tS_'3:_tS", 'CH ER CH'],
  ])('maps espeak-ng %s to CMU phones', (espeak, cmu) => {
    expect(espeakToCmu(espeak)).toBe(cmu);
  });

  it('has a letter-to-sound fallback and reads CMU dictionary alternates', () => {
    expect(ruleBasedPronunciation('thoracic')).toBe('TH AA R AE K IH K');
    expect(parseLexicon('read R IY D\nread(2) R EH D\n').get('read')).toEqual(['R IY D', 'R EH D']);
  });
});

describe('buildMedicalModel on a tiny corpus', () => {
  it('writes a model folder pocketsphinx recognizes with, words outside cmudict pronounced', { timeout: 180_000 }, async () => {
    const out = path.join(dir, 'model');
    const manifest = await buildMedicalModel(
      {
        codeTitles: ['Hypertensive heart disease with heart failure', 'Type 2 diabetes mellitus without complications'],
        indexTerms: ['Cholecystitis acute', 'Pneumonia aspiration'],
        drugNames: ['Metoprolol', 'Hydrochlorothiazide'],
        clinicalText: ['The patient was started on metoprolol and hydrochlorothiazide. She denies chest pain.\nNo shortness of breath.'],
        physicianNames: [{ given: 'Grace', family: 'Oyelaran' }],
      },
      out,
      { generalWords: 300 },
    );
    expect(manifest.formatVersion).toBeGreaterThan(0);
    const dict = parseLexicon(readFileSync(path.join(out, 'medical.dict'), 'utf8'));
    expect(dict.get('oyelaran')?.[0]).toMatch(/^OY /);
    expect(dict.has('hydrochlorothiazide')).toBe(true);
    const lm = readArpa(readFileSync(path.join(out, 'medical.lm'), 'utf8'));
    expect(lm.declared).toEqual(lm.entries.map((e) => e.length));
    // Every LM word has a pronunciation (pocketsphinx would drop it otherwise).
    for (const [, w] of lm.entries[0] ?? []) if (w !== '<s>' && w !== '</s>') expect(dict.has(w ?? ''), w).toBe(true);

    const clip = path.join(dir, 'dictation.flac');
    const said = 'the patient was started on metoprolol and hydrochlorothiazide';
    await synthesizeSpeech(said, clip, { voice: 'en-us+klatt', wordsPerMinute: 150 });
    const t = await transcribeAudio(clip, { model: await readModelDir(out) });
    expect(t.engine).toBe(`pocketsphinx-0.8/${manifest.name}`);
    expect(wordErrorRate(said, t.text)).toBeLessThan(0.35);
  });
});
