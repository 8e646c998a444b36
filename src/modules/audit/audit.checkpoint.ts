import fs from 'node:fs';
import path from 'node:path';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { BreakKind, type ChainBreak, type ChainHead, type CheckpointClaim } from './audit-chain.rules.js';

/**
 * Signed checkpoints: small files outside the database naming every chain's head, signed with Ed25519 (RFC 8032)
 * by a key kept in a PEM file (PKCS #8; made with mode 0600 on first use, its public key (SPKI PEM) beside it).
 */
export interface CheckpointSettings {
  /** Folder of the checkpoint files. */
  dir: string;
  /** The Ed25519 private key (PEM), made on first use. */
  signingKeyFile: string;
  /** The public key that checks the signatures (PEM); by default beside the private key (`*.pub.pem`). */
  publicKeyFile: string;
}

export const CHECKPOINT_FORMAT = 'custodian-audit-checkpoint/1';

/** The public key file beside a private key file: `audit-signing-key.pem` -> `audit-signing-key.pub.pem`. */
export function publicKeyFileOf(signingKeyFile: string): string {
  return signingKeyFile.endsWith('.pem') ? `${signingKeyFile.slice(0, -4)}.pub.pem` : `${signingKeyFile}.pub.pem`;
}

/** The SHA-256 of the public key (SPKI DER), hex: names the key in checkpoints and reports. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/**
 * The signing key, made on first use: the private key written with mode 0600 (never replaced: `wx`), the public
 * key beside it. Refuses a private key file that others may read (POSIX), as ssh does.
 */
export function loadSigningKey(s: CheckpointSettings): { privateKey: KeyObject; publicKey: KeyObject; keyId: string } {
  if (!fs.existsSync(s.signingKeyFile)) {
    fs.mkdirSync(path.dirname(s.signingKeyFile), { recursive: true, mode: 0o700 });
    const pair = generateKeyPairSync('ed25519');
    try {
      fs.writeFileSync(s.signingKeyFile, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      fs.writeFileSync(s.publicKeyFile, pair.publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
    } catch (e) {
      // Another process made it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  if (process.platform !== 'win32' && (fs.statSync(s.signingKeyFile).mode & 0o077) !== 0) {
    throw new Error(`the audit signing key ${s.signingKeyFile} may be read by others: chmod 600 it`);
  }
  const privateKey = createPrivateKey(fs.readFileSync(s.signingKeyFile));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the audit signing key ${s.signingKeyFile} is not an Ed25519 key`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** The key that checks checkpoints: the public key file, else the one of the private key; null when neither exists. */
export function loadVerifyKey(
  s: Pick<CheckpointSettings, 'signingKeyFile' | 'publicKeyFile'>,
): { publicKey: KeyObject; keyId: string } | null {
  let publicKey: KeyObject;
  if (s.publicKeyFile && fs.existsSync(s.publicKeyFile)) publicKey = createPublicKey(fs.readFileSync(s.publicKeyFile));
  else if (s.signingKeyFile && fs.existsSync(s.signingKeyFile))
    publicKey = createPublicKey(createPrivateKey(fs.readFileSync(s.signingKeyFile)));
  else return null;
  return { publicKey, keyId: keyIdOf(publicKey) };
}

const CheckpointFile = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  trail: z.string().min(1).max(100),
  createdAt: z.string().min(1).max(40),
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
  chains: z
    .array(z.object({ chain: z.number().int().min(0), seq: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/) }))
    .max(10_000),
  signature: z.string().max(200),
});
export type CheckpointFile = z.infer<typeof CheckpointFile>;

/** The bytes a checkpoint's signature covers: its fields in a fixed order, JSON, UTF-8 (file layout does not count). */
function signedBytes(c: Omit<CheckpointFile, 'signature'>): Buffer {
  return Buffer.from(JSON.stringify([c.format, c.trail, c.createdAt, c.keyId, c.chains.map((h) => [h.chain, h.seq, h.hash])]), 'utf8');
}

/** Signs and writes a checkpoint (a temporary file renamed into place, so a reader never sees half of one). */
export function writeCheckpointFile(
  dir: string,
  key: { privateKey: KeyObject; keyId: string },
  trail: string,
  createdAt: string,
  heads: ChainHead[],
): string {
  const body = {
    format: CHECKPOINT_FORMAT,
    trail,
    createdAt,
    keyId: key.keyId,
    chains: heads.map((h) => ({ chain: h.chainId, seq: h.seq, hash: h.hash })),
  } as const;
  const file: CheckpointFile = { ...body, signature: sign(null, signedBytes(body), key.privateKey).toString('base64') };
  fs.mkdirSync(dir, { recursive: true });
  const name = `audit-checkpoint-${createdAt.replace(/[-:]/g, '').replace('.', '')}-${randomBytes(3).toString('hex')}.json`;
  const tmp = path.join(dir, `.${name}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(file, null, 2) + '\n', { mode: 0o644 });
  fs.renameSync(tmp, path.join(dir, name));
  return path.join(dir, name);
}

/** What the checkpoint folder holds for one trail. */
export interface CheckpointScan {
  dir: string;
  /** Checkpoint files found (any trail). */
  found: number;
  /** Checkpoints of this trail with a good signature, and the heads they name. */
  valid: number;
  claims: CheckpointClaim[];
  /** Well-signed checkpoints of other trails (another database), ignored. */
  otherTrails: number;
  /** The newest good checkpoint of this trail. */
  latest: string | null;
  keyId: string | null;
  /** Files that are not checkpoints signed by the key: each a checkpoint_signature break. */
  problems: ChainBreak[];
}

/**
 * Reads every `audit-checkpoint-*.json` in `dir` and checks its signature with `key`. Signatures are checked before
 * the trail is looked at, so that editing a checkpoint's trail cannot hide it.
 */
export function readCheckpoints(dir: string, key: { publicKey: KeyObject; keyId: string } | null, trail: string): CheckpointScan {
  const scan: CheckpointScan = {
    dir,
    found: 0,
    valid: 0,
    claims: [],
    otherTrails: 0,
    latest: null,
    keyId: key?.keyId ?? null,
    problems: [],
  };
  const names = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((n) => /^audit-checkpoint-.*\.json$/.test(n))
        .sort()
    : [];
  const bad = (name: string, why: string) =>
    scan.problems.push({
      kind: BreakKind.checkpointSignature,
      chain: null,
      position: null,
      seq: null,
      checkpoint: name,
      message: `checkpoint ${name} ${why}`,
    });
  for (const name of names) {
    scan.found++;
    let c: CheckpointFile;
    try {
      c = CheckpointFile.parse(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
    } catch {
      bad(name, 'is not a valid checkpoint file (altered or damaged)');
      continue;
    }
    if (!key) {
      bad(name, 'cannot be checked: no public key (set CUSTODIAN_AUDIT_SIGNING_KEY_FILE, or put its .pub.pem beside it)');
      continue;
    }
    const { signature, ...body } = c;
    let ok: boolean;
    try {
      ok = verify(null, signedBytes(body), key.publicKey, Buffer.from(signature, 'base64'));
    } catch {
      ok = false;
    }
    if (!ok) {
      bad(
        name,
        c.keyId === key.keyId
          ? 'has a bad signature: it was altered'
          : `is signed by another key (${c.keyId.slice(0, 16)}…), not the configured one (${key.keyId.slice(0, 16)}…)`,
      );
      continue;
    }
    if (c.trail !== trail) {
      scan.otherTrails++;
      continue;
    }
    scan.valid++;
    if (!scan.latest || c.createdAt > scan.latest) scan.latest = c.createdAt;
    for (const h of c.chains) scan.claims.push({ file: name, createdAt: c.createdAt, chainId: h.chain, seq: h.seq, hash: h.hash });
  }
  return scan;
}

/** Timer functions, so that tests can drive a schedule without waiting. */
export interface Timers {
  /** `fn` answers the promise of the run it started (or nothing when one is still running). */
  setInterval(fn: () => Promise<void> | undefined, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: Timers = {
  setInterval: (fn, ms) => {
    const t = setInterval(() => void fn(), ms);
    t.unref();
    return t;
  },
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

/**
 * Runs `write` every `everyMinutes` (never two at once; a failure goes to `onError` and the schedule goes on).
 * Answers a stop function; 0 minutes schedules nothing.
 */
export function scheduleCheckpoints(
  write: () => Promise<unknown>,
  opts: { everyMinutes: number; onError: (e: unknown) => void; timers?: Timers },
): () => void {
  if (opts.everyMinutes <= 0) return () => {};
  const timers = opts.timers ?? realTimers;
  let running = false;
  const handle = timers.setInterval(() => {
    if (running) return undefined;
    running = true;
    return write()
      .then(() => undefined, opts.onError)
      .finally(() => {
        running = false;
      });
  }, opts.everyMinutes * 60_000);
  return () => timers.clearInterval(handle);
}
