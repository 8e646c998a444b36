/**
 * The recognizer: CMU pocketsphinx 0.8 (Debian `pocketsphinx`, models from `pocketsphinx-en-us`), run as
 * `pocketsphinx_continuous` on a raw 16 kHz file, with `-time yes` for each word's frames and posterior.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAbort, runProgram } from './process.js';
import { SpeechError, SpeechProblem, type SpeechWord } from './types.js';

/** Where Debian's pocketsphinx-en-us puts the US English models. */
export const STOCK_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

/** An acoustic model, a language model (ARPA text or binary) and its pronunciation dictionary. */
export interface SpeechModel {
  /** Short name reported in `SpeechTranscript.engine`, e.g. `general` or `medical-v1`. */
  name: string;
  hmmDir: string;
  lmPath: string;
  dictPath: string;
  /** Language weight (pocketsphinx `-lw`); the default 6.5 when absent. */
  languageWeight?: number | undefined;
  /** Word insertion penalty (`-wip`); the default 0.65 when absent. */
  wordInsertionPenalty?: number | undefined;
}

/** The general English model as Debian ships it (cmudict, the 70k-word en-us 3-gram). */
export function stockModel(dir: string = STOCK_MODEL_DIR): SpeechModel {
  return { name: 'general', hmmDir: join(dir, 'en-us'), lmPath: join(dir, 'en-us.lm.bin'), dictPath: join(dir, 'cmudict-en-us.dict') };
}

export interface RecognizeOptions {
  signal?: AbortSignal | undefined;
  /** The program (default `pocketsphinx_continuous` on the PATH). */
  program?: string | undefined;
  /** Name of the audio in error messages. */
  name?: string | undefined;
}

/** Recognizes 16 kHz mono 16-bit PCM with `model`; words in time order. */
export async function recognizePcm(pcm: Buffer, model: SpeechModel, options: RecognizeOptions = {}): Promise<SpeechWord[]> {
  const name = options.name ?? 'audio';
  // A file, not a pipe: pocketsphinx_continuous reads in fixed blocks, and a pipe's short reads change its
  // voice-activity segmentation (and so the words) from run to run.
  const dir = await mkdtemp(join(tmpdir(), 'custodian-speech-'));
  try {
    const raw = join(dir, 'audio.raw');
    await writeFile(raw, pcm);
    const args = [
      '-infile',
      raw,
      '-hmm',
      model.hmmDir,
      '-lm',
      model.lmPath,
      '-dict',
      model.dictPath,
      '-time',
      'yes',
      '-logfn',
      '/dev/null',
    ];
    if (model.languageWeight !== undefined) args.push('-lw', String(model.languageWeight));
    if (model.wordInsertionPenalty !== undefined) args.push('-wip', String(model.wordInsertionPenalty));
    let result;
    try {
      result = await runProgram(options.program ?? 'pocketsphinx_continuous', args, { signal: options.signal });
    } catch (e) {
      if (isAbort(e)) throw new SpeechError(SpeechProblem.aborted, `recognizing ${name} was cancelled`);
      throw new SpeechError(
        SpeechProblem.engine,
        `cannot run pocketsphinx_continuous for ${name}: ${(e as Error).message} (install the Debian packages pocketsphinx and pocketsphinx-en-us)`,
      );
    }
    if (result.code !== 0) {
      const why = result.stderr.trim().split('\n').at(-1) ?? `exit code ${String(result.code)}`;
      throw new SpeechError(SpeechProblem.engine, `pocketsphinx failed on ${name} with model ${model.name}: ${why}`);
    }
    return parseTimedOutput(result.stdout.toString('utf8'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const TIMED_LINE = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/;

/** True for the decoder's non-words: sentence marks, silence and fillers (`[NOISE]`, `++UM++`). */
function isFiller(word: string): boolean {
  return word === '<s>' || word === '</s>' || word === '<sil>' || word.startsWith('[') || word.startsWith('++');
}

/**
 * Reads `-time yes` output: each utterance's hypothesis line, then one `word start end posterior` line per
 * word. Fillers are dropped, alternate pronunciations (`can(2)`) lose their number, posteriors are kept in 0..1.
 */
export function parseTimedOutput(stdout: string): SpeechWord[] {
  const words: SpeechWord[] = [];
  for (const line of stdout.split('\n')) {
    const m = TIMED_LINE.exec(line.trim());
    if (!m) continue;
    const word = (m[1] ?? '').replace(/\(\d+\)$/, '');
    if (isFiller(word)) continue;
    words.push({ word, start: Number(m[2]), end: Number(m[3]), confidence: Math.min(1, Math.max(0, Number(m[4]))) });
  }
  return words;
}
