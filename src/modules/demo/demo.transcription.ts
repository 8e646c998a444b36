/**
 * Dictation demo data: three dictations by the demo physician on their latest discharged stays (a discharge summary,
 * a STAT consultation and a progress note), spoken by espeak-ng at seed time and queued for recognition, which `serve`
 * runs (src/modules/transcription). Without espeak-ng (Debian `espeak-ng`) or ffmpeg there are no demo dictations.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AppDeps } from '../../app/deps.js';
import { documentsDepsOf, transcriptionDepsOf } from '../../app/modules.js';
import { Role, systemActor } from '../access/index.js';
import { findFirstUserOfRole } from '../auth/index.js';
import { createDocumentsService } from '../documents/index.js';
import { createDictation } from '../transcription/index.js';

const run = promisify(execFile);

const DICTATIONS = [
  {
    workType: 'DS',
    priority: 'routine',
    text: 'Discharge summary. The patient was admitted with community acquired pneumonia and treated with ceftriaxone and azithromycin. Final diagnosis community acquired pneumonia. Discharged home in stable condition.',
  },
  {
    workType: 'CN',
    priority: 'stat',
    text: 'Consultation. Reason for consultation chest pain. Impression atypical chest pain, troponin negative. Recommend stress test.',
  },
  { workType: 'PN', priority: 'routine', text: 'Progress note. The patient is afebrile and improving. Plan continue antibiotics.' },
] as const;

export async function seedTranscriptionDemo(deps: AppDeps): Promise<{ dictations: number }> {
  const physician = await findFirstUserOfRole(deps.db, Role.physician);
  if (!physician) return { dictations: 0 };
  const provider = (await deps.db.selectFrom('users').select('provider_id').where('id', '=', physician.id).executeTakeFirst())?.provider_id;
  if (!provider) return { dictations: 0 };
  const stays = await deps.db
    .selectFrom('encounters')
    .innerJoin('patients', 'patients.id', 'encounters.patient_id')
    .select(['encounters.patient_id', 'encounters.id'])
    .where('encounters.attending_provider_id', '=', provider)
    .where('encounters.status', '=', 'discharged')
    .where('patients.restricted', '=', 0)
    .orderBy('encounters.discharge_at', 'desc')
    .limit(DICTATIONS.length)
    .execute();
  const tx = transcriptionDepsOf(deps, createDocumentsService(documentsDepsOf(deps)));
  const actor = { ...systemActor('demo-seed'), userId: physician.id, role: Role.physician };
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'custodian-demo-dictation-'));
  let made = 0;
  try {
    for (const [i, stay] of stays.entries()) {
      const d = DICTATIONS[i]!;
      const wav = path.join(dir, `${String(i)}.wav`);
      try {
        await run('espeak-ng', ['-s', '150', '-w', wav, d.text]);
      } catch {
        return { dictations: made };
      }
      const bytes = new Uint8Array(await fs.readFile(wav));
      await createDictation(
        tx,
        actor,
        { patientId: stay.patient_id, encounterId: stay.id, workType: d.workType, priority: d.priority },
        { bytes },
      );
      made++;
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  return { dictations: made };
}
