/**
 * Browsing the Alphabetic Index, External Cause Index, Drug and Neoplasm tables like the printed book: the
 * index chosen for the release in force on a date, a term by its path, its subterms, and its cross-references.
 */
import { cmReleaseFor, formatCode } from './codesets.js';
import { findTerm, resolveSee, termChildren, termPath } from './index-nav.js';
import type { CodeSets, IndexKind, IndexTerm } from './types.js';

export interface IndexTermView {
  id: number;
  title: string;
  nemod?: string;
  /** Codes as printed (with dot; a trailing "-" means more characters are needed). Tables: one per column, null for "--". */
  codes: (string | null)[];
  see?: string;
  seeAlso?: string;
  /** Path of the term "see" points at, when it resolves. */
  seeTarget?: string[];
  hasSubterms: boolean;
}

export interface IndexBrowseResult {
  kind: IndexKind;
  /** Release the index content came from (may be older than the code set in force: see `current`). */
  source: string;
  current: boolean;
  /** Table column headings (drug, neoplasm tables). */
  columns: string[];
  path: string[];
  /** The term at `path` (absent at the top level). */
  term?: IndexTermView;
  /** Subterms of the term, or main terms (filtered by `startsWith`) at the top level. */
  children: IndexTermView[];
}

const display = (c: string | null): string | null =>
  c === null ? null : formatCode('cm', c.replace(/-$/, '')) + (c.endsWith('-') ? '-' : '');

/** One page of the index: `path` [] lists main terms (optionally those starting with `startsWith`, at most `limit`). */
export function browseIndex(
  sets: CodeSets,
  opts: { date: string; kind?: IndexKind; path?: string[]; startsWith?: string; limit?: number },
): IndexBrowseResult | undefined {
  const { release } = cmReleaseFor(sets, opts.date);
  const index = release.indexes.find((ix) => ix.kind === (opts.kind ?? 'index'));
  if (!index) return undefined;
  const view = (id: number): IndexTermView => {
    const t = index.terms[id] as IndexTerm;
    const v: IndexTermView = { id, title: t.title, codes: t.codes.map(display), hasSubterms: termChildren(index, id).length > 0 };
    if (t.nemod) v.nemod = t.nemod;
    if (t.see) {
      v.see = t.see;
      const target = resolveSee(index, t.see);
      if (target !== undefined) v.seeTarget = termPath(index, target);
    }
    if (t.seeAlso) v.seeAlso = t.seeAlso;
    return v;
  };
  const path = opts.path ?? [];
  const result: IndexBrowseResult = {
    kind: index.kind,
    source: index.source.label,
    current: index.source.fiscalYear === release.fiscalYear,
    columns: index.columns,
    path,
    children: [],
  };
  const limit = opts.limit ?? 200;
  if (path.length === 0) {
    const prefix = (opts.startsWith ?? '').toLowerCase();
    result.children = termChildren(index, -1)
      .filter((id) => (index.terms[id]?.title ?? '').toLowerCase().startsWith(prefix))
      .slice(0, limit)
      .map(view);
    return result;
  }
  const id = findTerm(index, path);
  if (id === undefined) return undefined;
  result.term = view(id);
  result.children = termChildren(index, id).slice(0, limit).map(view);
  return result;
}
