/**
 * Client for the legal health record (src/modules/documents), on the shared `request` of api.ts (CSRF, problem+json
 * errors). Paths carry ids only; search words travel in the POST body. Uploads use XMLHttpRequest so each file's
 * progress can be shown. Every read here is an audited read on the server (record-access step).
 */
import { ApiError, currentCsrfToken, problemOf, queryString, reportSessionLost, request, type Problem } from './api.js';
import type {
  DocumentSummary,
  DocumentTypeView,
  DocumentView,
  PageView,
  SearchHit,
  SignatureView,
  VersionView,
} from '../../src/modules/documents/index.js';

/** The server's own answer types (src/modules/documents), imported as types only. */
export type { DocumentSummary, DocumentTypeView, DocumentView, PageView, SearchHit, SignatureView, VersionView };

/** What the search form sends (words in the body only). */
export interface DocumentSearch {
  words: string;
  patientId?: string | null;
  typeCode?: string | null;
  encounterId?: string | null;
  authorName?: string | null;
  status?: string | null;
  /** ISO-8601 with offset. */
  from?: string | null;
  to?: string | null;
  limit?: number;
}

/** The fields filed with each uploaded file. */
export interface UploadFields {
  typeCode: string;
  encounterId?: string | null;
  title?: string | null;
  /** ISO-8601 with offset. */
  serviceAt?: string | null;
  authorName?: string | null;
}

/** One file's result in the answer of an upload (201 all filed, 207 some, 400 none). */
export type UploadResult =
  { ok: true; fileName: string; document: DocumentSummary } | { ok: false; fileName: string; error: string; code: string };

export interface UploadAnswer {
  filed: number;
  failed: number;
  results: UploadResult[];
}

const enc = encodeURIComponent;

export const documentsApi = {
  types(): Promise<{ items: DocumentTypeView[] }> {
    return request('GET', '/api/document-types');
  },
  forPatient(patientId: string, f: { encounterId?: string; typeCode?: string; status?: string } = {}, signal?: AbortSignal) {
    return request<{ items: DocumentSummary[] }>(
      'GET',
      `/api/patients/${enc(patientId)}/documents${queryString({ ...f })}`,
      signal ? { signal } : {},
    );
  },
  document(id: string, signal?: AbortSignal): Promise<DocumentView> {
    return request('GET', `/api/documents/${enc(id)}`, signal ? { signal } : {});
  },
  pages(id: string, version: number, signal?: AbortSignal): Promise<{ items: PageView[] }> {
    return request('GET', `/api/documents/${enc(id)}/versions/${version}/pages`, signal ? { signal } : {});
  },
  /** The URL of a version's bytes: inline for viewing, or as an attachment to save. */
  contentUrl(id: string, version: number, download = false): string {
    return `/api/documents/${enc(id)}/versions/${version}/content${download ? '?download=1' : ''}`;
  },
  /** The URL of one page of a version as PNG (TIFF pages, which browsers cannot show). */
  pageImageUrl(id: string, version: number, page: number, thumb = false): string {
    return `/api/documents/${enc(id)}/versions/${version}/pages/${page}/image${thumb ? '?size=thumb' : ''}`;
  },
  /** A version's bytes (for pdf.js and text), with the problem as ApiError when refused. */
  async content(id: string, version: number, signal?: AbortSignal): Promise<ArrayBuffer> {
    const res = await fetch(this.contentUrl(id, version), { credentials: 'same-origin', ...(signal ? { signal } : {}) });
    if (!res.ok) {
      const err = await problemOf(res);
      if (res.status === 401) reportSessionLost(err);
      throw err;
    }
    return res.arrayBuffer();
  },
  search(q: DocumentSearch, signal?: AbortSignal): Promise<{ hits: SearchHit[]; terms: string[] }> {
    return request('POST', '/api/documents/search', { body: q, ...(signal ? { signal } : {}) });
  },
  sign(id: string, role: 'author' | 'cosigner', attestation: string): Promise<DocumentView> {
    return request('POST', `/api/documents/${enc(id)}/sign`, { body: { role, attestation } });
  },
  setStatus(id: string, status: 'final' | 'entered_in_error', reason: string): Promise<DocumentView> {
    return request('POST', `/api/documents/${enc(id)}/status`, { body: { status, reason } });
  },
  /**
   * Files the files on a patient's record in one multipart request; `onProgress(loaded, total)` reports the bytes
   * sent. Resolves with the per-file results (also for 207 and 400, which carry them); rejects with ApiError for
   * a refusal of the whole request (access, no file, too large).
   */
  upload(
    patientId: string,
    files: readonly File[],
    fields: UploadFields,
    onProgress?: (loaded: number, total: number) => void,
  ): { promise: Promise<UploadAnswer>; abort(): void } {
    const form = new FormData();
    // Fields first: the server reads the multipart stream in order.
    for (const [k, v] of Object.entries(fields) as [string, string | null | undefined][]) if (v) form.append(k, v);
    for (const f of files) form.append('file', f, f.name);
    const xhr = new XMLHttpRequest();
    const promise = new Promise<UploadAnswer>((resolve, reject) => {
      xhr.open('POST', `/api/patients/${enc(patientId)}/documents`);
      xhr.withCredentials = true;
      xhr.setRequestHeader('accept', 'application/json');
      const token = currentCsrfToken();
      if (token) xhr.setRequestHeader('x-csrf-token', token);
      xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : 0);
      xhr.onerror = () =>
        reject(
          new ApiError({ status: 0, code: 'network', detail: 'The server cannot be reached. Check the network connection and try again.' }),
        );
      xhr.onabort = () => reject(new DOMException('upload aborted', 'AbortError'));
      xhr.onload = () => {
        let body: unknown;
        try {
          body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
        } catch {
          body = null;
        }
        const answer = uploadAnswerOf(body);
        if ((xhr.status === 201 || xhr.status === 207 || xhr.status === 400) && answer) {
          resolve(answer);
          return;
        }
        const p = (body && typeof body === 'object' ? body : {}) as Partial<Problem>;
        const err = new ApiError({
          ...p,
          status: xhr.status,
          detail:
            p.detail ??
            (xhr.status >= 500 ? 'The server could not file the documents. Try again.' : `The upload failed (HTTP ${xhr.status}).`),
        });
        if (xhr.status === 401) reportSessionLost(err);
        reject(err);
      };
      xhr.send(form);
    });
    return { promise, abort: () => xhr.abort() };
  },
};

/** The per-file answer of an upload, or null when the body is something else (a problem). */
export function uploadAnswerOf(body: unknown): UploadAnswer | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Partial<UploadAnswer>;
  if (!Array.isArray(b.results)) return null;
  return { filed: b.filed ?? 0, failed: b.failed ?? 0, results: b.results };
}
