/**
 * Client for computer-assisted coding (src/modules/cac): suggestions with evidence for an encounter, and the coder's
 * accept/reject decisions. Ids in paths, codes and reasons in bodies.
 */
import { queryString, request } from './api.js';
import type { DecisionResult, EvidenceLink, SuggestionView, SuggestionsResult } from '../../src/modules/cac/index.js';

export type { DecisionResult, EvidenceLink, SuggestionView, SuggestionsResult };

const base = (encounterId: string) => `/api/coding/encounters/${encodeURIComponent(encounterId)}/cac`;

export const cacApi = {
  suggestions(encounterId: string, o: { system?: 'cm' | 'pcs' | 'both'; limit?: number } = {}, signal?: AbortSignal) {
    return request<SuggestionsResult>('GET', `${base(encounterId)}/suggestions${queryString({ ...o })}`, signal ? { signal } : {});
  },
  accept(encounterId: string, s: { code: string; system: 'cm' | 'pcs'; as?: 'principal' | 'secondary'; expectedVersion: number }) {
    return request<DecisionResult>('POST', `${base(encounterId)}/decisions`, { body: { decision: 'accepted', ...s } });
  },
  reject(encounterId: string, s: { code: string; system: 'cm' | 'pcs'; reason: string }) {
    return request<DecisionResult>('POST', `${base(encounterId)}/decisions`, { body: { decision: 'rejected', ...s } });
  },
};

/** A document version's text split around the evidence spans, for highlighting (spans sorted, overlaps merged). */
export function highlightSpans(text: string, spans: readonly { start: number; end: number }[]): { text: string; mark: boolean }[] {
  const sorted = spans
    .map((s) => ({ start: Math.max(0, Math.min(s.start, text.length)), end: Math.max(0, Math.min(s.end, text.length)) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const s of sorted) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  const out: { text: string; mark: boolean }[] = [];
  let at = 0;
  for (const m of merged) {
    if (m.start > at) out.push({ text: text.slice(at, m.start), mark: false });
    out.push({ text: text.slice(m.start, m.end), mark: true });
    at = m.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: false });
  return out;
}
