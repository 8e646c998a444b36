/**
 * Chart completion demo data: two unsigned progress notes by the demo physician on the latest discharged stay they
 * attended (their inbox has something to sign), then the analysis of every discharge, as the sweep of `serve` would
 * run it. Demo stays have no H&P and summaries without a stated final diagnosis, so charts are incomplete, and those
 * discharged more than 30 days ago are delinquent (42 CFR 482.24(c)(4)(viii)).
 */
import type { AppDeps } from '../../app/deps.js';
import { documentsDepsOf } from '../../app/modules.js';
import { Role, systemActor, type Actor } from '../access/index.js';
import { findFirstUserOfRole } from '../auth/index.js';
import { analyseDischarges } from '../completion/index.js';
import { createDocumentsService } from '../documents/index.js';
import { createEncounter } from '../patients/index.js';
import { demoProviders } from './demo.rules.js';

export async function seedCompletionDemo(deps: AppDeps): Promise<{ analysed: number }> {
  const seeder: Actor = { ...systemActor('demo-seed'), role: Role.himClerk };
  const physician = await findFirstUserOfRole(deps.db, Role.physician);
  const provider = physician
    ? (await deps.db.selectFrom('users').select('provider_id').where('id', '=', physician.id).executeTakeFirst())?.provider_id
    : null;
  if (physician && provider) {
    const stay = await deps.db
      .selectFrom('encounters')
      .select(['patient_id', 'id', 'discharge_at'])
      .where('attending_provider_id', '=', provider)
      .where('status', '=', 'discharged')
      .orderBy('discharge_at', 'desc')
      .executeTakeFirst();
    if (stay) {
      const docs = createDocumentsService(documentsDepsOf(deps));
      for (const day of [1, 2])
        await docs.fileDocument(seeder, {
          patientId: stay.patient_id,
          encounterId: stay.id,
          typeCode: 'PN',
          title: `Progress note, hospital day ${day}`,
          authorId: physician.id,
          authorName: 'Alice Morgan, MD',
          serviceAt: stay.discharge_at,
          source: 'system',
          content: {
            bytes: new TextEncoder().encode(
              `Progress note, hospital day ${day}.\nAssessment: improving.\nPlan: continue current treatment.`,
            ),
            mediaType: 'text/plain',
            fileName: `progress-note-${day}.txt`,
          },
        });
    }
  }
  const results = await analyseDischarges(deps, systemActor('demo-seed'));
  return { analysed: results.filter((r) => r.outcome === 'analysed').length };
}

/**
 * The outpatient visit of a completed procedure appointment (scheduling demo): registered 30 minutes before the
 * procedure, discharged an hour after it, attended by the procedure room's surgeon (Grace Oyelaran, General Surgery),
 * with no document and no coded procedure. Its analysis shows the scheduled-procedure rule (42 CFR 482.51(b)(6)): the
 * operative report, anesthesia record, consent and H&P are missing because the procedure was scheduled and done.
 */
export async function seedScheduledProcedureDemo(
  deps: AppDeps,
  procedure: { patientId: string; start: string; end: string },
): Promise<{ encounterId: string }> {
  const seeder: Actor = { ...systemActor('demo-seed'), role: Role.himClerk };
  const surgeon = await deps.db.selectFrom('providers').select('id').where('npi', '=', demoProviders[2].npi).executeTakeFirst();
  const e = await createEncounter(deps, seeder, procedure.patientId, {
    accountNumber: 'P100001',
    type: 'outpatient',
    admitAt: new Date(Date.parse(procedure.start) - 30 * 60_000).toISOString(),
    dischargeAt: new Date(Date.parse(procedure.end) + 60 * 60_000).toISOString(),
    dischargeStatus: '01',
    ...(surgeon ? { attendingProviderId: surgeon.id } : {}),
    admissionSource: '1',
    admissionType: '3',
    reasonForVisit: 'Minor procedure',
  });
  await analyseDischarges(deps, systemActor('demo-seed'));
  return { encounterId: e.id };
}
