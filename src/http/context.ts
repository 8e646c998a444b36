import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Clock } from '../core/shared/clock.js';
import { toStorableText } from '../core/shared/text.js';
import type { FieldCipher } from '../core/shared/crypto.js';
import type { Database } from '../db/schema.js';
import type { Actor, PermissionRule, RecordAccess } from '../modules/access/index.js';
import type { GroupingService } from '../modules/grouping/index.js';
import type { CodesService } from '../modules/codes/index.js';
import type { AuditLog } from '../modules/audit/index.js';
import type { PatientMatching } from '../modules/patients/index.js';
import type { CodingForQueries } from '../modules/queries/index.js';

/** Everything the server's modules are wired with; built once at start-up (src/http/server.ts) and passed down. */
export interface AppDeps {
  config: Config;
  db: Kysely<Database>;
  engine: 'sqlite' | 'postgres';
  clock: Clock;
  audit: AuditLog;
  cipher: FieldCipher;
  logger: Logger;
  /** The record-access step every read or write of patient data passes through. */
  records: RecordAccess;
  /** MS-DRG grouper and code editor (tables loaded on first use). */
  grouping: GroupingService;
  /** The ICD-10-CM/PCS encoder (code sets loaded once, in the background after start-up). */
  codes: CodesService;
  /** Ports between modules (the consumer declares each, another module implements it): MPI matching for patient writes; coding for queries. */
  matching: PatientMatching;
  coding: CodingForQueries;
}

/**
 * Every /api route declares who may call it in `config.access`: 'public', 'authenticated' (any signed-in user),
 * a permission, or `anyOf(...)` several permissions. Start-up fails for an /api route without it (deny by default).
 */
export type RouteAccess = 'public' | 'authenticated' | PermissionRule;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    actor: Actor | null;
    session: { id: string; csrfToken: string; expiresAt: string } | null;
  }
}

/** The signed-in actor of a request on an authenticated route. */
export function actorOf(req: { actor: Actor | null }): Actor {
  if (!req.actor) throw new Error('route without authentication reached a handler that needs an actor');
  return req.actor;
}

/** The longest User-Agent kept with a session and every audit event (real ones are well under 300 characters). */
export const USER_AGENT_MAX_LENGTH = 512;

/**
 * Where a request comes from, as sessions and audit events record it. The User-Agent is recorded, not validated,
 * so it is made storable instead of refused: Node's HTTP parser already answers 400 to a NUL or other control
 * byte in a header and reads other bytes as Latin-1 (never a lone surrogate), but a header that reaches the app
 * another way (light-my-request, a future proxy) must not put text into the audit chain that reads back altered.
 */
export function requesterOf(req: Pick<FastifyRequest, 'ip' | 'headers'>): { ip: string; userAgent: string | null } {
  const ua = req.headers['user-agent'];
  return { ip: req.ip, userAgent: typeof ua === 'string' ? toStorableText(ua, USER_AGENT_MAX_LENGTH) : null };
}
