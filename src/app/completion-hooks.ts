/**
 * Completion analysis after document events, wired at the composition root: the documents service handed to the
 * rest of the application is this decorator, which re-analyses the encounters a document touches after each filing,
 * new version, status change, signature or move commits. The documents module knows nothing of completion (no
 * import, no listener list), and completion only reads documents through its own queries. An analysis that fails is
 * logged by ids and does not undo the document operation (the next sweep or change analyses the chart again).
 */
import type { CompletionDeps } from '../modules/completion/index.js';
import { reanalyseForDocument } from '../modules/completion/index.js';
import type { DocumentsService } from '../modules/documents/index.js';

export function withCompletionAnalysis(
  documents: DocumentsService,
  completion: CompletionDeps,
  onError: (e: unknown, documentId: string) => void,
): DocumentsService {
  const after = async <T extends { id: string }>(op: Promise<T>): Promise<T> => {
    const v = await op;
    try {
      await reanalyseForDocument(completion, v.id);
    } catch (e) {
      onError(e, v.id);
    }
    return v;
  };
  return {
    ...documents,
    fileDocument: (actor, input) => after(documents.fileDocument(actor, input)),
    addVersion: (actor, id, input) => after(documents.addVersion(actor, id, input)),
    setStatus: (actor, id, status, reason) => after(documents.setStatus(actor, id, status, reason)),
    sign: (actor, id, input) => after(documents.sign(actor, id, input)),
    moveDocument: (actor, id, input) => after(documents.moveDocument(actor, id, input)),
  };
}
