/**
 * Synthetic dictation for tests and the benchmark: text spoken by espeak-ng (formant synthesis, installed with
 * Debian's espeak-ng), optionally mixed with seeded pink noise at a given signal-to-noise ratio, and encoded by
 * ffmpeg in any container (wav, flac, mp3, m4a, ogg). Deterministic for the same text, voice and seed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudio, SAMPLE_RATE, wavFromPcm } from './decode.js';
import { runProgram } from './process.js';

export interface SynthOptions {
  /** espeak-ng voice, e.g. `en-us+klatt` (default), `en-us`. */
  voice?: string;
  /** Words per minute (default 160). */
  wordsPerMinute?: number;
  /** Pink noise mixed in at this signal-to-noise ratio in dB; no noise when absent. */
  snrDb?: number;
  /** Seed of the noise. */
  seed?: number;
}

/** ffmpeg encoder arguments by output extension. */
const ENCODERS: Record<string, string[]> = {
  wav: ['-c:a', 'pcm_s16le'],
  flac: ['-c:a', 'flac'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k'],
  m4a: ['-c:a', 'aac', '-b:a', '64k'],
  aac: ['-c:a', 'aac', '-b:a', '64k', '-f', 'adts'],
  ogg: ['-c:a', 'libvorbis', '-q:a', '4'],
  opus: ['-c:a', 'libopus', '-b:a', '32k'],
};

/** Speaks `text` into `outFile` (format from its extension); answers the audio's duration in seconds. */
export async function synthesizeSpeech(text: string, outFile: string, options: SynthOptions = {}): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'custodian-synth-'));
  try {
    const spoken = join(dir, 'spoken.wav');
    const r = await runProgram(
      'espeak-ng',
      ['-v', options.voice ?? 'en-us+klatt', '-s', String(options.wordsPerMinute ?? 160), '-w', spoken],
      {
        input: Buffer.from(text, 'utf8'),
      },
    );
    if (r.code !== 0) throw new Error(`espeak-ng failed: ${r.stderr.trim()}`);
    const { pcm } = await decodeAudio(spoken);
    const mixed = options.snrDb === undefined ? pcm : addPinkNoise(pcm, options.snrDb, options.seed ?? 1);
    const ext = outFile.slice(outFile.lastIndexOf('.') + 1).toLowerCase();
    const wav = join(dir, 'mixed.wav');
    await writeFile(wav, wavFromPcm(mixed));
    if (ext === 'wav') await writeFile(outFile, await readFile(wav));
    else {
      const enc = ENCODERS[ext];
      if (!enc) throw new Error(`no encoder for .${ext}`);
      const e = await runProgram('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', wav, ...enc, outFile]);
      if (e.code !== 0) throw new Error(`ffmpeg could not encode .${ext}: ${e.stderr.trim()}`);
    }
    return mixed.length / 2 / SAMPLE_RATE;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Mixes seeded pink noise (Paul Kellet's filter over white noise) into 16-bit PCM at `snrDb`. */
export function addPinkNoise(pcm: Buffer, snrDb: number, seed: number): Buffer {
  const n = pcm.length >> 1;
  let state = seed >>> 0 || 1;
  const random = (): number => {
    // xorshift32: the same noise for the same seed on every machine.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296 - 0.5;
  };
  const noise = new Float64Array(n);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let i = 0; i < n; i++) {
    const white = random();
    b0 = 0.99765 * b0 + white * 0.099046;
    b1 = 0.963 * b1 + white * 0.2965164;
    b2 = 0.57 * b2 + white * 1.0526913;
    noise[i] = b0 + b1 + b2 + white * 0.1848;
  }
  let speech = 0;
  let noisePower = 0;
  for (let i = 0; i < n; i++) {
    const s = pcm.readInt16LE(i * 2);
    speech += s * s;
    noisePower += (noise[i] as number) ** 2;
  }
  const scale = noisePower === 0 ? 0 : Math.sqrt(speech / noisePower / 10 ** (snrDb / 10));
  const out = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) {
    const v = Math.round(pcm.readInt16LE(i * 2) + (noise[i] as number) * scale);
    out.writeInt16LE(Math.max(-32768, Math.min(32767, v)), i * 2);
  }
  return out;
}
