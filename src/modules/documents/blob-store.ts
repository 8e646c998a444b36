/**
 * The blob store of document content: content-addressed by the SHA-256 of the plaintext, encrypted at rest with
 * AES-256-GCM (HIPAA 164.312(a)(2)(iv); a key derived from the configured encryption key for this purpose only),
 * one file per blob under a local directory. A write goes to a temporary file that is synced and renamed, so a blob
 * is either whole or absent. Every read checks the GCM tag and the hash: content that fails either is never
 * served (`BlobCorruptError`).
 *
 * File format: `CDB1` | 12-byte IV | 16-byte tag | ciphertext; the hash (hex) is the GCM additional data, so one
 * blob's file copied over another's name fails too.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { deriveKey } from '../../core/shared/crypto.js';

/** Stored content that is missing, altered or unreadable: reported and audited, never served. */
export class BlobCorruptError extends Error {
  constructor(
    readonly sha256: string,
    readonly reason: 'missing' | 'unreadable' | 'hash_mismatch',
  ) {
    super(`stored document content ${sha256.slice(0, 12)}… failed its integrity check (${reason.replace('_', ' ')})`);
    this.name = 'BlobCorruptError';
  }
}

/** The interface the documents service uses (a local directory today; object storage could implement it). */
export interface BlobStore {
  /** Stores the bytes (once: the same content is one blob) and answers their SHA-256. */
  put(bytes: Uint8Array): Promise<{ sha256: string; byteSize: number }>;
  /** The bytes, verified against their hash; BlobCorruptError otherwise. */
  get(sha256: string): Promise<Uint8Array>;
  has(sha256: string): Promise<boolean>;
  /** Removes a blob (destruction); absent is fine. */
  remove(sha256: string): Promise<void>;
}

const MAGIC = Buffer.from('CDB1');
const SHA = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The local blob store under `dir`, keyed by the configured encryption key (the development key when unset). */
export function createLocalBlobStore(opts: { dir: string; encryptionKey?: string | undefined }): BlobStore {
  const key = deriveKey(opts.encryptionKey, 'document blobs');
  const fileOf = (sha: string) => {
    if (!SHA.test(sha)) throw new Error('not a SHA-256 hex digest');
    return path.join(opts.dir, sha.slice(0, 2), sha.slice(2, 4), sha);
  };

  const verify = (sha: string, file: Buffer): Uint8Array => {
    if (file.length < 32 || !file.subarray(0, 4).equals(MAGIC)) throw new BlobCorruptError(sha, 'unreadable');
    let plain: Buffer;
    try {
      const d = createDecipheriv('aes-256-gcm', key, file.subarray(4, 16));
      d.setAAD(Buffer.from(sha, 'ascii'));
      d.setAuthTag(file.subarray(16, 32));
      plain = Buffer.concat([d.update(file.subarray(32)), d.final()]);
    } catch {
      throw new BlobCorruptError(sha, 'unreadable');
    }
    if (sha256Hex(plain) !== sha) throw new BlobCorruptError(sha, 'hash_mismatch');
    return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
  };

  return {
    async put(bytes) {
      const sha = sha256Hex(bytes);
      const file = fileOf(sha);
      // Already stored and intact: nothing to write (content addressing). A damaged copy is replaced.
      try {
        verify(sha, await fs.readFile(file));
        return { sha256: sha, byteSize: bytes.byteLength };
      } catch {
        /* absent or damaged: write it */
      }
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(Buffer.from(sha, 'ascii'));
      const ct = Buffer.concat([c.update(bytes), c.final()]);
      await fs.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      const h = await fs.open(tmp, 'w', 0o600);
      try {
        await h.writeFile(Buffer.concat([MAGIC, iv, c.getAuthTag(), ct]));
        await h.sync();
      } finally {
        await h.close();
      }
      await fs.rename(tmp, file);
      return { sha256: sha, byteSize: bytes.byteLength };
    },

    async get(sha) {
      let file: Buffer;
      try {
        file = await fs.readFile(fileOf(sha));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobCorruptError(sha, 'missing');
        throw e;
      }
      return verify(sha, file);
    },

    async has(sha) {
      try {
        await fs.access(fileOf(sha));
        return true;
      } catch {
        return false;
      }
    },

    async remove(sha) {
      await fs.rm(fileOf(sha), { force: true });
    },
  };
}

/** The file of a blob (for tests and repair tools that need to reach it). */
export function blobPathOf(dir: string, sha: string): string {
  return path.join(dir, sha.slice(0, 2), sha.slice(2, 4), sha);
}
