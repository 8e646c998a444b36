/**
 * How a released packet goes out (the "Delivery"): a secure download link — a random token in the link, a
 * passcode sent separately, both stored as hashes only, an expiry and a few attempts; each download audited — or a
 * mailing (carrier, tracking number) or a pick-up (who took it, the identification checked) logged. The packet is
 * the one made at release, kept in the encrypted packet store by its SHA-256, so the recipient gets exactly what
 * was disclosed and accounted for (45 CFR 164.528); 164.312(e)(1): transmission security.
 */
import { createHash, randomBytes, randomInt, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { conflict, DomainError, ErrorCode, invalid, notFound } from '../../core/errors.js';
import { isoNow } from '../../core/shared/clock.js';
import { newId } from '../../core/shared/ids.js';
import { Permission, systemActor, type Actor } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import type { RoiDeliveryTable } from '../../db/schema-roi.js';
import { deliveryView, type DeliveryView } from './roi.delivery.view.js';
import * as repo from './roi.delivery.repository.js';
import { auditRoi, loadRequest, openRequest } from './roi.service.js';
import { parseInput, type RoiDeps } from './roi.views.js';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const Text = (max: number) => z.string().trim().min(1).max(max);

/** Wrong passcodes a link takes before it is locked. */
export const SECURE_LINK_ATTEMPTS = 5;
/** Without a passcode alphabet's look-alikes (0/O, 1/l/I): read aloud or typed from a letter. */
const PASSCODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export const DeliverySchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('secure_download'), expiresInDays: z.number().int().min(1).max(30).default(7) }),
  z.object({ method: z.literal('mail'), mailedOn: Day, carrier: Text(100), trackingNumber: Text(100).optional() }),
  z.object({ method: z.literal('pickup'), pickedUpOn: Day, pickedUpBy: Text(200), identificationChecked: Text(200) }),
]);
export type DeliveryInput = z.input<typeof DeliverySchema>;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function hashPasscode(passcode: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64url')}$${(await scrypt(passcode, salt, 32)).toString('base64url')}`;
}

async function passcodeMatches(passcode: string, stored: string): Promise<boolean> {
  const [kind, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const want = Buffer.from(hash, 'base64url');
  const got = await scrypt(passcode.trim().toUpperCase(), Buffer.from(salt, 'base64url'), want.length);
  return timingSafeEqual(got, want);
}

const newPasscode = () => Array.from({ length: 8 }, () => PASSCODE_ALPHABET[randomInt(PASSCODE_ALPHABET.length)]).join('');

/** What making a secure link answers, once: the token for the link and the passcode to send separately. */
export interface SecureLink {
  delivery: DeliveryView;
  token: string;
  passcode: string;
}

/**
 * Records how a released request's packet went out. A secure link answers its token and passcode once (only their
 * hashes are stored); a mailing or a pick-up is logged with who and how. Audited (`deliver`, the method only).
 */
export async function deliverRoiRequest(deps: RoiDeps, actor: Actor, id: string, input: unknown): Promise<DeliveryView | SecureLink> {
  const d = parseInput(DeliverySchema, input);
  const scope = await openRequest(deps, actor, id, 'write');
  const row = await loadRequest(deps, scope, id);
  if (row.status !== 'released' || row.clock_kind === 'accounting') throw conflict('only a released packet is delivered');
  const at = isoNow(deps.clock);
  const base: RoiDeliveryTable = {
    patient_id: scope.patientId,
    id: newId(),
    request_id: id,
    method: d.method,
    token_sha256: null,
    passcode_hash: null,
    expires_at: null,
    attempts_left: null,
    downloads: 0,
    last_download_at: null,
    delivered_on: null,
    carrier: null,
    tracking_number: null,
    picked_up_by: null,
    identification_checked: null,
    created_by: actor.userId,
    created_at: at,
  };
  let secret: { token: string; passcode: string } | null = null;
  if (d.method === 'secure_download') {
    if (!deps.packets || row.packet_sha256 === null || !(await deps.packets.has(row.packet_sha256)))
      throw new DomainError(ErrorCode.preconditionFailed, 'the released packet is not kept: send it by mail or pick-up');
    secret = { token: randomBytes(32).toString('base64url'), passcode: newPasscode() };
    base.token_sha256 = sha256(secret.token);
    base.passcode_hash = await hashPasscode(secret.passcode);
    base.expires_at = new Date(deps.clock.now().getTime() + d.expiresInDays * 86_400_000).toISOString();
    base.attempts_left = SECURE_LINK_ATTEMPTS;
  } else if (d.method === 'mail') {
    Object.assign(base, { delivered_on: d.mailedOn, carrier: d.carrier, tracking_number: d.trackingNumber ?? null });
  } else {
    Object.assign(base, { delivered_on: d.pickedUpOn, picked_up_by: d.pickedUpBy, identification_checked: d.identificationChecked });
  }
  if (base.delivered_on !== null && base.delivered_on > at.slice(0, 10)) throw invalid('the day it went out cannot be in the future');
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertDelivery(trx, scope, base);
    await auditRoi(deps, trx, scope, AuditAction.deliver, id, { method: d.method, deliveryId: base.id });
  });
  const view = deliveryView(base);
  return secret ? { delivery: view, ...secret } : view;
}

/** A request's deliveries, oldest first (under the request's scope: the caller opened the record). */
export async function listDeliveries(deps: RoiDeps, actor: Actor, id: string): Promise<DeliveryView[]> {
  const scope = await openRequest(deps, actor, id, 'read');
  return (await repo.listDeliveries(deps.db, scope, id)).map(deliveryView);
}

const gone = () => notFound('download link');

/**
 * The recipient's download: the token finds the link, the passcode opens it. Unknown, expired and locked links all
 * answer "not found" (nothing about the record leaks); a wrong passcode uses up an attempt and answers `forbidden`
 * with the attempts left. The record is opened as the system's own work (the disclosure was authorized and recorded
 * at release) and every attempt is audited with the request id (`download`, success or failure).
 */
export async function downloadRoiPacket(deps: RoiDeps, token: string, passcode: string): Promise<{ bytes: Uint8Array; requestId: string }> {
  const link = await repo.findByToken(deps.db, sha256(token));
  if (!link || !deps.packets) throw gone();
  const now = deps.clock.now().toISOString();
  if (link.expires_at === null || link.expires_at <= now || (link.attempts_left ?? 0) <= 0) throw gone();
  const actor = systemActor('roi-secure-download');
  const scope = await deps.records.open(
    actor,
    { patientId: link.patient_id },
    {
      permission: Permission.roiManage,
      mode: 'read',
      resourceType: 'roi_request',
      resourceId: link.request_id,
    },
  );
  const row = await loadRequest(deps, scope, link.request_id);
  const ok = link.passcode_hash !== null && (await passcodeMatches(passcode, link.passcode_hash));
  const audit = (trx: Parameters<typeof recordAudit>[0], outcome: 'success' | 'failure', detail: Record<string, unknown>) =>
    recordAudit(trx, deps.audit, actor, {
      action: AuditAction.download,
      resourceType: 'roi_request',
      resourceId: link.request_id,
      patientId: scope.patientId,
      outcome,
      detail: { deliveryId: link.id, ...detail },
    });
  if (!ok) {
    const left = await deps.db.transaction().execute(async (trx) => {
      const n = await repo.useAttempt(trx, scope, link.id);
      await audit(trx, 'failure', { attemptsLeft: n });
      return n;
    });
    throw new DomainError(ErrorCode.forbidden, `wrong passcode: ${left} attempt(s) left`, { attemptsLeft: left });
  }
  if (row.packet_sha256 === null) throw gone();
  const bytes = await deps.packets.get(row.packet_sha256);
  await deps.db.transaction().execute(async (trx) => {
    await repo.countDownload(trx, scope, link.id, now);
    await audit(trx, 'success', { bytes: bytes.byteLength });
  });
  return { bytes, requestId: link.request_id };
}
