/**
 * `custodian scanning cover-sheet --patient MRN [--encounter ID] --type TYPE --out FILE` prints a barcoded cover
 * sheet (PDF) and `custodian scanning import FILE... [--json]` runs scanned batches through the inbox's work now
 * (each file copied into the inbox and processed: split at its cover sheets, filed, the rest to the QA queue).
 * Audited as `cli:<os user>`; the output names ids and counts, never the patient.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { notFound } from '../core/errors.js';
import { claimFile, printCoverSheet, processBatch } from '../modules/scanning/index.js';
import { searchPatients } from '../modules/patients/index.js';
import { action, cliActor, openCliDeps, withDatabaseOptions } from './shared.js';

interface CoverOptions {
  patient: string;
  encounter?: string;
  type: string;
  out: string;
  database?: string;
  dataDir?: string;
}

async function runCoverSheet(opts: CoverOptions): Promise<void> {
  const o = await openCliDeps(opts);
  try {
    const hits = await searchPatients(o.modules.patients, cliActor(), opts.patient);
    const p = hits.find((h) => h.mrn === opts.patient.trim());
    if (!p) throw notFound('patient with this MRN');
    const { sheetId, pdf } = await printCoverSheet(o.modules.scanning, cliActor(), {
      patientId: p.id,
      encounterId: opts.encounter ?? null,
      typeCode: opts.type,
    });
    await fs.writeFile(opts.out, pdf);
    process.stderr.write(`cover sheet ${sheetId} written to ${opts.out}\n`);
  } finally {
    await o.close();
  }
}

async function runImport(files: string[], opts: { json?: boolean; database?: string; dataDir?: string }): Promise<void> {
  const o = await openCliDeps(opts);
  try {
    const scan = o.modules.scanning;
    let failed = 0;
    for (const file of files) {
      try {
        await fs.mkdir(scan.inboxDir, { recursive: true });
        // A copy, under a dot name the watcher of a running server leaves alone, then claimed as the watcher would.
        const copy = path.join(scan.inboxDir, `.import-${process.pid}-${Date.now()}${path.extname(file).slice(0, 6)}`);
        await fs.copyFile(file, copy);
        const batchId = await claimFile(scan, copy);
        const r = await processBatch(scan, batchId, { progress: async () => {}, signal: new AbortController().signal });
        const line = { file, batchId, pages: r.pages, documents: r.documents, qa: r.qa, unreadable: r.unreadable };
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(line)}\n`
            : `${file}: batch ${batchId}, ${r.pages} page(s), ${r.documents.length} document(s) filed, ${r.qa} page(s) to QA\n`,
        );
      } catch (e) {
        failed++;
        const error = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'failed';
        if (opts.json) process.stdout.write(`${JSON.stringify({ file, error })}\n`);
        else process.stderr.write(`custodian: scanning import: ${file}: ${error}\n`);
      }
    }
    if (failed > 0) process.exitCode = 1;
  } finally {
    await o.close();
  }
}

/** `custodian scanning ...`: cover sheets and batches of scanned paper. */
export function registerScanningCommands(program: Command): void {
  const scanning = program.command('scanning').description('intake scanning: barcoded cover sheets and scanned batches');
  withDatabaseOptions(
    scanning
      .command('cover-sheet')
      .description('print a barcoded cover sheet (PDF) to put in front of the pages of one document')
      .requiredOption('--patient <mrn>', 'the MRN of the patient')
      .option('--encounter <id>', 'the encounter id')
      .requiredOption('--type <code>', 'the document type code (e.g. DS, HP, PN, CONSENT)')
      .requiredOption('--out <file>', 'where to write the PDF'),
  ).action(action(runCoverSheet));
  withDatabaseOptions(
    scanning
      .command('import')
      .description('process scanned batches (PDF or TIFF) now, as the inbox would: split at cover sheets, file, the rest to QA')
      .argument('<file...>', 'batch files (left where they are; a copy is processed)')
      .option('--json', 'one JSON line per file: {"file", "batchId", "pages", "documents", "qa"} or {"file", "error"}'),
  ).action(action(runImport));
}
