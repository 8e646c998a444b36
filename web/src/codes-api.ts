/**
 * Encoder client: ICD-10-CM / ICD-10-PCS look-up (src/modules/codes/codes.routes.ts). The answer shapes are the
 * server's own types (src/core/codesets), imported as types only, so the two cannot drift apart.
 * Code-set content is public reference data (no PHI): search words may travel in the query string of these calls.
 */
import { queryString, request } from './api.js';

const enc = encodeURIComponent;
export type {
  CodeSystem,
  IndexKind,
  NoteKind,
  SearchHit,
  SearchResponse,
  CodeRefInfo as CodeRef,
  SevenChrChoice,
  NoteBlock,
  PcsValueMeaning,
  PcsAxisDetail,
  CodeDetails,
  PcsBuilderStep,
  IndexTermView,
  IndexBrowseResult,
  Finding,
  ValidationReport,
  OutpatientSystem,
  OutpatientHit,
  OutpatientSearchResponse,
  OutpatientCodeDetails,
} from '../../src/core/codesets/index.js';
import type {
  OutpatientSystem,
  OutpatientSearchResponse,
  OutpatientCodeDetails,
  CodeSystem,
  IndexKind,
  SearchResponse,
  CodeDetails,
  PcsBuilderStep,
  IndexBrowseResult,
  ValidationReport,
} from '../../src/core/codesets/index.js';

/** A loaded code-set release and the discharge dates it covers. */
export interface LoadedReleaseView {
  label: string;
  effectiveFrom: string;
  effectiveTo: string;
}

export const codesApi = {
  releases(signal?: AbortSignal): Promise<{
    cm: LoadedReleaseView[];
    pcs: LoadedReleaseView[];
    hcpcs: LoadedReleaseView[];
    cpt: { loaded: boolean; label?: string; codes?: number; notice?: string };
    defaultDate: string;
    defaultDateNotice?: string;
  }> {
    return request('GET', '/api/codes/releases', signal ? { signal } : {});
  },
  search(q: string, o: { system: CodeSystem; date: string; limit?: number }, signal?: AbortSignal): Promise<SearchResponse> {
    return request(
      'GET',
      `/api/codes/search${queryString({ q, system: o.system, date: o.date, limit: o.limit ?? 25 })}`,
      signal ? { signal } : {},
    );
  },
  details(system: CodeSystem, code: string, date: string, signal?: AbortSignal): Promise<CodeDetails> {
    return request('GET', `/api/codes/${system}/${enc(code)}${queryString({ date })}`, signal ? { signal } : {});
  },
  /** HCPCS Level II (CMS file) or CPT (licensed import; without it, format and range only). */
  outpatientSearch(
    q: string,
    o: { system: OutpatientSystem; date: string; limit?: number },
    signal?: AbortSignal,
  ): Promise<OutpatientSearchResponse> {
    return request(
      'GET',
      `/api/codes/search${queryString({ q, system: o.system, date: o.date, limit: o.limit ?? 25 })}`,
      signal ? { signal } : {},
    );
  },
  outpatientDetails(system: OutpatientSystem, code: string, date: string, signal?: AbortSignal): Promise<OutpatientCodeDetails> {
    return request('GET', `/api/codes/${system}/${enc(code)}${queryString({ date })}`, signal ? { signal } : {});
  },
  modifiers(
    date: string,
    signal?: AbortSignal,
  ): Promise<{ date: string; modifiers: { code: string; title: string; shortTitle: string }[] }> {
    return request('GET', `/api/codes/modifiers${queryString({ date })}`, signal ? { signal } : {});
  },
  validate(body: { date: string; diagnoses: string[]; procedures: string[] }, signal?: AbortSignal): Promise<ValidationReport> {
    return request('POST', '/api/codes/validate', { body, ...(signal ? { signal } : {}) });
  },
  pcsBuilder(prefix: string, date: string, signal?: AbortSignal): Promise<PcsBuilderStep> {
    return request('GET', `/api/codes/pcs/builder${queryString({ prefix, date })}`, signal ? { signal } : {});
  },
  index(
    o: { kind: IndexKind; path: string[]; startsWith?: string; date: string; limit?: number },
    signal?: AbortSignal,
  ): Promise<IndexBrowseResult> {
    return request(
      'GET',
      `/api/codes/index${queryString({ kind: o.kind, path: o.path.join('>'), startsWith: o.startsWith, date: o.date, limit: o.limit ?? 500 })}`,
      signal ? { signal } : {},
    );
  },
};
