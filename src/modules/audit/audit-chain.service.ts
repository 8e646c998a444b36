import fs from 'node:fs';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { isoNow } from '../../core/shared/clock.js';
import type { Actor } from '../access/index.js';
import { createChainWalk, type ChainBreak } from './audit-chain.rules.js';
import {
  loadSigningKey,
  loadVerifyKey,
  readCheckpoints,
  scheduleCheckpoints,
  writeCheckpointFile,
  type CheckpointSettings,
  type Timers,
} from './audit.checkpoint.js';
import { findChainEvent, readAuditHeads, readAuditTrailId, rowToRecord, scanAuditChains } from './audit.repository.js';
import { expectedHash } from './audit.rules.js';
import { AuditAction, createAuditLog, recordAudit, type AuditLog } from './audit.service.js';

/** What the checkpoints contributed to a verification. */
export interface CheckpointSummary {
  /** The folder read; null when checkpoints are not configured. */
  dir: string | null;
  /** Checkpoint files found, of this trail with a good signature, and of other trails (ignored). */
  found: number;
  valid: number;
  otherTrails: number;
  /** When the newest good checkpoint of this trail was made. */
  latest: string | null;
  /** The SHA-256 of the public key the signatures were checked with. */
  keyId: string | null;
}

export interface VerifyResult {
  ok: boolean;
  /** Events checked. */
  checked: number;
  /** Chains walked (chain 0 is the legacy one). */
  chains: number;
  /** Every break, in chain order (at most 1000: see breakCount). */
  breaks: ChainBreak[];
  breakCount: number;
  /** The first break, as the review screen shows it. */
  firstBreak?: ChainBreak;
  checkpoints: CheckpointSummary;
}

/**
 * Walks every chain, event by event, and lists every break: edited, missing, reordered or moved events, chains cut
 * short (before their head, or before a signed checkpoint), events that differ from what a checkpoint signed, and
 * checkpoint files whose signature fails. `log` gives the key (the development key without it) and the checkpoints
 * (none without them); `checkpointDir` reads another folder (checkpoints copied elsewhere).
 */
export async function verifyAuditChain(
  db: Db,
  log: AuditLog = createAuditLog({ clock: { now: () => new Date() } }),
  opts: { checkpointDir?: string; publicKeyFile?: string; onProgress?: (checked: number, total: number) => void } = {},
): Promise<VerifyResult> {
  const trailId = await readAuditTrailId(db);
  const dir = opts.checkpointDir ?? log.checkpoints?.dir ?? null;
  if (opts.publicKeyFile && !fs.existsSync(opts.publicKeyFile)) throw new Error(`no public key at ${opts.publicKeyFile}`);
  const keyFiles = {
    signingKeyFile: log.checkpoints?.signingKeyFile ?? '',
    publicKeyFile: opts.publicKeyFile ?? log.checkpoints?.publicKeyFile ?? '',
  };
  // Checkpoints, then heads, then events: whatever is written meanwhile comes after what was read before it.
  const scan = dir ? readCheckpoints(dir, loadVerifyKey(keyFiles), trailId) : null;
  const heads = await readAuditHeads(db);
  const walk = createChainWalk({ key: log.key, trailId, heads, claims: scan?.claims ?? [] });
  for (const b of scan?.problems ?? []) walk.report(b);
  const total = heads.reduce((n, h) => n + h.seq, 0);
  let n = 0;
  for await (const page of scanAuditChains(db)) {
    for (const row of page) walk.push(rowToRecord(row));
    n += page.length;
    opts.onProgress?.(Math.min(n, total), total);
  }
  const r = walk.finish();
  return {
    ok: r.breakCount === 0,
    checked: r.checked,
    chains: r.chains,
    breaks: r.breaks,
    breakCount: r.breakCount,
    ...(r.breaks[0] ? { firstBreak: r.breaks[0] } : {}),
    checkpoints: {
      dir,
      found: scan?.found ?? 0,
      valid: scan?.valid ?? 0,
      otherTrails: scan?.otherTrails ?? 0,
      latest: scan?.latest ?? null,
      keyId: scan?.keyId ?? null,
    },
  };
}

type TrailDeps = { db: Kysely<Database>; audit: AuditLog };

/**
 * Verification as the CLI and HTTP run it: verifies, then audits that `actor` verified (outcome failure when
 * broken). The caller has checked that `actor` may verify the audit log.
 */
export async function verifyAuditTrail(
  deps: TrailDeps,
  actor: Actor,
  opts: Parameters<typeof verifyAuditChain>[2] = {},
): Promise<VerifyResult> {
  const r = await verifyAuditChain(deps.db, deps.audit, opts);
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.verify,
      resourceType: 'audit_log',
      outcome: r.ok ? 'success' : 'failure',
      detail: { checked: r.checked, breaks: r.breakCount, checkpoints: r.checkpoints.valid },
    }),
  );
  return r;
}

export interface CheckpointWritten {
  file: string;
  createdAt: string;
  keyId: string;
  chains: { chainId: number; seq: number; hash: string }[];
}

/**
 * Writes a signed checkpoint of every chain's head (the signing key made on first use), after checking each head
 * against its last event (present, same hash, authentic), so that a checkpoint never signs a state the database
 * already contradicts; then audits it. `dir` overrides the configured folder.
 */
export async function writeAuditCheckpoint(deps: TrailDeps, actor: Actor, opts: { dir?: string } = {}): Promise<CheckpointWritten> {
  const settings: CheckpointSettings | null = deps.audit.checkpoints;
  if (!settings) throw new Error('audit checkpoints are not configured');
  const key = loadSigningKey(settings);
  const trailId = await readAuditTrailId(deps.db);
  const heads = await readAuditHeads(deps.db);
  for (const h of heads) {
    if (h.seq === 0) continue;
    const e = await findChainEvent(deps.db, h.chainId, h.seq);
    if (!e || e.hash !== h.hash || expectedHash(deps.audit.key, rowToRecord(e)) !== e.hash) {
      throw new Error(
        `the head of audit chain ${h.chainId} does not match its last event: no checkpoint written (run custodian audit verify)`,
      );
    }
  }
  const createdAt = isoNow(deps.audit.clock);
  const file = writeCheckpointFile(opts.dir ?? settings.dir, key, trailId, createdAt, heads);
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.checkpoint,
      resourceType: 'audit_log',
      outcome: 'success',
      detail: { file: file.split(/[\\/]/).pop(), chains: heads.length, keyId: key.keyId },
    }),
  );
  return { file, createdAt, keyId: key.keyId, chains: heads };
}

/**
 * Writes a checkpoint every `everyMinutes` (0: never) while the server runs, as `actor`; answers the stop function.
 * Failures are passed to `onError` and the schedule goes on.
 */
export function startAuditCheckpoints(
  deps: TrailDeps,
  actor: Actor,
  opts: { everyMinutes: number; onError: (e: unknown) => void; timers?: Timers },
): () => void {
  if (!deps.audit.checkpoints) return () => {};
  return scheduleCheckpoints(() => writeAuditCheckpoint(deps, actor), opts);
}
