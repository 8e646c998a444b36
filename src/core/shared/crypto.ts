import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for fields encrypted at rest (SSN). Format: `v1.<iv>.<tag>.<ciphertext>` in base64url.
 * HIPAA 164.312(a)(2)(iv) encryption and decryption.
 */
export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(token: string): string;
}

/**
 * A key for one purpose derived from a configured key (HKDF-SHA-256), so one secret can key several things without
 * one use revealing another's key. Without a configured key, from the development key.
 */
export function deriveKey(hexKey: string | undefined, purpose: string): Buffer {
  const base = hexKey ? Buffer.from(hexKey, 'hex') : createHash('sha256').update('custodian-development-key').digest();
  return Buffer.from(hkdfSync('sha256', base, Buffer.alloc(0), `custodian ${purpose}`, 32));
}

export function createFieldCipher(hexKey: string | undefined): FieldCipher {
  // Without a configured key a fixed development key is used; the README says to set CUSTODIAN_ENCRYPTION_KEY in production.
  const key = hexKey ? Buffer.from(hexKey, 'hex') : createHash('sha256').update('custodian-development-key').digest();
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
    },
    decrypt(token) {
      const [v, iv, tag, ct] = token.split('.');
      if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('unrecognised encrypted field');
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
    },
  };
}
