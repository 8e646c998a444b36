/**
 * The `custodian deid text` batch: JSON Lines in (`{"id": "...", "text": "..."}`), one line out per note in the
 * same order (`{"id": "...", "text": "<de-identified>"}`). A line that is not such an object is answered by
 * `{"id": <its id, or null>, "text": null, "error": "line N: ..."}`: no text is ever copied from a bad line (it
 * may hold PHI), and the rest of the file is still processed. Blank lines are skipped; line numbers count every
 * input line.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import type { DeidLexicon } from './lexicon.js';
import { deidentifyText } from './text.rules.js';

const NoteLine = z.object({ id: z.string().min(1), text: z.string() });

export interface DeidBatchSummary {
  /** Input lines read (blank ones included). */
  lines: number;
  notes: number;
  /** The bad lines: number and reason (never their content). */
  errors: { line: number; message: string }[];
}

/** The output line for one input line, and the problem when the line is bad. */
export function deidentifyLine(raw: string, line: number, lexicon: DeidLexicon): { out: string; error?: string } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return bad(null, line, 'not valid JSON');
  }
  const parsed = NoteLine.safeParse(value);
  if (!parsed.success) {
    const id =
      typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
        ? (value as { id: string }).id
        : null;
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'line';
    return bad(
      id,
      line,
      `${where}: ${issue?.code === 'invalid_type' ? 'missing or not a string' : (issue?.message ?? 'invalid')}; expected {"id": "...", "text": "..."}`,
    );
  }
  return { out: JSON.stringify({ id: parsed.data.id, text: deidentifyText(parsed.data.text, lexicon).text }) };
}

function bad(id: string | null, line: number, message: string): { out: string; error: string } {
  const error = `line ${line}: ${message}`;
  return { out: JSON.stringify({ id, text: null, error }), error };
}

/** De-identifies every note of `input` into `output` (not ended), in order. */
export async function runDeidBatch(input: Readable, output: Writable, lexicon: DeidLexicon): Promise<DeidBatchSummary> {
  const summary: DeidBatchSummary = { lines: 0, notes: 0, errors: [] };
  const failed: { error?: Error } = {};
  const onError = (err: Error): void => {
    failed.error = err;
  };
  output.on('error', onError);
  try {
    for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
      summary.lines++;
      if (raw.trim() === '') continue;
      const { out, error } = deidentifyLine(raw, summary.lines, lexicon);
      if (error === undefined) summary.notes++;
      else summary.errors.push({ line: summary.lines, message: error });
      if (failed.error) throw failed.error;
      if (!output.write(out + '\n')) await once(output, 'drain');
    }
  } finally {
    output.off('error', onError);
  }
  if (failed.error) throw failed.error;
  return summary;
}
