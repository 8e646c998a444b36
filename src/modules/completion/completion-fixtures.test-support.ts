/**
 * Test data for the completion tests (not a test file itself): a world with an analyst (HIM clerk), a director, two
 * physicians linked to providers (one with a real password hash for batch signing), the documents service over a
 * temporary blob store, and discharged encounters with or without documents and coded procedures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestDatabase } from '../../../test/support/databases.js';
import { insertUserFor, makeActor, makeDeps, makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { Role, type Actor } from '../access/index.js';
import { hashPassword, verifyUserPassword } from '../auth/index.js';
import { createDocumentsService, createLocalBlobStore, type DocumentsService } from '../documents/index.js';
import { createEncounter, createPatient, insertProvider } from '../patients/index.js';
import type { CompletionDeps } from './completion.views.js';

export const PASSWORD = 'correct horse battery staple 42';

export interface CompletionWorld {
  deps: CompletionDeps & ReturnType<typeof makeDeps>;
  docs: DocumentsService;
  analyst: Actor;
  director: Actor;
  physician: Actor;
  physician2: Actor;
  coder: Actor;
  providers: { attending: string; other: string };
  chart(over?: { type?: string; restricted?: boolean; surgery?: boolean; admitAt?: string; dischargeAt?: string | null }): Promise<{
    patientId: string;
    encounterId: string;
  }>;
  file(chart: { patientId: string; encounterId: string }, typeCode: string, text: string, author?: Actor): Promise<string>;
  dispose(): void;
}

let accounts = 0;

export async function makeCompletionWorld(t: TestDatabase): Promise<CompletionWorld> {
  const base = makeDeps(t, '2026-03-10T08:00:00Z');
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodian-completion-'));
  const docs = createDocumentsService({ ...base, blobs: createLocalBlobStore({ dir: blobDir }) });
  await makeFacility(t);
  const providers = { attending: `prov-att-${accounts}`, other: `prov-oth-${accounts}` };
  for (const [id, family] of [
    [providers.attending, 'Morgan'],
    [providers.other, 'Okafor'],
  ] as const)
    await insertProvider(t.db, {
      id,
      npi: null,
      family_name: family,
      given_name: 'Alex',
      credentials: 'MD',
      specialty: null,
      created_at: '2026-01-01T00:00:00Z',
    });
  const analyst = makeActor(Role.himClerk);
  const director = makeActor(Role.himDirector);
  const physician = makeActor(Role.physician);
  const physician2 = makeActor(Role.physician);
  const coder = makeActor(Role.coder);
  for (const a of [analyst, director, physician, physician2, coder]) await insertUserFor(t, a);
  const hash = await hashPassword(PASSWORD);
  await t.db
    .updateTable('users')
    .set({ provider_id: providers.attending, password_hash: hash })
    .where('id', '=', physician.userId)
    .execute();
  await t.db.updateTable('users').set({ provider_id: providers.other, password_hash: hash }).where('id', '=', physician2.userId).execute();
  const deps = { ...base, signing: docs, verifyPassword: (userId: string, pw: string) => verifyUserPassword(t.db, userId, pw) };
  return {
    deps,
    docs,
    analyst,
    director,
    physician,
    physician2,
    coder,
    providers,
    async chart(over = {}) {
      const clerk = { ...analyst, system: true };
      const p = await createPatient(deps, clerk, makePatientInput(over.restricted ? { restricted: true, restrictionReason: 'VIP' } : {}));
      accounts++;
      const e = await createEncounter(deps, clerk, p.id, {
        accountNumber: `CMP-${accounts}-${Date.now() % 100000}`,
        type: (over.type ?? 'inpatient') as 'inpatient',
        admitAt: over.admitAt ?? '2026-03-01T09:00:00Z',
        ...(over.dischargeAt === null ? {} : { dischargeAt: over.dischargeAt ?? '2026-03-05T15:00:00Z' }),
        attendingProviderId: providers.attending,
        dischargeStatus: '01',
      });
      if (over.surgery)
        await t.db
          .insertInto('coding_abstracts')
          .values({
            encounter_id: e.id,
            patient_id: p.id,
            status: 'draft',
            version: 1,
            data: JSON.stringify({ procedures: [{ code: '0DTJ4ZZ', date: '2026-03-02', operatingProviderId: providers.other }] }),
            assigned_to: null,
            assigned_at: null,
            working_drg: null,
            working_drg_title: null,
            final_drg: null,
            coded_by: null,
            coded_at: null,
            query_answered: 0,
            updated_by: null,
            created_at: '2026-03-06T00:00:00Z',
            updated_at: '2026-03-06T00:00:00Z',
          })
          .execute();
      return { patientId: p.id, encounterId: e.id };
    },
    async file(chart, typeCode, text, author = physician) {
      const d = await docs.fileDocument(analyst, {
        patientId: chart.patientId,
        encounterId: chart.encounterId,
        typeCode,
        title: typeCode,
        serviceAt: '2026-03-01T12:00:00Z',
        authorId: author.userId,
        source: 'upload',
        content: { bytes: new TextEncoder().encode(text), mediaType: 'text/plain', fileName: `${typeCode}.txt` },
      });
      return d.id;
    },
    dispose: () => fs.rmSync(blobDir, { recursive: true, force: true }),
  };
}

/**
 * One completion record of the encounter with a waived deficiency and its event, for the MPI merge test (these rows
 * stay with the merged record: NOT_MOVED_BY_MERGE in src/modules/mpi/merge-participants.ts).
 */
export async function addCompletionRows(db: TestDatabase['db'], patientId: string, encounterId: string, userId: string): Promise<void> {
  const at = '2026-02-20T10:00:00.000Z';
  const enc = await db.selectFrom('encounters').select('facility_id').where('id', '=', encounterId).executeTakeFirstOrThrow();
  await db
    .insertInto('completion_records')
    .values({
      patient_id: patientId,
      encounter_id: encounterId,
      facility_id: enc.facility_id,
      discharge_at: at,
      status: 'complete',
      outstanding_count: 0,
      pending_count: 0,
      analysed_at: at,
      completed_at: at,
      updated_at: at,
    })
    .execute();
  const id = `def-${encounterId}`;
  await db
    .insertInto('deficiencies')
    .values({
      patient_id: patientId,
      id,
      encounter_id: encounterId,
      key: 'missing:DS',
      type: 'missing_document',
      requirement: 'discharge_summary',
      document_id: null,
      document_type_code: 'DS',
      responsible_provider_id: null,
      citation: '42 CFR 482.24(c)(4)(vii)',
      message: 'Discharge summary missing',
      page_ref: null,
      source: 'analysis',
      status: 'waived',
      due_at: at,
      created_by: userId,
      created_at: at,
      resolved_by: userId,
      resolved_at: at,
      reason: 'short stay: final progress note',
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('deficiency_events')
    .values({
      patient_id: patientId,
      id: `evt-${id}`,
      deficiency_id: id,
      kind: 'waived',
      from_provider_id: null,
      to_provider_id: null,
      reason: 'short stay',
      by_user: userId,
      at,
    })
    .execute();
}
