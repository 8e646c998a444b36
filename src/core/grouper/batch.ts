/**
 * Streaming batch grouping: JSON Lines in, one JSON line out per input line, same order, constant memory.
 * A line that is not a valid claim yields `{"id", "line", "error"}` (the message names the field) and the
 * batch goes on. {@link runGrouperBatchParallel} spreads chunks of lines over worker threads and writes
 * their results back in input order.
 */
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import type { Claim } from '../claim/claim.js';
import { fastClaim } from './fast-claim.js';
import { groupClaim } from './group-claim.js';
import type { GroupResult } from './types.js';
import { openGrouperSet, type GrouperSet } from './grouper-set.js';
import { createProgress, type Progress } from './progress.js';
import { startWorkerPool } from './worker-pool.js';

export interface GrouperBatchOptions {
  /** CMS data folder (the CLI passes CUSTODIAN_DATA_DIR from the config); needed unless `grouperSet` is given. */
  dataDir?: string;
  /** Already opened versions (takes precedence over dataDir). */
  grouperSet?: GrouperSet;
  /** Folder of compiled table snapshots (the CLI passes `<var dir>/grouper`); see snapshot.ts. */
  cacheDir?: string;
  /** Group every claim with this MS-DRG version instead of the claim's own / its discharge date's. */
  version?: string;
  /** Input size in bytes, for the progress bar's percentage. */
  totalBytes?: number;
  /** Show a progress bar on stderr (default: only when stderr is a TTY). */
  progress?: boolean;
}

export interface GrouperBatchSummary {
  lines: number;
  grouped: number;
  errors: number;
}

export const OUTPUT_FIELDS = [
  'initialDrg',
  'initialMdc',
  'initialReturnCode',
  'finalDrg',
  'finalMdc',
  'finalReturnCode',
  'medSurg',
  'severity',
  'hacStatus',
  'secondaryDxSeverity',
  'proceduresOR',
  'drgTitle',
  'mdcTitle',
] as const;

function zodMessage(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid claim';
  const field = issue.path.map(String).join('.') || 'claim';
  return `${field}: ${issue.message}`;
}

function idOf(value: unknown): string | undefined {
  if (value && typeof value === 'object' && 'id' in value) {
    const id = value.id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return undefined;
}

/** JSON text of strings seen before (titles repeat on every line: quote each once). */
const quoted = new Map<string, string>();
function quote(text: string): string {
  let q = quoted.get(text);
  if (q === undefined) {
    q = JSON.stringify(text);
    if (quoted.size < 4096) quoted.set(text, q);
  }
  return q;
}

/** JSON text of a list of enumerated flags (letters and underscores: nothing to escape) or booleans. */
function flagList(values: readonly (string | boolean)[]): string {
  if (values.length === 0) return '[]';
  let out = '["' + String(values[0]);
  if (typeof values[0] === 'boolean') {
    out = '[' + String(values[0]);
    for (let i = 1; i < values.length; i++) out += ',' + String(values[i]);
    return out + ']';
  }
  for (let i = 1; i < values.length; i++) out += '","' + String(values[i]);
  return out + '"]';
}

/**
 * The output line of a grouped claim: JSON.stringify of `{ id, ...OUTPUT_FIELDS }` in that order, written out
 * by hand. DRG and MDC numbers, return codes, severities and flags are enumerations of digits, capitals and
 * underscores (types.ts), so they are written between quotes as they are; titles come from the tables and
 * are quoted once each.
 */
export function resultLine(id: string, r: GroupResult): string {
  return (
    `{"id":${JSON.stringify(id)},"initialDrg":"${r.initialDrg}","initialMdc":"${r.initialMdc}",` +
    `"initialReturnCode":"${r.initialReturnCode}","finalDrg":"${r.finalDrg}","finalMdc":"${r.finalMdc}",` +
    `"finalReturnCode":"${r.finalReturnCode}","medSurg":"${r.medSurg}","severity":"${r.severity}",` +
    `"hacStatus":"${r.hacStatus}","secondaryDxSeverity":${flagList(r.secondaryDxSeverity)},` +
    `"proceduresOR":${flagList(r.proceduresOR)},"drgTitle":${quote(r.drgTitle)},"mdcTitle":${quote(r.mdcTitle)}}`
  );
}

type ClaimSchemaType = (typeof import('../claim/claim.js'))['ClaimSchema'];
let claimSchema: ClaimSchemaType | undefined;

/**
 * Loads ClaimSchema (and with it the validation library, ~40 ms): needed only for a line that the fast path
 * (fast-claim.ts) does not accept, to give its error message. The batch runners load it on the first such line.
 */
export async function loadClaimSchema(): Promise<void> {
  claimSchema ??= (await import('../claim/claim.js')).ClaimSchema;
}

/** Answer of {@link groupLineOrDefer} when the line needs ClaimSchema and it is not loaded yet. */
const DEFER = Symbol('needs ClaimSchema');
type LineResult = { out: string; ok: boolean } | undefined;

function groupLineOrDefer(set: GrouperSet, line: string, lineNo: number, forcedVersion?: string): LineResult | typeof DEFER {
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return { out: JSON.stringify({ line: lineNo, error: `invalid JSON: ${(e as Error).message}` }), ok: false };
  }
  let claim: Claim | undefined = fastClaim(value);
  if (!claim) {
    if (!claimSchema) return DEFER;
    const parsed = claimSchema.safeParse(value);
    if (!parsed.success) return { out: JSON.stringify({ id: idOf(value), line: lineNo, error: zodMessage(parsed.error) }), ok: false };
    claim = parsed.data;
  }
  const id = claim.id;
  let g;
  try {
    g = set.get(forcedVersion ?? set.versionFor(claim));
  } catch (e) {
    const field = claim.grouperVersion || forcedVersion ? 'grouperVersion' : 'dischargeDate';
    return { out: JSON.stringify({ id, line: lineNo, error: `${field}: ${(e as Error).message}` }), ok: false };
  }
  try {
    const r = groupClaim(g, claim);
    return { out: resultLine(claim.id, r), ok: true };
  } catch (e) {
    return { out: JSON.stringify({ id, line: lineNo, error: `claim: grouping failed: ${(e as Error).message}` }), ok: false };
  }
}

/**
 * Groups one input line; returns the output line (without newline), or undefined for a blank line. Call
 * {@link loadClaimSchema} once before (an invalid claim line is explained by ClaimSchema).
 */
export function groupLine(set: GrouperSet, line: string, lineNo: number, forcedVersion?: string): LineResult {
  const r = groupLineOrDefer(set, line, lineNo, forcedVersion);
  if (r === DEFER) throw new Error('groupLine: call loadClaimSchema() first');
  return r;
}

/** groupLine, loading ClaimSchema first when the line needs it. */
async function groupLineLoading(set: GrouperSet, line: string, lineNo: number, forcedVersion?: string): Promise<LineResult> {
  await loadClaimSchema();
  return groupLine(set, line, lineNo, forcedVersion);
}

/** Splits decoded text into lines (ends: LF, CRLF or a lone CR, as readline reads them); returns the unfinished tail. */
function splitLines(text: string, into: string[]): string {
  const parts = text.split('\n');
  const rest = parts.pop() ?? '';
  for (const p of parts) {
    const line = p.endsWith('\r') ? p.slice(0, -1) : p;
    if (line.includes('\r')) into.push(...line.split('\r'));
    else into.push(line);
  }
  return rest;
}

/**
 * The lines of a UTF-8 stream, a chunk's lines at a time (one native split per chunk, no per-line promise):
 * the caller's loop over a chunk's lines is synchronous.
 */
export async function* lineBatches(input: NodeJS.ReadableStream): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input) {
    const lines: string[] = [];
    rest = splitLines(rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk)), lines);
    if (lines.length > 0) yield lines;
  }
  const last = rest + decoder.end();
  if (last !== '') yield (last.endsWith('\r') ? last.slice(0, -1) : last).split('\r');
}

/** The lines of a UTF-8 stream (ends: LF, CRLF or a lone CR, as readline reads them). */
export async function* textLines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  for await (const lines of lineBatches(input)) yield* lines;
}

async function write(output: NodeJS.WritableStream, chunk: string | Buffer): Promise<void> {
  if (!output.write(chunk)) await once(output, 'drain');
}

const OUT_BYTES = 1 << 20;

/**
 * Output lines encoded straight into a 1 MB buffer: each result string is short-lived (flattened and copied
 * once), so the young generation holds no megabyte of pending text between garbage collections.
 */
class OutBuffer {
  private buf = Buffer.allocUnsafe(OUT_BYTES);
  private at = 0;
  /** True when the buffer should be flushed before adding `text` (UTF-8 takes at most 3 bytes a UTF-16 unit). */
  full(text: string): boolean {
    return this.at > 0 && this.at + text.length * 3 + 1 > this.buf.length;
  }
  add(text: string): void {
    if (text.length * 3 + 1 > this.buf.length - this.at)
      this.buf = Buffer.concat([this.buf.subarray(0, this.at), Buffer.alloc(text.length * 3 + 1)]);
    this.at += this.buf.write(text, this.at, 'utf8');
    this.buf[this.at++] = 10;
  }
  /** The bytes so far (handed to the stream, which keeps them); starts a new buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.at);
    this.buf = Buffer.allocUnsafe(OUT_BYTES);
    this.at = 0;
    return out;
  }
  get size(): number {
    return this.at;
  }
}

function dataDirOf(opts: GrouperBatchOptions): string {
  if (opts.dataDir === undefined) throw new Error('grouper batch: no data folder given (dataDir)');
  return opts.dataDir;
}

function progressFor(opts: GrouperBatchOptions): Progress {
  return createProgress('grouper', opts.progress ?? process.stderr.isTTY, opts.totalBytes);
}

/** Groups a JSON Lines stream of claims into a JSON Lines stream of results (single thread). */
export async function runGrouperBatch(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  opts: GrouperBatchOptions = {},
): Promise<GrouperBatchSummary> {
  const set = opts.grouperSet ?? openGrouperSet(dataDirOf(opts), { cacheDir: opts.cacheDir });
  if (opts.version) set.get(opts.version); // fail early on an unknown version
  const summary: GrouperBatchSummary = { lines: 0, grouped: 0, errors: 0 };
  const progress = progressFor(opts);
  const out = new OutBuffer();
  let bytes = 0;
  for await (const lines of lineBatches(input)) {
    for (const line of lines) {
      summary.lines++;
      bytes += line.length + 1;
      let r = groupLineOrDefer(set, line, summary.lines, opts.version);
      if (r === DEFER) r = await groupLineLoading(set, line, summary.lines, opts.version);
      if (!r) continue;
      if (r.ok) summary.grouped++;
      else summary.errors++;
      if (out.full(r.out)) await write(output, out.take());
      out.add(r.out);
    }
    progress.update(summary.lines, bytes);
  }
  if (out.size > 0) await write(output, out.take());
  progress.done(summary.lines, bytes);
  return summary;
}

export interface ParallelBatchOptions extends GrouperBatchOptions {
  /** Worker threads (default: available parallelism). */
  workers?: number;
  /** Lines per chunk sent to a worker. */
  chunkLines?: number;
}

/** Like {@link runGrouperBatch} but groups on worker threads; output keeps the input order. */
export async function runGrouperBatchParallel(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  opts: ParallelBatchOptions = {},
): Promise<GrouperBatchSummary> {
  const dataDir = dataDirOf(opts);
  if (opts.version) openGrouperSet(dataDir, { cacheDir: opts.cacheDir }).get(opts.version);
  const pool = startWorkerPool({ dataDir, cacheDir: opts.cacheDir, version: opts.version, workers: opts.workers });
  const chunkLines = opts.chunkLines ?? 2000;
  const summary: GrouperBatchSummary = { lines: 0, grouped: 0, errors: 0 };
  const progress = progressFor(opts);
  const pending = new Map<number, Promise<{ out: string; grouped: number; errors: number }>>();
  let nextToWrite = 0;
  let seq = 0;
  let bytes = 0;
  const flushOne = async () => {
    const p = pending.get(nextToWrite);
    if (!p) return;
    const r = await p;
    pending.delete(nextToWrite++);
    summary.grouped += r.grouped;
    summary.errors += r.errors;
    if (r.out) await write(output, r.out);
    progress.update(summary.lines, bytes);
  };
  try {
    let lines: string[] = [];
    let first = 1;
    for await (const batch of lineBatches(input)) {
      for (const line of batch) {
        summary.lines++;
        bytes += line.length + 1;
        lines.push(line);
        if (lines.length >= chunkLines) {
          pending.set(seq, pool.run(seq, first, lines));
          seq++;
          first = summary.lines + 1;
          lines = [];
          // Constant memory: at most two chunks in flight per worker.
          while (pending.size >= pool.size * 2) await flushOne();
        }
      }
    }
    if (lines.length > 0) {
      pending.set(seq, pool.run(seq, first, lines));
      seq++;
    }
    while (pending.size > 0) await flushOne();
  } finally {
    await pool.close();
  }
  progress.done(summary.lines, bytes);
  return summary;
}
