/**
 * Completion analysis after document events, wired at the composition root: the documents service handed to the
 * rest of the application is this decorator, which re-analyses the encounters a document touches after each filing,
 * new version, status change, signature or move commits. The documents module knows nothing of completion (no
 * import, no listener list), and completion only reads documents through its own queries. An analysis that fails is
 * logged by ids and does not undo the document operation (the next sweep or change analyses the chart again).
 */
import type { CompletionDeps } from '../modules/completion/index.js';
import { reanalyseForAppointment, reanalyseForDocument } from '../modules/completion/index.js';
import type { DocumentsService } from '../modules/documents/index.js';
import type { AppointmentView } from '../modules/scheduling/index.js';

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

/**
 * Re-analysis after a procedure appointment changes status (scheduling's `afterStatusChange` port): the discharged
 * encounters of the patient whose stay overlaps the appointment (a scheduled surgery needs its operative report, 42 CFR
 * 482.51(b)(6)). Scheduling knows nothing of completion; a failure is logged by id and the status change stands.
 * Appointments changed by inbound HL7 SIU (in the message's transaction) are not seen here: the next document event or
 * an analyst's "analyse now" picks them up, and charts not yet analysed are analysed at discharge anyway.
 */
export function completionAfterAppointment(
  completion: CompletionDeps,
  onError: (e: unknown, appointmentId: string) => void,
): (a: AppointmentView) => Promise<void> {
  return async (a) => {
    try {
      await reanalyseForAppointment(completion, { patientId: a.patientId, start: a.start, end: a.end });
    } catch (e) {
      onError(e, a.id);
    }
  };
}
