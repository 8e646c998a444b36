/**
 * The search a document was opened from, kept in memory only (search words are PHI: never in the URL, history or
 * storage), so the viewer can mark the hits. Taken once by the viewer of that document.
 */
let pending: { documentId: string; terms: string[] } | null = null;

/** Remembers the terms of the search a hit of `documentId` is being opened from. */
export function rememberHitTerms(documentId: string, terms: readonly string[]): void {
  pending = { documentId, terms: [...terms] };
}

/** The terms remembered for `documentId` (empty when it was opened otherwise). */
export function hitTermsFor(documentId: string): string[] {
  return pending?.documentId === documentId ? pending.terms : [];
}
