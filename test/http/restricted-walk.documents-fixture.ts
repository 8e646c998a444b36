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

/** An 8 x 8 white greyscale TIFF (one page, uncompressed), built by hand: the smallest scanned page. */
export function tinyTiff(): Uint8Array {
  const entries: [tag: number, type: number, value: number][] = [
    [256, 3, 8], // ImageWidth
    [257, 3, 8], // ImageLength
    [258, 3, 8], // BitsPerSample
    [259, 3, 1], // Compression: none
    [262, 3, 1], // PhotometricInterpretation: black is zero
    [273, 4, 8 + 2 + 8 * 12 + 4], // StripOffsets: the pixels follow the directory
    [278, 3, 8], // RowsPerStrip
    [279, 4, 64], // StripByteCounts
  ];
  const buf = new Uint8Array(8 + 2 + entries.length * 12 + 4 + 64);
  const v = new DataView(buf.buffer);
  buf.set([0x49, 0x49], 0);
  v.setUint16(2, 42, true);
  v.setUint32(4, 8, true);
  v.setUint16(8, entries.length, true);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    v.setUint16(at, tag, true);
    v.setUint16(at + 2, type, true);
    v.setUint32(at + 4, 1, true);
    if (type === 3) v.setUint16(at + 8, value, true);
    else v.setUint32(at + 8, value, true);
  });
  buf.fill(0xff, 8 + 2 + entries.length * 12 + 4);
  return buf;
}

/** A new scanned (TIFF) document of the record, for the page-image route. */
export async function makeWalkTiffDocument(deps: AppDeps, patientId: string): Promise<string> {
  const d = await service(deps).fileDocument(system, {
    patientId,
    typeCode: 'OUTSIDE',
    source: 'scan',
    content: { bytes: tinyTiff(), mediaType: 'image/tiff' },
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
