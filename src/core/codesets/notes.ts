/**
 * Instructional notes for a code, gathered from the code itself and the levels above it (category, section,
 * chapter), from the newest tabular release loaded for it. When that is not the release in force, every note
 * says so: an FY2017 note is never presented as current (the FY2026 tabular XML was not obtainable).
 */
import type { CmRelease, CodeNotes, CodeSets, NoteKind, SevenChrChoice, SourceRelease, TabularNotesData } from './types.js';

export interface NoteBlock {
  kind: NoteKind;
  /** Where in the tabular the note is printed: a code ("I50"), "section I30-I5A" or "chapter 9". */
  at: string;
  texts: string[];
  source: SourceRelease;
  /** True only when the note comes from the tabular of the release in force. */
  current: boolean;
}

/** The tabular to take notes from for a category: the newest one not newer than the release that covers it. */
export function notesSourceFor(sets: CodeSets, release: CmRelease, category: string): TabularNotesData | undefined {
  const covering = sets.notes.filter((n) => n.categories.includes(category));
  return covering.find((n) => n.source.fiscalYear <= release.fiscalYear) ?? covering[covering.length - 1];
}

/** Caveat to show beside notes that are not from the release in force. */
export function notesCaveat(source: SourceRelease, release: CmRelease): string | undefined {
  if (source.fiscalYear === release.fiscalYear) return undefined;
  return `Instructional notes are from ${source.label}, not from ${release.label}: the ${release.label} tabular was not loaded. Verify against the current code book.`;
}

function levels(code: string, data: TabularNotesData): { at: string; notes: CodeNotes | undefined }[] {
  const out: { at: string; notes: CodeNotes | undefined }[] = [];
  for (let n = code.length; n >= 3; n--) {
    const c = code.slice(0, n);
    out.push({ at: c.length > 3 ? `${c.slice(0, 3)}.${c.slice(3)}` : c, notes: data.byCode[c] });
  }
  const section = data.sectionOf[code.slice(0, 3)];
  if (section !== undefined) {
    out.push({ at: `section ${section}`, notes: data.byCode[`section:${section}`] });
    const chapter = data.chapterOf[section];
    if (chapter !== undefined) out.push({ at: `chapter ${chapter}`, notes: data.byCode[`chapter:${chapter}`] });
  }
  return out;
}

/** Notes that apply to `code` (its own first, then inherited), each labelled with its source release. */
export function notesFor(sets: CodeSets, release: CmRelease, code: string, opts: { includeSectionAndChapter?: boolean } = {}): NoteBlock[] {
  const data = notesSourceFor(sets, release, code.slice(0, 3));
  if (!data) return [];
  const current = data.source.fiscalYear === release.fiscalYear;
  const out: NoteBlock[] = [];
  for (const { at, notes } of levels(code, data)) {
    if (!notes || (!opts.includeSectionAndChapter && / /.test(at))) continue;
    for (const [kind, texts] of Object.entries(notes)) {
      if (kind === 'sevenChrDef' || !Array.isArray(texts)) continue;
      out.push({ kind: kind as NoteKind, at, texts: texts as string[], source: data.source, current });
    }
  }
  return out;
}

/** The tabular's 7th-character definition that applies to `code` (nearest level), with its source. */
export function sevenChrDefFor(
  sets: CodeSets,
  release: CmRelease,
  code: string,
): { at: string; choices: SevenChrChoice[]; source: SourceRelease } | undefined {
  const data = notesSourceFor(sets, release, code.slice(0, 3));
  if (!data) return undefined;
  for (const { at, notes } of levels(code, data)) if (notes?.sevenChrDef) return { at, choices: notes.sevenChrDef, source: data.source };
  return undefined;
}

/** A code reference in a note: "(I13.-)" -> prefix I13; "(O00-O07)" -> range O00..O07; "(P29.0)" -> P290. */
export interface CodeRef {
  from: string;
  to?: string;
}

const REF = /\b([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)(?:\.?-(?![A-Z0-9])|\s*-\s*([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?))?/g;

/** Code references printed in a note's text. */
export function parseCodeRefs(text: string): CodeRef[] {
  const out: CodeRef[] = [];
  for (const m of text.matchAll(REF)) {
    const from = (m[1] ?? '').replace('.', '');
    const to = m[2]?.replace('.', '');
    out.push(to ? { from, to } : { from });
  }
  return out;
}

/** Whether `code` falls under a reference (prefix, or inclusive range compared at the range's own length). */
export function refMatches(ref: CodeRef, code: string): boolean {
  if (ref.to === undefined) return code.startsWith(ref.from);
  return code.slice(0, ref.from.length) >= ref.from && code.slice(0, ref.to.length) <= ref.to;
}
