/** Decoding any audio file (WAV, FLAC, MP3, M4A/AAC, OGG, ...) to 16 kHz mono 16-bit PCM with Debian's ffmpeg. */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { isAbort, runProgram } from './process.js';
import { SpeechError, SpeechProblem } from './types.js';

/** The sample rate the en-us acoustic model was trained on. */
export const SAMPLE_RATE = 16000;

/** Decoded audio: signed 16-bit little-endian mono samples at 16 kHz. */
export interface DecodedAudio {
  pcm: Buffer;
  sampleRate: typeof SAMPLE_RATE;
  durationSeconds: number;
}

export interface DecodeOptions {
  signal?: AbortSignal | undefined;
  /** The ffmpeg program (default `ffmpeg` on the PATH). */
  ffmpeg?: string | undefined;
}

/**
 * Decodes `filePath` to 16 kHz mono PCM. A file that is missing, empty, not audio or corrupt is answered with a
 * `SpeechError` naming the file and the problem (ffmpeg's own words for a corrupt file).
 */
export async function decodeAudio(filePath: string, options: DecodeOptions = {}): Promise<DecodedAudio> {
  const name = basename(filePath);
  await checkReadable(filePath, name);
  const args = [
    '-nostdin',
    '-v',
    'error',
    '-i',
    filePath,
    '-map',
    '0:a:0',
    '-vn',
    '-ac',
    '1',
    '-ar',
    String(SAMPLE_RATE),
    '-f',
    's16le',
    '-acodec',
    'pcm_s16le',
    '-',
  ];
  let result;
  try {
    result = await runProgram(options.ffmpeg ?? 'ffmpeg', args, { signal: options.signal });
  } catch (e) {
    if (isAbort(e)) throw new SpeechError(SpeechProblem.aborted, `decoding ${name} was cancelled`);
    throw new SpeechError(
      SpeechProblem.engine,
      `cannot run ffmpeg to decode ${name}: ${(e as Error).message} (install the Debian package ffmpeg)`,
    );
  }
  if (result.code !== 0) throw decodeFailure(name, result.stderr.replaceAll(filePath, name));
  if (result.stdout.length < 2) throw new SpeechError(SpeechProblem.noAudio, `${name} holds no audio samples`);
  const pcm = result.stdout.length % 2 === 0 ? result.stdout : result.stdout.subarray(0, result.stdout.length - 1);
  return { pcm, sampleRate: SAMPLE_RATE, durationSeconds: pcm.length / 2 / SAMPLE_RATE };
}

async function checkReadable(filePath: string, name: string): Promise<void> {
  let size: number;
  try {
    const s = await stat(filePath);
    if (!s.isFile()) throw new SpeechError(SpeechProblem.unreadable, `${name} is not a file`);
    size = s.size;
  } catch (e) {
    if (e instanceof SpeechError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'cannot be read');
    throw new SpeechError(SpeechProblem.unreadable, `${name}: ${why}`);
  }
  if (size === 0) throw new SpeechError(SpeechProblem.empty, `${name} is empty (0 bytes)`);
}

/** ffmpeg's complaint, shortened to its last meaningful line, without the path (which may hold a name). */
function decodeFailure(name: string, stderr: string): SpeechError {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.some((l) => /matches no streams|does not contain any stream|Stream map '0:a:0'/i.test(l)))
    return new SpeechError(SpeechProblem.noAudio, `${name} has no audio stream`);
  const last = (lines.at(-1) ?? 'unknown error').replace(/\[[^\]]*\]\s*/g, '').replace(`${name}: `, '');
  return new SpeechError(SpeechProblem.undecodable, `${name} is not audio that can be decoded (corrupt or unsupported format): ${last}`);
}

/** A RIFF/WAVE header for `pcm` (16-bit mono at `sampleRate`), e.g. to play decoded audio or hand it to a tool. */
export function wavFromPcm(pcm: Buffer, sampleRate: number = SAMPLE_RATE): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}
