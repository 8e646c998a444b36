/**
 * Local speech recognition: every audio format the issue names decodes to 16 kHz mono, a broken file is answered
 * with a SpeechError naming it, and pocketsphinx recognizes the shared clips within a word error rate bound.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import {
  decodeAudio,
  SpeechError,
  synthesizeSpeech,
  transcribeAudio,
  transcribeFiles,
  wordErrorRate,
  countWordErrors,
  parseTimedOutput,
} from './index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'custodian-speech-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const audioDir = path.resolve(loadConfig().dataDir, '..', '..', 'corpora', 'audio');

describe('decodeAudio', () => {
  const formats = ['wav', 'flac', 'mp3', 'm4a', 'aac', 'ogg'] as const;
  let spokenSeconds = 0;
  beforeAll(async () => {
    // One short clip spoken once, encoded in every format.
    for (const f of formats)
      spokenSeconds = await synthesizeSpeech('blood pressure is stable', path.join(dir, `clip.${f}`), { voice: 'en-us+klatt' });
  });

  it.each(formats)('decodes .%s to 16 kHz mono 16-bit samples of the clip length', async (format) => {
    const audio = await decodeAudio(path.join(dir, `clip.${format}`));
    expect(audio.sampleRate).toBe(16000);
    expect(audio.pcm.length % 2).toBe(0);
    // Lossy encoders pad a frame or two (MP3, AAC): within 0.15 s of the spoken length.
    expect(Math.abs(audio.durationSeconds - spokenSeconds)).toBeLessThan(0.15);
    let peak = 0;
    for (let i = 0; i < audio.pcm.length; i += 2) peak = Math.max(peak, Math.abs(audio.pcm.readInt16LE(i)));
    expect(peak).toBeGreaterThan(1000);
  });

  it('answers a corrupt file, an empty file, a missing file and a non-audio file with a SpeechError naming the file', async () => {
    const corrupt = path.join(dir, 'corrupt.wav');
    writeFileSync(corrupt, Buffer.concat([Buffer.from('RIFF\x00\x00\x00\x00WAVEjunk'), Buffer.alloc(3000, 0x5a)]));
    const empty = path.join(dir, 'empty.mp3');
    writeFileSync(empty, '');
    const text = path.join(dir, 'note.ogg');
    writeFileSync(text, 'Patient seen in clinic today.\n'.repeat(40));
    const cases: [string, string, RegExp][] = [
      [corrupt, 'undecodable', /^corrupt\.wav is not audio that can be decoded \(corrupt or unsupported format\)/],
      [empty, 'empty', /^empty\.mp3 is empty \(0 bytes\)$/],
      [path.join(dir, 'missing.flac'), 'unreadable', /^missing\.flac: no such file$/],
      [text, 'undecodable', /^note\.ogg is not audio/],
    ];
    for (const [file, problem, message] of cases) {
      const error = await decodeAudio(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, file).toBeInstanceOf(SpeechError);
      expect((error as SpeechError).problem, file).toBe(problem);
      expect((error as SpeechError).message, file).toMatch(message);
      expect((error as SpeechError).message, file).not.toContain(dir);
    }
  });
});

describe('transcribeAudio (pocketsphinx, general English model)', () => {
  it('recognizes the shared clips with word timings and confidences, WER under the measured bound', { timeout: 180_000 }, async () => {
    const tsv = await readFile(path.join(audioDir, 'transcripts.tsv'), 'utf8');
    const rows = tsv
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
    const results = await transcribeFiles(
      rows.map((r) => path.join(audioDir, r[0] ?? '')),
      { concurrency: 2 },
    );
    // Measured 2026-12: jfk.flac 0.64 (11 s of 1961 broadcast audio), LJ050-0131.wav 0.19.
    const bounds: Record<string, number> = { 'jfk.flac': 0.8, 'LJ050-0131.wav': 0.3 };
    for (const [i, r] of results.entries()) {
      const name = path.basename(r.file);
      expect('transcript' in r, name).toBe(true);
      if (!('transcript' in r)) continue;
      const t = r.transcript;
      const wer = wordErrorRate(rows[i]?.[1] ?? '', t.text);
      console.log(`${name}: WER ${wer.toFixed(2)} "${t.text}"`);
      expect(wer, name).toBeLessThan(bounds[name] ?? 0.5);
      expect(t.engine).toBe('pocketsphinx-0.8/general');
      expect(t.words.length).toBeGreaterThan(5);
      for (const [j, w] of t.words.entries()) {
        expect(w.start).toBeLessThan(w.end);
        expect(w.end).toBeLessThanOrEqual(t.durationSeconds + 0.05);
        expect(w.start).toBeGreaterThanOrEqual(t.words[j - 1]?.end ?? 0);
        expect(w.confidence).toBeGreaterThanOrEqual(0);
        expect(w.confidence).toBeLessThanOrEqual(1);
        expect(w.word).toMatch(/^[a-z'.]+$/);
      }
    }
  });

  it('rejects a file that cannot be decoded without running the recognizer', async () => {
    const bad = path.join(dir, 'bad.m4a');
    writeFileSync(bad, Buffer.alloc(2048, 7));
    await expect(transcribeAudio(bad)).rejects.toThrow(/^bad\.m4a is not audio that can be decoded/);
  });
});

describe('pocketsphinx -time output', () => {
  it('keeps words with times and posteriors, drops sentence marks, silences and fillers, and numbered alternates', () => {
    const out = [
      'and so my',
      '<s> 0.000 0.040 0.999100',
      'and(2) 0.050 0.160 0.032781',
      '<sil> 0.17 0.20 0.5',
      '[NOISE] 0.2 0.3 0.4',
      'so 0.310 0.670 1.000200',
      '</s> 0.7 0.8 1.0',
      '',
    ].join('\n');
    expect(parseTimedOutput(out)).toEqual([
      { word: 'and', start: 0.05, end: 0.16, confidence: 0.032781 },
      { word: 'so', start: 0.31, end: 0.67, confidence: 1 },
    ]);
  });
});

describe('word error rate', () => {
  const cases: [string, string, string, { s: number; d: number; i: number; n: number }, number][] = [
    ['identical', 'the patient denies chest pain', 'the patient denies chest pain', { s: 0, d: 0, i: 0, n: 5 }, 0],
    ['case and punctuation do not count', 'Chest pain, resolved.', 'chest pain resolved', { s: 0, d: 0, i: 0, n: 3 }, 0],
    ['one substitution', 'no acute distress', 'no cute distress', { s: 1, d: 0, i: 0, n: 3 }, 1 / 3],
    ['one deletion', 'lungs are clear', 'lungs clear', { s: 0, d: 1, i: 0, n: 3 }, 1 / 3],
    ['two insertions', 'afebrile', 'a fe brile', { s: 1, d: 0, i: 2, n: 1 }, 3],
    ['empty hypothesis', 'heart regular', '', { s: 0, d: 2, i: 0, n: 2 }, 1],
    ['empty both', '', '', { s: 0, d: 0, i: 0, n: 0 }, 0],
    ['hyphens split words, apostrophes stay', "patient's x-ray", "patient's x ray", { s: 0, d: 0, i: 0, n: 3 }, 0],
  ];
  it.each(cases)('%s', (_name, ref, hyp, counts, wer) => {
    const e = countWordErrors(ref, hyp);
    expect({ s: e.substitutions, d: e.deletions, i: e.insertions, n: e.referenceWords }).toEqual(counts);
    expect(wordErrorRate(ref, hyp)).toBeCloseTo(wer, 10);
  });
});
