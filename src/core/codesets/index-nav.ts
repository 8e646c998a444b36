/**
 * Navigating an index like the printed book: a term's path (main term -> subterms), its children, and
 * cross-references ("see", "see also") resolved to the term they point at.
 */
import { words } from './text.js';
import type { IndexData, IndexTerm } from './types.js';

interface Nav {
  mainByKey: Map<string, number[]>;
  children: number[][];
}
const navCache = new WeakMap<IndexData, Nav>();

const key = (s: string): string => words(s).join(' ');
/** "Infarct, infarction" is also found as "Infarct"; "myocardium, myocardial" as "myocardium". */
const headKey = (s: string): string => key(s.split(',')[0] ?? '');

function nav(index: IndexData): Nav {
  let n = navCache.get(index);
  if (!n) {
    const mainByKey = new Map<string, number[]>();
    const children: number[][] = index.terms.map(() => []);
    const add = (k: string, i: number): void => {
      const l = mainByKey.get(k);
      if (!l) mainByKey.set(k, [i]);
      else if (!l.includes(i)) l.push(i);
    };
    index.terms.forEach((t, i) => {
      if (t.parent < 0) {
        add(key(t.title), i);
        add(headKey(t.title), i);
      } else children[t.parent]?.push(i);
    });
    n = { mainByKey, children };
    navCache.set(index, n);
  }
  return n;
}

/** Titles from the main term down to `termId`. */
export function termPath(index: IndexData, termId: number): string[] {
  const out: string[] = [];
  for (let t: IndexTerm | undefined = index.terms[termId]; t; t = t.parent >= 0 ? index.terms[t.parent] : undefined) out.unshift(t.title);
  return out;
}

/** Immediate subterms of a term (-1 = all main terms). */
export function termChildren(index: IndexData, termId: number): number[] {
  if (termId < 0) return index.terms.flatMap((t, i) => (t.parent < 0 ? [i] : []));
  return nav(index).children[termId] ?? [];
}

/**
 * Finds a term by its path: main term title then subterm titles (case and punctuation ignored). Exact titles win;
 * otherwise a title's first comma part also matches, as cross-references are printed ("Fracture, femur" leads to
 * the main term "Fracture, traumatic" and its subterm "femur, femoral").
 */
export function findTerm(index: IndexData, path: string[]): number | undefined {
  const n = nav(index);
  const first = key(path[0] ?? '');
  // Titles equal to the reference first, then titles whose first comma part equals it.
  const mains = [...(n.mainByKey.get(first) ?? [])].sort(
    (a, b) => Number(key(index.terms[b]?.title ?? '') === first) - Number(key(index.terms[a]?.title ?? '') === first) || a - b,
  );
  for (const main of mains) {
    let id: number | undefined = main;
    for (const sub of path.slice(1)) {
      const kids: number[] = n.children[id] ?? [];
      const k = key(sub);
      id = kids.find((c) => key(index.terms[c]?.title ?? '') === k) ?? kids.find((c) => headKey(index.terms[c]?.title ?? '') === k);
      if (id === undefined) break;
    }
    if (id !== undefined) return id;
  }
  return undefined;
}

/**
 * Resolves a cross-reference such as "Pain, abdominal" or "Disease, heart": the main term may itself contain
 * commas ("Abdomen, abdominal"), so every split point is tried, longest main term first.
 */
export function resolveSee(index: IndexData, reference: string): number | undefined {
  const parts = reference
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (let k = parts.length; k >= 1; k--) {
    const id = findTerm(index, [parts.slice(0, k).join(', '), ...parts.slice(k)]);
    if (id !== undefined) return id;
  }
  return undefined;
}

const viaCache = new WeakMap<IndexData, Map<number, { codes: string[]; path: string[] }>>();

/** The codes of a term, following its own "see" chain (bounded to avoid loops); memoised per index. */
export function codesVia(index: IndexData, termId: number): { codes: string[]; path: string[] } {
  let cache = viaCache.get(index);
  if (!cache) viaCache.set(index, (cache = new Map<number, { codes: string[]; path: string[] }>()));
  let r = cache.get(termId);
  if (!r) cache.set(termId, (r = resolveCodes(index, termId, 0)));
  return r;
}

function resolveCodes(index: IndexData, termId: number, depth: number): { codes: string[]; path: string[] } {
  const t = index.terms[termId];
  if (!t || depth > 3) return { codes: [], path: [] };
  const codes = t.codes.filter((c): c is string => c !== null);
  if (codes.length > 0) return { codes, path: termPath(index, termId) };
  // "see", else (a term with no code of its own, e.g. "Coagulopathy") its "see also".
  for (const [word, ref] of [
    ['see', t.see],
    ['see also', t.seeAlso],
  ] as const) {
    if (ref === undefined) continue;
    const target = resolveSee(index, ref);
    if (target !== undefined) {
      const r = resolveCodes(index, target, depth + 1);
      if (r.codes.length > 0 || word === 'see') return { codes: r.codes, path: [...termPath(index, termId), `${word} ${ref}`, ...r.path] };
    }
  }
  return { codes: [], path: termPath(index, termId) };
}
