/**
 * Test data for the coding and query service tests (not a test file itself): a facility, physicians, a coder,
 * a physician user linked to a provider, and discharged encounters.
 */
import { loadConfig } from '../../config/config.js';
import { newId } from '../../core/shared/ids.js';
import type { TestDatabase } from '../../../test/support/databases.js';
import { insertUserFor, makeActor, makeDeps, makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { createGroupingService } from '../grouping/index.js';
import { Role, type Actor } from '../access/index.js';
import { createEncounter, createPatient } from '../patients/index.js';
import { encoderFor } from './encoder.adapter.js';
import type { CodingDeps } from './coding.service.js';
import { codingForQueries } from './coding-for-queries.js';
import type { AbstractInput } from './coding.rules.js';

const { dataDir, codesetsDir } = loadConfig({});
const grouping = createGroupingService({ dataDir });
const encoder = encoderFor(dataDir, { snapshotDir: codesetsDir });

export interface CodingWorld {
  deps: CodingDeps & ReturnType<typeof makeDeps> & { coding: typeof codingForQueries };
  coder: Actor;
  coder2: Actor;
  director: Actor;
  physician: Actor;
  auditor: Actor;
  providerId: string;
  otherProviderId: string;
  encounter(over?: {
    type?: 'inpatient' | 'outpatient' | 'emergency' | 'observation';
    dischargeAt?: string;
    admitAt?: string;
    payerName?: string;
    account?: string;
    dateOfBirth?: string;
  }): Promise<string>;
}

let accounts = 0;

/** Builds the world on a fresh test database; the clock starts at 2026-03-10 08:00 UTC. */
export async function makeCodingWorld(t: TestDatabase): Promise<CodingWorld> {
  const base = makeDeps(t, '2026-03-10T08:00:00Z');
  const deps = { ...base, grouping, encoder, coding: codingForQueries };
  await makeFacility(t);
  const providerId = newId();
  const otherProviderId = newId();
  for (const [id, family] of [
    [providerId, 'Morgan'],
    [otherProviderId, 'Desai'],
  ] as const) {
    await t.db
      .insertInto('providers')
      .values({
        id,
        npi: null,
        family_name: family,
        given_name: 'Test',
        credentials: 'MD',
        specialty: null,
        created_at: '2026-01-01T00:00:00.000Z',
      })
      .execute();
  }
  const coder = makeActor(Role.coder);
  const coder2 = makeActor(Role.coder);
  const director = makeActor(Role.himDirector);
  const physician = makeActor(Role.physician);
  const auditor = makeActor(Role.auditor);
  for (const a of [coder, coder2, director, physician, auditor]) await insertUserFor(t, a);
  await t.db.updateTable('users').set({ provider_id: providerId }).where('id', '=', physician.userId).execute();
  const clerk = makeActor(Role.himClerk);
  return {
    deps,
    coder,
    coder2,
    director,
    physician,
    auditor,
    providerId,
    otherProviderId,
    async encounter(over = {}) {
      const p = await createPatient(
        deps,
        clerk,
        makePatientInput({ dateOfBirth: over.dateOfBirth ?? '1950-05-17', sex: 'M', givenName: 'John' }),
      );
      accounts++;
      const e = await createEncounter(deps, clerk, p.id, {
        accountNumber: over.account ?? `T${String(accounts).padStart(6, '0')}`,
        type: over.type ?? 'inpatient',
        admitAt: over.admitAt ?? '2026-03-01T10:00:00.000Z',
        dischargeAt: over.dischargeAt ?? '2026-03-05T12:00:00.000Z',
        dischargeStatus: '01',
        attendingProviderId: providerId,
        payerName: over.payerName ?? 'Medicare Part A',
      });
      return e.id;
    },
  };
}

/** Acute on chronic systolic heart failure with acute kidney failure (a CC): MS-DRG 292. */
export const heartFailureWithCc: AbstractInput = {
  principalDx: { code: 'I50.23', poa: 'Y' },
  secondaryDx: [{ code: 'N17.9', poa: 'Y' }],
  admittingDx: 'R06.02',
  dischargeStatus: '01',
};
