/**
 * Test data for the CAC service tests and the restricted-record walk (not a test file itself): a small knowledge
 * learned from a few written coded notes (no code sets, no corpus: builds in milliseconds), handed to the service
 * through its knowledge port.
 */
import { CAC_FORMAT_VERSION, learnRules, type CacKnowledge, type CodedDocument } from '../../core/cac/index.js';
import type { TestDatabase } from '../../../test/support/databases.js';
import type { CacKnowledgeProvider } from './cac.service.js';

function emptyKnowledge(): CacKnowledge {
  return {
    formatVersion: CAC_FORMAT_VERSION,
    builtFrom: { codesets: 'none', corpus: 'written examples', trainDocuments: 0 },
    phrases: new Map(),
    maxWords: 3,
    combos: new Map(),
    familyHistory: new Map(),
    personalHistory: new Map(),
    cancerHistory: new Map(),
    laterality: new Map(),
    prior: new Map(),
  };
}

/** What the written notes teach: phrase -> code, each seen in three notes. */
const TAUGHT: { phrase: string; code: string; system: 'cm' | 'pcs' }[] = [
  { phrase: 'acute on chronic systolic heart failure', code: 'I5023', system: 'cm' },
  { phrase: 'acute kidney injury', code: 'N179', system: 'cm' },
  { phrase: 'community acquired pneumonia', code: 'J189', system: 'cm' },
  { phrase: 'type 2 diabetes', code: 'E119', system: 'cm' },
  { phrase: 'right heart catheterization', code: '02HP32Z', system: 'pcs' },
];

/** A small knowledge learned from written notes: each taught phrase in three notes, and thirty unrelated ones. */
export function smallCacKnowledge(): CacKnowledge {
  return taughtCacKnowledge(TAUGHT);
}

/** A knowledge learned from these phrases (each in three notes) and thirty unrelated notes. */
export function taughtCacKnowledge(taught: readonly { phrase: string; code: string; system: 'cm' | 'pcs' }[]): CacKnowledge {
  const docs: CodedDocument[] = [];
  for (const t of taught)
    for (let i = 0; i < 3; i++)
      docs.push({
        name: `${t.code}-${i}`,
        text: `Note ${i}. Assessment: ${t.phrase}. Plan: follow up.`,
        codes: [{ code: t.code, system: t.system }],
      });
  for (let i = 0; i < 30; i++)
    docs.push({ name: `other-${i}`, text: `Note ${i}. Assessment: cough. Plan: follow up.`, codes: [{ code: 'R05', system: 'cm' }] });
  return learnRules(emptyKnowledge(), docs).knowledge;
}

export function fixedKnowledge(k: CacKnowledge): CacKnowledgeProvider {
  return { get: () => Promise.resolve(k) };
}

/** One accepted CAC decision on the encounter (for the MPI merge test: a row of every patient-keyed table). */
export async function addCacRows(db: TestDatabase['db'], patientId: string, encounterId: string, userId: string): Promise<void> {
  await db
    .insertInto('cac_decisions')
    .values({
      patient_id: patientId,
      id: `cac-${encounterId}`,
      encounter_id: encounterId,
      code: 'N179',
      system: 'cm',
      decision: 'accepted',
      reason: null,
      accepted_as: 'secondary',
      evidence_document_id: `doc-${encounterId}`,
      evidence_version: 1,
      evidence_start: 0,
      evidence_end: 19,
      evidence_text: 'Acute kidney injury',
      score: 0.5,
      rank: 1,
      decided_by: userId,
      decided_at: '2026-02-20T10:00:00.000Z',
    })
    .execute();
}
