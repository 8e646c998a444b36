import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { ClaimSchema } from '../claim/claim.js';
import type { CodeEditor } from './mce-editor.js';
import { editClaim, type MceResult } from './mce-engine.js';

/**
 * Streaming batch editor: JSON Lines in, JSON Lines out, one output line per input line, same order.
 * A bad line becomes `{"id", "line", "error"}` and the batch goes on. Memory stays constant: input is read
 * chunk by chunk and output waits for the writer to drain.
 */

export interface MceBatchOptions {
  readonly editor: CodeEditor;
  /** add the readable `messages` to each output line (default false: exactly the CMS fields) */
  readonly messages?: boolean;
  /** show a progress line; default: only when `progressStream` (stderr) is a TTY */
  readonly progress?: boolean;
  readonly progressStream?: NodeJS.WriteStream;
  /** input size in bytes, for a percentage in the progress line */
  readonly totalBytes?: number;
}

export interface MceBatchSummary {
  /** input lines read (blank lines included) */
  readonly lines: number;
  /** claims edited */
  readonly claims: number;
  /** lines that gave an error line */
  readonly errors: number;
}

/** The output line for an edited claim: `id` and the CMS fields (plus messages when asked). */
export function toMceOutputLine(id: string, r: MceResult, withMessages = false): string {
  const out: Record<string, unknown> = { id, editType: r.editType, edits: r.edits, dx: r.dx, procedures: r.procedures };
  if (withMessages) out.messages = r.messages;
  return JSON.stringify(out);
}

function errorLine(line: number, error: string, raw: unknown): string {
  const id =
    typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
  return JSON.stringify(id === undefined ? { line, error } : { id, line, error });
}

/** Edits one input line; returns the output line. Never throws. */
function processLine(editor: CodeEditor, text: string, line: number, withMessages: boolean): { out: string; ok: boolean } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { out: errorLine(line, `invalid JSON: ${(err as Error).message}`, undefined), ok: false };
  }
  const parsed = ClaimSchema.safeParse(raw);
  if (!parsed.success) {
    const error = parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(claim)'}: ${i.message}`).join('; ');
    return { out: errorLine(line, error, raw), ok: false };
  }
  try {
    return { out: toMceOutputLine(parsed.data.id, editClaim(editor, parsed.data), withMessages), ok: true };
  } catch (err) {
    return { out: errorLine(line, `code editor failed: ${(err as Error).message}`, raw), ok: false };
  }
}

class Progress {
  private last = 0;
  private readonly started = Date.now();
  constructor(
    private readonly stream: NodeJS.WriteStream | undefined,
    private readonly totalBytes: number | undefined,
  ) {}
  tick(claims: number, bytes: number, force = false): void {
    if (this.stream === undefined) return;
    const now = Date.now();
    if (!force && now - this.last < 200) return;
    this.last = now;
    const rate = Math.round(claims / Math.max((now - this.started) / 1000, 0.001));
    const pct = this.totalBytes ? ` ${Math.min(100, Math.floor((bytes / this.totalBytes) * 100))}%` : '';
    this.stream.write(`\rmce: ${claims.toLocaleString('en-US')} lines${pct} (${rate.toLocaleString('en-US')}/s)   `);
  }
  done(claims: number, bytes: number): void {
    this.tick(claims, bytes, true);
    this.stream?.write('\n');
  }
}

/** Writes with backpressure; a writer error (e.g. EPIPE) is rethrown here instead of crashing the process. */
async function write(output: Writable, text: string, failed: { error?: Error }): Promise<void> {
  if (failed.error !== undefined) throw failed.error;
  if (!output.write(text)) await once(output, 'drain');
}

/** Splits a byte or text stream into lines (without the newline), holding at most one chunk. */
async function* splitLines(input: Readable | AsyncIterable<string | Buffer>, onBytes: (n: number) => void): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of input as AsyncIterable<string | Buffer>) {
    onBytes(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let from = 0;
    for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n', from)) {
      yield pending.charCodeAt(nl - 1) === 13 ? pending.slice(from, nl - 1) : pending.slice(from, nl);
      from = nl + 1;
    }
    pending = pending.slice(from);
  }
  pending += decoder.end();
  if (pending !== '') yield pending;
}

/**
 * Edits every claim line of `input` and writes one result line per claim line to `output`, in order
 * (`output` is not ended). Blank lines are skipped; `line` numbers in error lines count every input line.
 */
export async function runMceBatch(
  input: Readable | AsyncIterable<string | Buffer>,
  output: Writable,
  opts: MceBatchOptions,
): Promise<MceBatchSummary> {
  const progressStream = opts.progressStream ?? process.stderr;
  const showProgress = opts.progress ?? progressStream.isTTY;
  const progress = new Progress(showProgress ? progressStream : undefined, opts.totalBytes);
  const withMessages = opts.messages === true;
  let lines = 0;
  let claims = 0;
  let errors = 0;
  let bytes = 0;
  const failed: { error?: Error } = {};
  const onError = (err: Error): void => {
    failed.error = err;
  };
  output.on('error', onError);
  try {
    for await (const text of splitLines(input, (n) => (bytes += n))) {
      lines++;
      if (text.trim() === '') continue;
      const { out, ok } = processLine(opts.editor, text, lines, withMessages);
      if (ok) claims++;
      else errors++;
      await write(output, out + '\n', failed);
      if ((lines & 1023) === 0) progress.tick(lines, bytes);
    }
  } finally {
    output.off('error', onError);
  }
  if (failed.error !== undefined) throw failed.error;
  if (showProgress) progress.done(lines, bytes);
  return { lines, claims, errors };
}
