import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseAcknowledgements, type Acknowledgement } from '../core/x12/parse-ack.js';
import { reportRemitFile, type RemitFileReport } from '../core/x12/remit-report.js';
import type { X12Issue } from '../core/x12/read-x12.js';
import { isDomainError } from '../core/errors.js';
import { postRemittance, recordAcknowledgement, type ClaimsDeps } from '../modules/claims/index.js';
import { action, cliActor, openCliDeps } from './shared.js';
import { withDatabaseOptions } from './settings.js';

export const REMIT_DESCRIPTION = '835 remittance and 999/TA1/277CA acknowledgement files: read, check, post to claims';

/** The file's text, or the read failure as a file-level error (segment 0), so the other files still print. */
function readText(file: string): { text: string } | { error: X12Issue } {
  try {
    return { text: readFileSync(file, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    return { error: { segment: 0, id: '', message: `segment 0: cannot read the file (${code})` } };
  }
}

const money = (n: number): string => n.toFixed(2);

function printRemitText(r: RemitFileReport): string {
  const lines = [`${r.file}: ${r.transactions.length} payment(s), ${r.errors.length} error(s)`];
  for (const t of r.transactions) {
    lines.push(
      `  ${t.method} ${money(t.paymentAmount)} trace ${t.trace} from ${t.payer} to ${t.payee}: ${t.balanced ? 'balanced' : 'NOT BALANCED'}`,
    );
    for (const c of t.claims) {
      const adj = c.adjustments.map((a) => `${a.group}-${a.reason} ${money(a.amount)}`).join(', ');
      lines.push(
        `    claim ${c.patientControlNumber} status ${c.status}: charge ${money(c.charge)} paid ${money(c.paid)} patient ${money(c.patientResponsibility)}${adj ? ` [${adj}]` : ''}`,
      );
    }
    for (const p of t.providerAdjustments) lines.push(`    provider adjustment ${p.reason} ${money(p.amount)}`);
  }
  for (const e of r.errors) lines.push(`  error: ${e.message}`);
  return `${lines.join('\n')}\n`;
}

function ackLine(a: Acknowledgement): string[] {
  if (a.kind === 'TA1')
    return [`  TA1 interchange ${a.controlNumber}: ${a.meaning}${a.note ? ` (${a.note}${a.noteText ? ` ${a.noteText}` : ''})` : ''}`];
  if ('transactions' in a) {
    const out = [
      `  ${a.kind} for group ${a.groupControlNumber} (${a.functionalId}): ${a.groupStatus} ${a.groupAccepted ? 'accepted' : 'not accepted'}`,
    ];
    for (const t of a.transactions) {
      out.push(`    ${t.type} ${t.controlNumber}: ${t.status} ${t.accepted ? 'accepted' : 'rejected'}`);
      for (const s of t.segmentErrors) {
        out.push(
          `      ${s.segmentId} at position ${s.position ?? '?'} error ${s.code}${s.context.length ? ` (${s.context.join('; ')})` : ''}`,
        );
        for (const e of s.elements)
          out.push(`        element ${e.position ?? '?'}${e.component ? `-${e.component}` : ''} (ref ${e.reference}) error ${e.code}`);
      }
    }
    return out;
  }
  return [
    `  ${a.kind} ${a.controlNumber}: ${a.claims.length} claim(s)`,
    ...a.claims.map(
      (c) =>
        `    claim ${c.patientControlNumber}: ${c.outcome} ${c.statuses.map((s) => [s.category, s.code, s.entity].filter(Boolean).join(':')).join(' ')}`,
    ),
  ];
}

/** One file's outcome of `remit post` / `remit record-ack`: the service's result, or the error that refused it. */
type StoreOutcome =
  { file: string; ok: true; result: unknown; summary: string } | { file: string; ok: false; error: { code: string; message: string } };

async function storeFiles(
  files: string[],
  opts: { json?: boolean; database?: string; dataDir?: string },
  store: (claims: ClaimsDeps, text: string) => Promise<{ result: unknown; summary: string; ok: boolean }>,
): Promise<void> {
  const { modules, close } = await openCliDeps(opts);
  let failed = false;
  try {
    for (const file of files) {
      const read = readText(file);
      let out: StoreOutcome;
      if ('error' in read) out = { file, ok: false, error: { code: 'unreadable', message: read.error.message } };
      else
        try {
          const r = await store(modules.claims, read.text);
          out = { file, ok: r.ok, result: r.result, summary: r.summary } as StoreOutcome;
        } catch (e) {
          // A bad file is reported and the others go on; an unexpected failure stops the run.
          if (!isDomainError(e)) throw e;
          out = { file, ok: false, error: { code: e.code, message: e.message } };
        }
      if (!out.ok) failed = true;
      if (opts.json) process.stdout.write(`${JSON.stringify('result' in out ? { file, ok: out.ok, ...(out.result as object) } : out)}\n`);
      else
        process.stdout.write(
          'summary' in out ? `${file}: ${out.summary}\n` : `${file}: refused: ${out.error.code}: ${out.error.message}\n`,
        );
    }
  } finally {
    await close();
  }
  if (failed) process.exitCode = 1;
}

/**
 * Adds `custodian remit parse FILE... [--json]` (835) and `custodian remit ack FILE... [--json]` (TA1, 999/997,
 * 277CA), which only read; `custodian remit post FILE... [--json]` (835 posting) and `custodian remit record-ack
 * FILE... [--json]` (999/277CA stored against claims), which write, as the system actor (`cli:<user>`). One report per file; a file with errors (each naming its segment) makes the exit code 1 but the other
 * files still print. Output holds control numbers and amounts, no patient names.
 */
export function registerRemitCommands(program: Command): void {
  const remit = program.command('remit').description(REMIT_DESCRIPTION);
  remit
    .command('parse')
    .description('read 835 remittance files: payments, claims, adjustments, balancing (one JSON object per file with --json)')
    .argument('<files...>', '835 files')
    .option('--json', 'one JSON object per file, one per line')
    .action((files: string[], opts: { json?: boolean }) => {
      let failed = false;
      for (const file of files) {
        const read = readText(file);
        const report: RemitFileReport =
          'text' in read ? reportRemitFile(file, read.text) : { file, transactions: [], errors: [read.error] };
        if (report.errors.length > 0) failed = true;
        process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : printRemitText(report));
      }
      if (failed) process.exitCode = 1;
    });
  remit
    .command('ack')
    .description('read TA1, 999/997 and 277CA acknowledgements: accepted or rejected per interchange, transaction and claim')
    .argument('<files...>', 'acknowledgement files')
    .option('--json', 'one JSON object per file, one per line')
    .action((files: string[], opts: { json?: boolean }) => {
      let failed = false;
      for (const file of files) {
        const read = readText(file);
        const { acknowledgements, errors } =
          'text' in read ? parseAcknowledgements(read.text) : { acknowledgements: [], errors: [read.error] };
        if (errors.length > 0) failed = true;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ file, acknowledgements, errors })}\n`);
        } else {
          const lines = [
            `${file}: ${acknowledgements.length} acknowledgement(s), ${errors.length} error(s)`,
            ...acknowledgements.flatMap(ackLine),
          ];
          for (const e of errors) lines.push(`  error: ${e.message}`);
          process.stdout.write(`${lines.join('\n')}\n`);
        }
      }
      if (failed) process.exitCode = 1;
    });
  withDatabaseOptions(
    remit
      .command('post')
      .description('post 835 remittance files to released claims: one result per file; a bad file does not stop the others')
      .argument('<files...>', '835 files')
      .option('--json', 'one JSON object per file, one per line'),
  ).action(
    action(async (files: string[], opts: { json?: boolean; database?: string; dataDir?: string }) => {
      await storeFiles(files, opts, async (claims, text) => {
        const r = await postRemittance(claims, cliActor(), text);
        const posted = r.payments.flatMap((p) => p.postings).length;
        const unmatched = r.payments.flatMap((p) => p.unmatched).length;
        const refused = r.payments.filter((p) => !p.posted).map((p) => `${p.trace}: ${p.reason ?? ''}`);
        return {
          ok: r.status === 'posted' && refused.length === 0,
          result: r,
          summary: `${r.status}: ${String(posted)} claim posting(s), ${String(unmatched)} unmatched${refused.length ? `; not posted: ${refused.join('; ')}` : ''}`,
        };
      });
    }),
  );
  withDatabaseOptions(
    remit
      .command('record-ack')
      .description('store 999/997 and 277CA acknowledgements against released claims: one result per file')
      .argument('<files...>', 'acknowledgement files')
      .option('--json', 'one JSON object per file, one per line'),
  ).action(
    action(async (files: string[], opts: { json?: boolean; database?: string; dataDir?: string }) => {
      await storeFiles(files, opts, async (claims, text) => {
        const r = await recordAcknowledgement(claims, cliActor(), text);
        const rejected = r.claims.filter((c) => c.outcome === 'rejected').length;
        const unmatched = r.claims.filter((c) => !c.claimId).length;
        return {
          ok: true,
          result: r,
          summary: `${String(r.claims.length)} claim result(s), ${String(rejected)} rejected, ${String(unmatched)} unmatched`,
        };
      });
    }),
  );
}
