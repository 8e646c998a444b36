/**
 * `custodian documents import FILE... --patient MRN [--encounter ID] --type TYPE [--json]` and
 * `custodian documents search "<words>" [--patient MRN] [--type] [--from] [--to] [--json]`: the legal health record
 * from the command line, through the documents service, audited as `cli:<os user>`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { invalid, notFound } from '../core/errors.js';
import { documentsDepsOf } from '../app/modules.js';
import { createDocumentsService } from '../modules/documents/index.js';
import { searchPatients } from '../modules/patients/index.js';
import { action, cliActor, openCliDeps, withDatabaseOptions } from './shared.js';

interface ImportOptions {
  patient: string;
  encounter?: string;
  type: string;
  json?: boolean;
  database?: string;
  dataDir?: string;
}

interface SearchOptions {
  patient?: string;
  type?: string;
  from?: string;
  to?: string;
  json?: boolean;
  database?: string;
  dataDir?: string;
}

type Opened = Awaited<ReturnType<typeof openCliDeps>>;

async function patientIdOfMrn(o: Opened, mrn: string): Promise<string> {
  const hits = await searchPatients(o.modules.patients, cliActor(), mrn);
  const p = hits.find((h) => h.mrn === mrn.trim());
  if (!p) throw notFound('patient with this MRN');
  return p.id;
}

/** A date (YYYY-MM-DD) or date-time option as an ISO date-time; `end` makes a bare date its last millisecond. */
function dateOption(name: string, v: string | undefined, end: boolean): string | undefined {
  if (v === undefined) return undefined;
  const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T${end ? '23:59:59.999' : '00:00:00.000'}Z`) : new Date(v);
  if (Number.isNaN(d.getTime())) throw invalid(`--${name}: a date (YYYY-MM-DD) or an ISO date-time`);
  return d.toISOString();
}

async function runImport(files: string[], opts: ImportOptions): Promise<void> {
  const o = await openCliDeps(opts);
  try {
    const docs = createDocumentsService(documentsDepsOf(o.deps));
    const patientId = await patientIdOfMrn(o, opts.patient);
    let failed = 0;
    // Each file on its own: one that cannot be read or filed is reported, the others are filed.
    for (const file of files) {
      try {
        const bytes = new Uint8Array(await fs.readFile(file));
        const d = await docs.fileDocument(cliActor(), {
          patientId,
          encounterId: opts.encounter ?? null,
          typeCode: opts.type,
          source: 'import',
          content: { bytes, mediaType: 'application/octet-stream', fileName: path.basename(file) },
        });
        const line = {
          file,
          documentId: d.id,
          mediaType: d.mediaType,
          pages: d.pageCount,
          sha256: d.versions[0]?.sha256,
          text: d.textSource,
        };
        process.stdout.write(
          opts.json ? `${JSON.stringify(line)}\n` : `${file}: filed as document ${d.id} (${d.mediaType}, ${d.pageCount} page(s))\n`,
        );
      } catch (e) {
        failed++;
        const error = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'failed';
        if (opts.json) process.stdout.write(`${JSON.stringify({ file, error })}\n`);
        else process.stderr.write(`custodian: documents import: ${file}: ${error}\n`);
      }
    }
    if (failed > 0) process.exitCode = 1;
  } finally {
    await o.close();
  }
}

async function runSearch(words: string, opts: SearchOptions): Promise<void> {
  const o = await openCliDeps(opts);
  try {
    const docs = createDocumentsService(documentsDepsOf(o.deps));
    const patientId = opts.patient ? await patientIdOfMrn(o, opts.patient) : undefined;
    const { hits } = await docs.search(cliActor(), {
      words,
      patientId,
      typeCode: opts.type,
      from: dateOption('from', opts.from, false),
      to: dateOption('to', opts.to, true),
      limit: 100,
    });
    if (opts.json) {
      for (const h of hits) process.stdout.write(`${JSON.stringify(h)}\n`);
      return;
    }
    for (const h of hits) {
      const plain = h.snippet
        .replace(/<\/?mark>/g, '*')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&');
      process.stdout.write(
        `${h.serviceAt.slice(0, 10)}  ${h.typeCode}  ${h.title}  (document ${h.documentId} v${h.version} p${h.page})\n    ${plain}\n`,
      );
    }
    if (hits.length === 0) process.stderr.write('no documents found\n');
  } finally {
    await o.close();
  }
}

/** Adds `import` and `search` to the `documents` command. */
export function registerDocumentRecordCommands(documents: Command): void {
  withDatabaseOptions(
    documents
      .command('import')
      .description("file documents in a patient's record (PDF, TIFF, PNG, JPEG, text, HL7 v2, C-CDA; the type told from each file's bytes)")
      .argument('<file...>', 'files to file, each as its own document')
      .requiredOption('--patient <mrn>', 'the MRN of the patient')
      .option('--encounter <id>', 'the encounter id')
      .requiredOption('--type <code>', 'the document type code (e.g. DS, HP, PN, RAD)')
      .option('--json', 'one JSON line per file: {"file", "documentId", ...} or {"file", "error"}'),
  ).action(action(runImport));
  withDatabaseOptions(
    documents
      .command('search')
      .description('search the text of the record (native and OCR text)')
      .argument('<words>', 'words that must all occur on a page')
      .option('--patient <mrn>', "search one patient's record")
      .option('--type <code>', 'only documents of this type')
      .option('--from <date>', 'service date on or after (YYYY-MM-DD)')
      .option('--to <date>', 'service date on or before (YYYY-MM-DD)')
      .option('--json', 'one JSON line per hit'),
  ).action(action(runSearch));
}
