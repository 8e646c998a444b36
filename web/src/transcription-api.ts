/**
 * Client for dictation and transcription (src/modules/transcription), on the shared `request` of api.ts (CSRF,
 * problem+json errors). Paths carry ids only; text, attestations and passwords travel in bodies; audio is fetched as
 * a blob (so the player can seek in it) and uploaded as multipart.
 */
import { ApiError, csrfHeader, problemOf, queryString, request } from './api.js';
import type { DictationDetail, DictationView, Misspelling, TranscriptionReport, WorkType } from '../../src/modules/transcription/index.js';

export type { DictationDetail, DictationView, Misspelling, TranscriptionReport, WorkType };

const enc = encodeURIComponent;

export interface DictationFields {
  patientId: string;
  encounterId?: string;
  workType: string;
  priority: 'routine' | 'stat';
}

export const transcriptionApi = {
  workTypes: () => request<{ items: WorkType[] }>('GET', '/api/transcription/work-types'),
  queue: (q: { status?: string; workType?: string; priority?: string } = {}) =>
    request<{ items: DictationView[] }>('GET', `/api/dictations${queryString(q)}`),
  get: (id: string) => request<DictationDetail>('GET', `/api/dictations/${enc(id)}`),
  claim: (id: string) => request<DictationDetail>('POST', `/api/dictations/${enc(id)}/claim`, { body: {} }),
  save: (id: string, text: string, baseVersion: number) =>
    request<DictationDetail>('PUT', `/api/dictations/${enc(id)}/text`, { body: { text, baseVersion } }),
  send: (id: string, text: string, baseVersion: number) =>
    request<DictationDetail>('POST', `/api/dictations/${enc(id)}/send`, { body: { text, baseVersion } }),
  sign: (id: string, body: { attestation: string; password: string; text: string; baseVersion: number }) =>
    request<DictationDetail>('POST', `/api/dictations/${enc(id)}/sign`, { body }),
  spelling: (text: string) =>
    request<{ vocabularySize: number; misspellings: Misspelling[] }>('POST', '/api/transcription/spelling', { body: { text } }),
  report: (q: { from?: string; to?: string } = {}) => request<TranscriptionReport>('GET', `/api/reports/transcription${queryString(q)}`),
  /** The dictation's audio as an object URL (revoke it when done). */
  async audioUrl(id: string): Promise<string> {
    const res = await fetch(`/api/dictations/${enc(id)}/audio`, { credentials: 'same-origin' });
    if (!res.ok) throw await problemOf(res);
    return URL.createObjectURL(await res.blob());
  },
  /** Uploads a dictation: the fields, then the audio (a file, or a recording). */
  async upload(fields: DictationFields, audio: Blob, fileName: string): Promise<DictationView> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields) as [string, string | undefined][]) if (v) form.append(k, v);
    form.append('audio', audio, fileName);
    let res: Response;
    try {
      res = await fetch('/api/dictations', {
        method: 'POST',
        body: form,
        credentials: 'same-origin',
        headers: { accept: 'application/json', ...csrfHeader() },
      });
    } catch {
      throw new ApiError({
        status: 0,
        code: 'network',
        detail: 'The server cannot be reached. Check the network connection and try again.',
      });
    }
    if (!res.ok) throw await problemOf(res);
    return (await res.json()) as DictationView;
  },
};
