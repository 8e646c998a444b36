import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-auth.js';
import * as m0003 from './0003-mpi-adt.js';
import * as m0004 from './0004-coding.js';
import * as m0005 from './0005-mpi-model.js';
import * as m0006 from './0006-mpi-model-one-active.js';
import * as m0007 from './0007-mpi-match-key-state.js';
import * as m0008 from './0008-audit-chains.js';
import * as m0009 from './0009-jobs.js';
import * as m0010 from './0010-documents.js';
import * as m0011 from './0011-charts.js';
import * as m0012 from './0012-scanning.js';
import * as m0013 from './0013-record-life.js';
import * as m0014 from './0014-completion.js';
import * as m0015 from './0015-roi.js';
import * as m0016 from './0016-scheduling.js';
import * as m0018 from './0018-fhir.js';
import * as m0020 from './0020-claims.js';
import * as m0021 from './0021-research.js';
import * as m0022 from './0022-remittance.js';
import * as m0023 from './0023-cac.js';
import * as m0024 from './0024-transcription.js';
import * as m0027 from './0027-drg-weights.js';
import * as m0028 from './0028-user-email.js';
import * as m0029 from './0029-reports-saved.js';
import * as m0030 from './0030-completion-procedures.js';
import * as m0025 from './0025-denial-work.js';
import * as m0031 from './0031-outpatient-abstracts.js';
import * as m0032 from './0032-roi-deliveries.js';
import * as m0034 from './0034-claim-corrections.js';

/** Kysely applies migrations in name order: the registry is kept in that order whatever order the lines are in. */
function inNameOrder(all: Record<string, Migration>): Record<string, Migration> {
  return Object.fromEntries(Object.entries(all).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Every migration, in order. Each later issue appends its own file here (`NNNN-name.ts`); one list serves both
 * engines, so a migration uses only Kysely's schema builder or SQL that both SQLite and PostgreSQL accept.
 */
export const migrations: Record<string, Migration> = inNameOrder({
  '0001-foundation': m0001,
  '0002-auth': m0002,
  '0003-mpi-adt': m0003,
  '0004-coding': m0004,
  '0005-mpi-model': m0005,
  '0006-mpi-model-one-active': m0006,
  '0007-mpi-match-key-state': m0007,
  '0008-audit-chains': m0008,
  '0009-jobs': m0009,
  '0010-documents': m0010,
  '0011-charts': m0011,
  '0012-scanning': m0012,
  '0013-record-life': m0013,
  '0014-completion': m0014,
  '0015-roi': m0015,
  '0016-scheduling': m0016,
  '0018-fhir': m0018,
  '0020-claims': m0020,
  '0021-research': m0021,
  '0022-remittance': m0022,
  '0023-cac': m0023,
  '0024-transcription': m0024,
  '0027-drg-weights': m0027,
  '0028-user-email': m0028,
  '0029-reports-saved': m0029,
  '0030-completion-procedures': m0030,
  '0025-denial-work': m0025,
  '0031-outpatient-abstracts': m0031,
  '0032-roi-deliveries': m0032,
  '0034-claim-corrections': m0034,
});

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
