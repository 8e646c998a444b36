/**
 * Client for intake scanning (src/modules/scanning): the QA queue, filing pages by hand, discarding them, and cover
 * sheets. Patient ids travel in POST bodies; paths carry page ids only.
 */
import { problemOf, request, csrfHeader } from './api.js';
import type { QaPageView, BatchView } from '../../src/modules/scanning/index.js';
import type { DocumentTypeView, DocumentView } from '../../src/modules/documents/index.js';

export type { QaPageView, BatchView, DocumentTypeView, DocumentView };

const enc = encodeURIComponent;

export const scanningApi = {
  qaPages(): Promise<{ items: QaPageView[] }> {
    return request('GET', '/api/scanning/qa');
  },
  batches(): Promise<{ items: BatchView[] }> {
    return request('GET', '/api/scanning/batches');
  },
  thumbnailUrl(pageId: string): string {
    return `/api/scanning/qa/${enc(pageId)}/thumbnail`;
  },
  documentTypes(): Promise<{ items: DocumentTypeView[] }> {
    return request('GET', '/api/document-types');
  },
  indexPages(input: { pageIds: string[]; patientId: string; encounterId?: string | null; typeCode: string }): Promise<DocumentView> {
    return request('POST', '/api/scanning/qa/index', { body: input });
  },
  discardPages(pageIds: string[], reason: string): Promise<{ discarded: number }> {
    return request('POST', '/api/scanning/qa/discard', { body: { pageIds, reason } });
  },
  /** The cover sheet PDF, as a blob to open for printing. */
  async coverSheet(input: { patientId: string; encounterId?: string | null; typeCode: string }): Promise<Blob> {
    const res = await fetch('/api/scanning/cover-sheets', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/pdf', ...csrfHeader() },
      body: JSON.stringify(input),
    });
    if (!res.ok) throw await problemOf(res);
    return res.blob();
  },
};
