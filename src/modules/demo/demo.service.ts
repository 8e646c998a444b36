import path from 'node:path';
import { repoRoot } from '../../config/config.js';
import { newId } from '../../core/shared/ids.js';
import { loadCodeEditor } from '../../core/mce/index.js';
import { isoNow } from '../../core/shared/clock.js';
import type { AppDeps } from '../../app/deps.js';
import { Role, systemActor, type Actor, type Role as RoleT } from '../access/index.js';
import { countUsers, createUser, enrollTotpWithSecret } from '../auth/index.js';
import { createEncounter, createPatient, insertFacility, insertProvider } from '../patients/index.js';
import { demoProviders, makeEncounter, makePerson, prng } from './demo.rules.js';
import { readSyntheaPeople } from './demo.synthea.js';
import { seedCodingDemo } from './demo.coding.js';
import { seedOutpatientDemo } from './demo.outpatient.js';
import { seedChartsDemo } from './demo.charts.js';
import { seedDocumentsDemo } from './demo.documents.js';
import { seedScanningDemo } from './demo.scanning.js';
import { seedRecordLifeDemo } from './demo.record-life.js';
import { seedCompletionDemo, seedScheduledProcedureDemo } from './demo.completion.js';
import { seedRoiDemo } from './demo.roi.js';
import { seedSchedulingDemo } from './demo.scheduling.js';
import { seedBillingDemo } from './demo.billing.js';
import { seedTranscriptionDemo } from './demo.transcription.js';

/** Every demo user's password (documented in the README; demo databases only). */
export const DEMO_PASSWORD = 'Custodian-Demo-2026';
/** The demo administrator's TOTP secret (base32), to add to an authenticator app. */
export const DEMO_ADMIN_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
export const DEMO_FACILITY_ID = 'fac-custodian-general';

export const demoUsers: { username: string; displayName: string; role: RoleT }[] = [
  { username: 'admin', displayName: 'Avery Admin', role: Role.administrator },
  { username: 'director', displayName: 'Dana Director, RHIA', role: Role.himDirector },
  { username: 'coder', displayName: 'Casey Coder, CCS', role: Role.coder },
  { username: 'clerk', displayName: 'Chris Clerk, RHIT', role: Role.himClerk },
  { username: 'physician', displayName: 'Alice Morgan, MD', role: Role.physician },
  { username: 'auditor', displayName: 'Aubrey Auditor, CHC', role: Role.auditor },
];

export interface SeedResult {
  facilityId: string;
  patients: number;
  encounters: number;
  users: { username: string; password: string; role: RoleT }[];
}

/**
 * The day the demo's encounters lead up to: today, or — when the official tables here end earlier (the FY2027 code
 * sets and MS-DRG v44 are not in the data folder) — the last discharge date they cover, so that every demo
 * encounter can be coded and grouped with the code set in force on its discharge date.
 */
async function demoReferenceDate(deps: AppDeps): Promise<Date> {
  const now = deps.clock.now();
  try {
    const editor = await loadCodeEditor(deps.config.dataDir);
    const d = String(editor.lastDischargeDate);
    const last = new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T18:00:00Z`);
    return last.getTime() < now.getTime() ? last : now;
  } catch {
    return now;
  }
}

export async function isDatabaseEmpty(deps: Pick<AppDeps, 'db'>): Promise<boolean> {
  return (await countUsers(deps.db)) === 0;
}

/** True when the demo hospital has been loaded (its facility exists): the start-up banner names its users. */
export async function isDemoLoaded(deps: Pick<AppDeps, 'db'>): Promise<boolean> {
  const row = await deps.db.selectFrom('facilities').select('id').where('id', '=', DEMO_FACILITY_ID).executeTakeFirst();
  return row !== undefined;
}

/**
 * Creates the demo hospital: one facility, ten physicians, one user per role, about 200 patients (the Synthea
 * people first, then generated ones) with insurance, about 400 encounters, and three restricted records.
 * Deterministic: the same seed gives the same data. Refuses to run on a database that already has users.
 */
export async function seedDemo(
  deps: AppDeps,
  opts: {
    patients?: number;
    seed?: number;
    onProgress?: (done: number, total: number) => void;
    /** Final-code a few stays and bill them (demo.billing.ts); loads the grouper and code sets, so tests opt in. */
    billing?: boolean;
    /**
     * Three dictations spoken by espeak-ng and queued for recognition (demo.transcription.ts): opt-in, because a test
     * that runs every queued job would recognize them and build the medical speech model.
     */
    dictations?: boolean;
  } = {},
): Promise<SeedResult> {
  if (!(await isDatabaseEmpty(deps))) throw new Error('the database already has users: demo data goes only into an empty database');
  const total = opts.patients ?? 200;
  const r = prng(opts.seed ?? 20261128);
  const now = await demoReferenceDate(deps);
  const anchored = now.getTime() < deps.clock.now().getTime();
  await insertFacility(deps.db, {
    id: DEMO_FACILITY_ID,
    name: 'Custodian General Hospital',
    mrn_prefix: '',
    next_mrn: 1000001,
    created_at: isoNow(deps.clock),
  });
  const providerIds: string[] = [];
  for (const p of demoProviders) {
    const id = newId();
    providerIds.push(id);
    await insertProvider(deps.db, {
      id,
      npi: p.npi,
      family_name: p.family,
      given_name: p.given,
      credentials: p.credentials,
      specialty: p.specialty,
      created_at: isoNow(deps.clock),
    });
  }
  const seeder: Actor = { ...systemActor('demo-seed'), role: Role.himClerk };
  const users: SeedResult['users'] = [];
  for (const u of demoUsers) {
    const created = await createUser(
      deps,
      { ...seeder, role: Role.administrator },
      { ...u, password: DEMO_PASSWORD, ...(u.role === Role.physician ? { providerId: providerIds[0]! } : {}) },
    );
    if (u.role === Role.administrator) await enrollTotpWithSecret(deps, created.id, DEMO_ADMIN_TOTP_SECRET);
    users.push({ username: u.username, password: DEMO_PASSWORD, role: u.role });
  }
  const synthea = readSyntheaPeople(path.resolve(repoRoot, '..', 'shared', 'corpora', 'fhir', 'synthea-r4-bundles'));
  let encounters = 0;
  for (let i = 0; i < total; i++) {
    const fromSynthea = synthea[i];
    const generated = makePerson(r, i);
    const merged = fromSynthea ? { ...generated, ...fromSynthea, ssn: generated.ssn } : generated;
    // The patient is the subscriber (X12 relationship 18, self): the policy carries the patient's own name.
    const person = {
      ...merged,
      insurance: merged.insurance?.map((i) => ({ ...i, subscriberName: `${merged.givenName} ${merged.familyName}` })),
    };
    const restricted = i === 7 || i === 42 || i === 133;
    const { id } = await createPatient(deps, seeder, {
      ...person,
      facilityId: DEMO_FACILITY_ID,
      ...(restricted ? { restricted: true, restrictionReason: i === 42 ? 'Employee' : 'VIP' } : {}),
    });
    const roll = r();
    const count = roll < 0.2 ? 1 : roll < 0.8 ? 2 : 3;
    for (let k = 0; k < count && (!person.deceasedAt || k === 0); k++) {
      await createEncounter(
        deps,
        seeder,
        id,
        makeEncounter(r, encounters, now, providerIds, person.insurance?.[0]?.payerName ?? 'Self-pay', !anchored),
      );
      encounters++;
    }
    opts.onProgress?.(i + 1, total);
  }
  await seedCodingDemo(deps, providerIds[0]!);
  await seedOutpatientDemo(deps);
  await seedChartsDemo(deps);
  await seedDocumentsDemo(deps);
  await seedScanningDemo(deps);
  await seedRecordLifeDemo(deps);
  await seedCompletionDemo(deps);
  await seedRoiDemo(deps);
  const scheduling = await seedSchedulingDemo(deps);
  if (scheduling.completedProcedure) await seedScheduledProcedureDemo(deps, scheduling.completedProcedure);
  if (opts.billing) await seedBillingDemo(deps);
  if (opts.dictations) await seedTranscriptionDemo(deps);
  return { facilityId: DEMO_FACILITY_ID, patients: total, encounters, users };
}
