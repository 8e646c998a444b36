/** A built model folder: `model.json` naming the language model and dictionary beside it. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { STOCK_MODEL_DIR, type SpeechModel } from './pocketsphinx.js';
import { SpeechError, SpeechProblem } from './types.js';

/** The manifest of a model folder. */
export const modelManifestSchema = z.object({
  formatVersion: z.number().int(),
  name: z.string().min(1),
  /** File names inside the folder. */
  lm: z.string().min(1),
  dict: z.string().min(1),
  /** The acoustic model folder; Debian's en-us when absent. */
  hmmDir: z.string().optional(),
  languageWeight: z.number().positive().optional(),
  wordInsertionPenalty: z.number().positive().optional(),
  /** What went in (sources, counts), for the README and a cache's staleness check. */
  sources: z.record(z.string(), z.unknown()).optional(),
});
export type ModelManifest = z.infer<typeof modelManifestSchema>;

export const MODEL_MANIFEST = 'model.json';

/** Reads the model of a folder made by `buildMedicalModel` (or by hand). */
export async function readModelDir(dir: string): Promise<SpeechModel> {
  let text: string;
  try {
    text = await readFile(join(dir, MODEL_MANIFEST), 'utf8');
  } catch {
    throw new SpeechError(
      SpeechProblem.engine,
      `no speech model in ${dir} (${MODEL_MANIFEST} missing): build it with custodian transcribe --build-model`,
    );
  }
  const m = modelManifestSchema.parse(JSON.parse(text));
  return {
    name: m.name,
    hmmDir: m.hmmDir ?? join(STOCK_MODEL_DIR, 'en-us'),
    lmPath: join(dir, m.lm),
    dictPath: join(dir, m.dict),
    languageWeight: m.languageWeight,
    wordInsertionPenalty: m.wordInsertionPenalty,
  };
}
