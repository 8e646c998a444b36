/**
 * `custodian transcribe FILE... [--json]`: local speech recognition of audio files (issue 23; src/core/speech).
 * No database. The medical model is built on first use and cached under `<var>/speech` (`--build-model` builds
 * or refreshes it ahead).
 */
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { ensureMedicalModel, transcribeFiles, stockModel, type TranscribeResult } from '../core/speech/index.js';
import { demoProviders } from '../modules/demo/index.js';
import { configFromFlags, exitCodeOf } from './settings.js';

const optionsSchema = z.object({
  json: z.boolean().optional(),
  model: z.enum(['medical', 'general']).default('medical'),
  modelDir: z.string().min(1).optional(),
  buildModel: z.boolean().optional(),
  rebuildModel: z.boolean().optional(),
  jobs: z.coerce.number().int().min(1).max(16).default(2),
  dataDir: z.string().min(1).optional(),
});
type TranscribeOptions = z.input<typeof optionsSchema>;

/** The medical model folder: the cache `<var>/speech/medical-v<N>` when fresh, else built (progress on stderr). */
async function medicalModelDir(opts: z.output<typeof optionsSchema>): Promise<string> {
  const config = configFromFlags({ dataDir: opts.dataDir });
  const t0 = performance.now();
  const cacheDir = path.join(config.varDir, 'speech');
  const { modelDir, built } = await ensureMedicalModel({
    dataDir: config.dataDir,
    codesetsDir: config.codesetsDir,
    cacheDir,
    physicianNames: demoProviders,
    force: opts.rebuildModel ?? false,
    build: { progress: (m) => process.stderr.write(`transcribe: ${m}\n`) },
  });
  if (built) process.stderr.write(`transcribe: medical model built in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${modelDir}\n`);
  return modelDir;
}

/** One output line: the words and times, or the error, of one file. */
function jsonLine(r: TranscribeResult): string {
  if ('error' in r) return JSON.stringify({ file: r.file, error: r.error.message });
  const words = r.transcript.words.map((w) => ({ word: w.word, start: w.start, end: w.end, confidence: w.confidence }));
  return JSON.stringify({ file: r.file, text: r.transcript.text, words });
}

async function runTranscribe(files: string[], input: TranscribeOptions): Promise<void> {
  const opts = optionsSchema.parse(input);
  const wantsBuild = (opts.buildModel ?? false) || (opts.rebuildModel ?? false);
  if (files.length === 0 && !wantsBuild) throw new Error('give one or more audio files (or --build-model)');
  let modelDir = opts.modelDir;
  if (modelDir === undefined && (opts.model === 'medical' || wantsBuild)) modelDir = await medicalModelDir(opts);
  if (files.length === 0) return;
  const model = opts.model === 'general' && opts.modelDir === undefined ? stockModel() : undefined;
  // Results arrive as files finish; print them in the order given.
  const done = new Map<number, TranscribeResult>();
  let printed = 0;
  let failed = 0;
  const flush = (): void => {
    while (done.has(printed)) {
      const r = done.get(printed) as TranscribeResult;
      done.delete(printed++);
      if (opts.json) process.stdout.write(`${jsonLine(r)}\n`);
      else if ('error' in r) process.stderr.write(`transcribe: ${r.error.message}\n`);
      else process.stdout.write(`${r.file}\t${r.transcript.text}\n`);
    }
  };
  await transcribeFiles(files, { model, modelDir, concurrency: opts.jobs }, (r, i) => {
    if ('error' in r) failed++;
    done.set(i, r);
    flush();
  });
  // --json answers every file on its own line (exit 0); plain text output fails when a file failed.
  if (!opts.json && failed > 0) process.exitCode = 1;
}

/** Adds `custodian transcribe FILE... [--json] [--model medical|general] [--jobs N] [--build-model]`. */
export function registerTranscribeCommand(program: Command): void {
  program
    .command('transcribe')
    .description('speech recognition of dictated audio files on this machine (pocketsphinx, medical language model)')
    .argument('[files...]', 'audio files')
    .option('--json', 'one JSON line per file, in order: {"file","text","words":[{"word","start","end","confidence"}]} or {"file","error"}')
    .option('--model <name>', 'language model: medical (default; built on first use and cached under <var>/speech) or general')
    .option('--model-dir <dir>', 'a model folder made by --build-model (model.json, ARPA LM, dictionary)')
    .option('--jobs <n>', 'files recognized at once (default 2)')
    .option('--build-model', 'build the medical model now if missing or stale (code sets, CodiEsp English, physician names)')
    .option('--rebuild-model', 'rebuild the medical model even when it is fresh')
    .option('--data-dir <dir>', 'folder of the official CMS/CDC code-set files (env CUSTODIAN_DATA_DIR)')
    .action(async (files: string[], opts: TranscribeOptions) => {
      try {
        await runTranscribe(files, opts);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') return;
        const msg =
          err instanceof z.ZodError
            ? err.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')
            : (err as Error).message;
        process.stderr.write(`transcribe: ${msg.split('\n')[0] ?? 'failed'}\n`);
        process.exitCode = exitCodeOf(err);
      }
    });
}
