import { readFile } from 'node:fs/promises';
import { ClaimSchema, type Claim } from '../claim/claim.js';
import type { CodeEditor } from './mce-editor.js';
import { editClaim } from './mce-engine.js';

/** Timing helpers for scripts/bench-*.ts: the benchmark prints numbers, tests never assert speed. */

export interface MceBenchmarkOptions {
  /** timed passes over the claims (default 5) */
  readonly rounds?: number;
  /** untimed passes first, so the JIT has compiled the hot path (default 1) */
  readonly warmupRounds?: number;
}

export interface MceBenchmarkResult {
  /** claims edited in the timed passes */
  readonly claims: number;
  readonly seconds: number;
  readonly claimsPerSecond: number;
  /** claims with at least one edit in one pass (a check that the work was not optimised away) */
  readonly claimsWithEdits: number;
}

/** Times `editClaim` over `claims` on the calling thread. */
export function benchmarkMce(editor: CodeEditor, claims: readonly Claim[], opts: MceBenchmarkOptions = {}): MceBenchmarkResult {
  const rounds = opts.rounds ?? 5;
  let claimsWithEdits = 0;
  for (let w = 0; w < (opts.warmupRounds ?? 1); w++) for (const c of claims) editClaim(editor, c);
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    for (const c of claims) {
      const result = editClaim(editor, c);
      if (r === 0 && result.editType !== 'NONE') claimsWithEdits++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const n = claims.length * rounds;
  return { claims: n, seconds, claimsPerSecond: n / Math.max(seconds, 1e-9), claimsWithEdits };
}

/** Reads a claims JSON Lines file (e.g. ../shared/grouper-cases/dev/claims.jsonl), validating each line. */
export async function readClaimsJsonl(file: string): Promise<Claim[]> {
  const text = await readFile(file, 'utf8');
  const claims: Claim[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const parsed = ClaimSchema.safeParse(JSON.parse(line));
    if (!parsed.success)
      throw new Error(`${file} line ${i + 1}: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`);
    claims.push(parsed.data);
  });
  return claims;
}
