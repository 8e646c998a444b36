/** From an audio file to a transcript: decode with ffmpeg, recognize with pocketsphinx. */
import { basename } from 'node:path';
import { decodeAudio } from './decode.js';
import { readModelDir } from './model-dir.js';
import { recognizePcm, stockModel, type SpeechModel } from './pocketsphinx.js';
import type { SpeechTranscript } from './types.js';

/** The engine's name and version in `SpeechTranscript.engine`. */
export const ENGINE = 'pocketsphinx-0.8';

export interface TranscribeOptions {
  /** Only US English (`en-US`) models are installed. */
  language?: 'en-US' | undefined;
  signal?: AbortSignal | undefined;
  /**
   * A folder made by `buildMedicalModel` (the medical language model and dictionary). Without it (and without
   * `model`), Debian's general English model is used.
   */
  modelDir?: string | undefined;
  /** A model given directly (wins over `modelDir`). */
  model?: SpeechModel | undefined;
}

/**
 * Transcribes one audio file (any format ffmpeg decodes). Throws `SpeechError` for a file that cannot be read or
 * decoded, or when the engine is missing. Runs two child processes; callers run several files at once to use
 * more cores (see `transcribeFiles`).
 */
export async function transcribeAudio(filePath: string, options: TranscribeOptions = {}): Promise<SpeechTranscript> {
  const model = options.model ?? (options.modelDir !== undefined ? await readModelDir(options.modelDir) : stockModel());
  const audio = await decodeAudio(filePath, { signal: options.signal });
  const words = await recognizePcm(audio.pcm, model, { signal: options.signal, name: basename(filePath) });
  return { text: words.map((w) => w.word).join(' '), words, durationSeconds: audio.durationSeconds, engine: `${ENGINE}/${model.name}` };
}

/** The outcome for one file of a batch: its transcript, or the error that stopped it. */
export type TranscribeResult = { file: string; transcript: SpeechTranscript } | { file: string; error: Error };

/**
 * Transcribes many files, `concurrency` at a time (default 2, the cores of this machine), and answers one result
 * per file in the order given; a file that fails does not stop the others.
 */
export async function transcribeFiles(
  files: readonly string[],
  options: TranscribeOptions & { concurrency?: number } = {},
  onResult?: (result: TranscribeResult, index: number) => void,
): Promise<TranscribeResult[]> {
  const results: TranscribeResult[] = new Array<TranscribeResult>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const file = files[i] ?? '';
      try {
        results[i] = { file, transcript: await transcribeAudio(file, options) };
      } catch (e) {
        results[i] = { file, error: e instanceof Error ? e : new Error(String(e)) };
      }
      onResult?.(results[i], i);
    }
  };
  const n = Math.max(1, Math.min(options.concurrency ?? 2, files.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}
