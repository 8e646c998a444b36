import type { Command } from 'commander';
import { ocrEngineOf } from '../app/bootstrap.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { OcrSetupError, type OcrEngine, type OcrPage } from '../modules/ocr/index.js';
import { action, cliDefaults } from './shared.js';
import { registerDocumentRecordCommands } from './documents-records.command.js';

/** One input file's outcome: `file` is the argument exactly as given. */
type FileOutcome = { file: string; pages: OcrPage[] } | { file: string; error: string };

async function recognizeOne(engine: OcrEngine, file: string, signal: AbortSignal): Promise<FileOutcome> {
  try {
    const r = await engine.recognizeFile(file, { signal });
    // Word boxes are for the viewer's hit highlighting, not for this output.
    return { file, pages: r.pages.map((p) => ({ page: p.page, text: p.text, confidence: p.confidence })) };
  } catch (e) {
    // The engine's messages name the problem (no such file, not a PDF, page 3 cannot be read), never page text.
    return { file, error: (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'failed' };
  }
}

function printText(o: FileOutcome): void {
  if ('error' in o) {
    process.stderr.write(`custodian: documents ocr: ${o.file}: ${o.error}\n`);
    return;
  }
  let out = `==> ${o.file} <==\n`;
  for (const p of o.pages) out += `--- page ${p.page} (confidence ${p.confidence.toFixed(2)}) ---\n${p.text}\n\n`;
  process.stdout.write(out);
}

/**
 * `documents ocr FILE... [--json] [--workers N]`: reads each file's pages without storing anything. Files are read
 * in parallel (pages of several files share all cores) and printed in the order given as soon as each and those
 * before it are done. With --json one line per file, `{"file", "pages"}` or `{"file", "error"}`, exit 0; as text,
 * an unreadable file is one line on stderr and the exit code is 1.
 */
async function runOcr(files: string[], opts: { json?: boolean; workers?: string }): Promise<void> {
  const config = loadConfig(process.env, { ocrWorkers: opts.workers }, cliDefaults);
  const engine = ocrEngineOf(config);
  const stop = new AbortController();
  const stopped = () => stop.signal.aborted;
  const pending: Promise<FileOutcome>[] = [];
  const onStdoutError = (e: NodeJS.ErrnoException) => {
    // A closed pipe (`| head`) is the reader's choice: stop reading pages, exit quietly.
    if (e.code === 'EPIPE') stop.abort();
  };
  process.stdout.on('error', onStdoutError);
  try {
    await engine.check().catch((e: unknown) => {
      throw e instanceof OcrSetupError ? new ConfigError(e.message) : e;
    });
    // Files ahead of the one being printed are started, enough to keep every slot busy, not all at once (memory).
    const window = Math.max(2, engine.workers * 2);
    for (const f of files.slice(0, window)) pending.push(recognizeOne(engine, f, stop.signal));
    let failed = 0;
    for (let i = 0; i < files.length && !stopped(); i++) {
      const outcome = await pending[i]!;
      const following = files[pending.length];
      if (following !== undefined) pending.push(recognizeOne(engine, following, stop.signal));
      if (stopped()) break;
      if ('error' in outcome) failed++;
      if (opts.json) process.stdout.write(`${JSON.stringify(outcome)}\n`);
      else printText(outcome);
    }
    if (failed > 0 && !opts.json) process.exitCode = 1;
  } finally {
    stop.abort();
    await Promise.allSettled(pending); // their temporary folders removed before the engine stops
    await new Promise((resolve) => setImmediate(resolve)); // a write's EPIPE is emitted a tick later: still ours
    process.stdout.off('error', onStdoutError);
    await engine.close();
  }
}

/**
 * Adds `custodian documents ...` and answers the `documents` command, so that the documents module's own
 * sub-commands (import, search) are added to the same one.
 */
export function registerDocumentsCommands(program: Command): Command {
  const documents = program.command('documents').description('the legal health record: documents and their scanned pages');
  documents
    .command('ocr')
    .description('recognise the text of scanned pages (PDF, TIFF, PNG, JPEG) without storing them; pages read on all cores')
    .argument('<file...>', 'files to read; each one is reported in the order given')
    .option('--json', 'one JSON line per file: {"file", "pages": [{"page", "text", "confidence"}]} or {"file", "error"}')
    .option('--workers <n>', 'pages read at once (env CUSTODIAN_OCR_WORKERS, default: all cores)')
    .action(action(runOcr));
  registerDocumentRecordCommands(documents);
  return documents;
}
