/** `custodian transcribe FILE... --json`: one line per file in the order given; a bad file answered, the rest go on. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesizeSpeech } from '../../src/core/speech/index.js';
import { runCli } from '../support/cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-transcribe-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('custodian transcribe', () => {
  it('prints one JSON line per file in order, errors for the bad ones, and exits 0', { timeout: 180_000 }, async () => {
    const first = path.join(dir, 'first.wav');
    const last = path.join(dir, 'last.flac');
    await synthesizeSpeech('the lungs are clear', first, { voice: 'en-us+klatt', wordsPerMinute: 140 });
    await synthesizeSpeech('heart rate and rhythm', last, { voice: 'en-us+klatt2', wordsPerMinute: 140 });
    const corrupt = path.join(dir, 'corrupt.mp3');
    fs.writeFileSync(corrupt, Buffer.alloc(4096, 0x41));
    const missing = path.join(dir, 'missing.ogg');

    const r = await runCli(['transcribe', '--json', '--model', 'general', first, corrupt, missing, last]);
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.file)).toEqual([first, corrupt, missing, last]);
    expect(lines[1]).toEqual({ file: corrupt, error: expect.stringMatching(/^corrupt\.mp3 is not audio that can be decoded/) as unknown });
    expect(lines[2]).toEqual({ file: missing, error: 'missing.ogg: no such file' });
    for (const ok of [lines[0], lines[3]]) {
      expect(Object.keys(ok ?? {})).toEqual(['file', 'text', 'words']);
      const words = ok?.words as { word: string; start: number; end: number; confidence: number }[];
      expect(words.length).toBeGreaterThan(1);
      expect(words.map((w) => w.word).join(' ')).toBe(ok?.text);
      for (const w of words) {
        expect(Object.keys(w)).toEqual(['word', 'start', 'end', 'confidence']);
        expect(w.end).toBeGreaterThan(w.start);
      }
    }
  });

  it('refuses to run without files, naming what is missing', async () => {
    const r = await runCli(['transcribe', '--model', 'general']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('transcribe: give one or more audio files (or --build-model)\n');
  });

  it('fails the plain-text form when a file fails, after printing the others', { timeout: 120_000 }, async () => {
    const clip = path.join(dir, 'plain.wav');
    await synthesizeSpeech('no acute distress', clip, { voice: 'en-us+klatt' });
    const r = await runCli(['transcribe', '--model', 'general', clip, path.join(dir, 'gone.wav')]);
    expect(r.code).toBe(1);
    expect(r.out.startsWith(`${clip}\t`)).toBe(true);
    expect(r.err).toBe('transcribe: gone.wav: no such file\n');
  });
});
