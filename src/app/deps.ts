import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Clock } from '../core/shared/clock.js';
import type { FieldCipher } from '../core/shared/crypto.js';
import type { Database } from '../db/schema.js';
import type { RecordAccess } from '../modules/access/index.js';
import type { AuditLog } from '../modules/audit/index.js';
import type { CodesService } from '../modules/codes/index.js';
import type { GroupingService } from '../modules/grouping/index.js';
import type { PatientMatching } from '../modules/patients/index.js';
import type { CodingForQueries } from '../modules/queries/index.js';
import type { CacKnowledgeProvider } from '../modules/cac/index.js';

/**
 * The shared parts the application is wired from, built once at start-up (openAppDeps in bootstrap.ts). Modules
 * never take this bag: modules.ts cuts each module's narrow deps from it (the server), and CLI commands pass it
 * where a service's deps are a subset of it.
 */
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
  /** Computer-assisted coding's knowledge (src/app/cac-knowledge.ts: loaded in the background on first use); absent: CAC answers 412. */
  cacKnowledge?: CacKnowledgeProvider;
}
