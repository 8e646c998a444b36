/**
 * The restricted record's documents, for the restricted-record walk (restricted-walk.fixture.ts builds them with the
 * rest of the record): a progress note whose text is a secret, a legal hold on it, and helpers that make a fresh
 * document or hold for the walk steps that change one, and a multipart upload body.
 */
import type { AppDeps } from '../../src/app/deps.js';
import { documentsDepsOf } from '../../src/app/modules.js';
import { Role, systemActor, type Actor } from '../../src/modules/access/index.js';
import { createDocumentsService } from '../../src/modules/documents/index.js';

/** Text of the restricted record's document: clinical, shown only through the record-access step. */
export const DOCUMENT_SECRET = 'Kaposi sarcoma lesion biopsy pending';

export interface DocumentWalkIds {
  documentId: string;
  holdId: string;
}

const system: Actor = { ...systemActor('walk-fixture'), role: Role.himDirector };

const service = (deps: AppDeps) => createDocumentsService(documentsDepsOf(deps));

/** A new document of the record (no encounter), so that each walk step that changes one has its own. */
export async function makeWalkDocument(deps: AppDeps, patientId: string): Promise<string> {
  const d = await service(deps).fileDocument(system, {
    patientId,
    typeCode: 'PN',
    source: 'system',
    content: { bytes: new TextEncoder().encode(`Progress note. ${DOCUMENT_SECRET}.`), mediaType: 'text/plain' },
  });
  return d.id;
}

/** A new active hold on a new document of the record. */
export async function makeWalkHold(deps: AppDeps, patientId: string): Promise<string> {
  const documentId = await makeWalkDocument(deps, patientId);
  return (await service(deps).placeHold(system, { patientId, documentId, matter: 'WALK-1', reason: 'walk hold' })).id;
}

export async function buildRestrictedDocuments(deps: AppDeps, ids: { patientId: string }): Promise<DocumentWalkIds> {
  const documentId = await makeWalkDocument(deps, ids.patientId);
  const holdId = await makeWalkHold(deps, ids.patientId);
  return { documentId, holdId };
}

export const MULTIPART_BOUNDARY = 'walk-boundary-1';

/** A multipart/form-data body with one text file and these fields. */
export function multipartBody(fields: Record<string, string>, file = `Progress note. ${DOCUMENT_SECRET}.`): Buffer {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(`--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  parts.push(
    `--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="note.txt"\r\nContent-Type: text/plain\r\n\r\n${file}\r\n`,
  );
  parts.push(`--${MULTIPART_BOUNDARY}--\r\n`);
  return Buffer.from(parts.join(''));
}
