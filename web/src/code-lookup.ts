/**
 * Pure display logic of the Code lookup panel (encoder): list navigation, code formatting, notes grouping,
 * encounter-check input parsing and findings presentation, and the "no code set for this date" recovery.
 * No DOM, no fetch: unit-tested in code-lookup.test.ts.
 */
import type { CodeSystem, Finding, IndexKind, NoteBlock, NoteKind, SearchHit } from './codes-api.js';

// ---------------------------------------------------------------------------------------------------------------
// Dates

/** Today as YYYY-MM-DD in the user's local time zone (the discharge date a coder means, not UTC). */
export function localToday(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export interface LoadedRelease {
  label: string;
  from: string;
  to: string;
}

/** The date inside the loaded releases closest to `date` (the last day of the newest release for a later date). */
export function nearestCoveredDate(date: string, releases: readonly LoadedRelease[]): string | null {
  let best: string | null = null;
  let bestGap = Infinity;
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) return null;
  for (const r of releases) {
    if (date >= r.from && date <= r.to) return date;
    for (const edge of [r.from, r.to]) {
      const gap = Math.abs(Date.parse(`${edge}T00:00:00Z`) - t);
      if (gap < bestGap) {
        bestGap = gap;
        best = edge;
      }
    }
  }
  return best;
}

/**
 * The date the lookup asks with: the date the coder entered; while it is still today's default and today is past the
 * newest loaded release, the server's default date (that release's last day), shown with the server's banner.
 */
export function lookupDate(
  date: string,
  o: { touched: boolean; today: string; defaultDate?: string | undefined; notice?: string | undefined },
): { date: string; banner: string | null } {
  if (o.touched || date !== o.today || !o.notice || !o.defaultDate) return { date, banner: null };
  return { date: o.defaultDate, banner: o.notice };
}

// ---------------------------------------------------------------------------------------------------------------
// Codes

/** A code as printed: ICD-10-CM with the dot after the third character, ICD-10-PCS as is. */
export function displayCode(system: CodeSystem, code: string): string {
  const c = code.replace(/\./g, '').toUpperCase();
  return system === 'cm' && c.length > 3 ? `${c.slice(0, 3)}.${c.slice(3)}` : c;
}

/** A code from the index or a note ("I13.-", "C79.8-") as a code to open: without the trailing dash and dot. */
export function openableCode(printed: string): string {
  return printed
    .replace(/\.?-+$/, '')
    .replace(/\./g, '')
    .toUpperCase();
}

const CM_IN_TEXT = /\b([A-TV-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)(\.?-)?/g;

export type TextPart = { text: string } | { code: string; text: string };

/** Splits note text so the ICD-10-CM codes it cites ("heart failure due to hypertension (I11.0)") can be links. */
export function linkCodes(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(CM_IN_TEXT)) {
    const at = m.index;
    if (at > last) parts.push({ text: text.slice(last, at) });
    parts.push({ code: openableCode(m[1]!), text: m[0] });
    last = at + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

// ---------------------------------------------------------------------------------------------------------------
// Keyboard list navigation (search results)

export interface ListNav {
  count: number;
  /** -1 = nothing highlighted. */
  active: number;
}

export type ListKey = 'ArrowDown' | 'ArrowUp' | 'Home' | 'End' | 'PageDown' | 'PageUp';

/** The highlighted row after a key: arrows stop at the ends (no wrap, like the code book), pages move 10. */
export function moveActive(nav: ListNav, key: ListKey): number {
  const { count, active } = nav;
  if (count <= 0) return -1;
  switch (key) {
    case 'ArrowDown':
      return active < 0 ? 0 : Math.min(active + 1, count - 1);
    case 'ArrowUp':
      return active <= 0 ? 0 : active - 1;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'PageDown':
      return Math.min(Math.max(active, 0) + 10, count - 1);
    case 'PageUp':
      return Math.max(active - 10, 0);
  }
}

export function isListKey(key: string): key is ListKey {
  return key === 'ArrowDown' || key === 'ArrowUp' || key === 'Home' || key === 'End' || key === 'PageDown' || key === 'PageUp';
}

// ---------------------------------------------------------------------------------------------------------------
// Search hits

const matchedByLabels: Record<SearchHit['matchedBy'], string> = {
  code: 'Code',
  title: 'Title',
  index: 'Alphabetic Index',
  eindex: 'External Cause Index',
  drug: 'Drug table',
  neoplasm: 'Neoplasm table',
};

/** "Alphabetic Index: Failure, failed › heart › diastolic"; null when the path only repeats the code or title. */
export function describeHitPath(hit: Pick<SearchHit, 'matchedBy' | 'path' | 'title' | 'display' | 'code'>): string | null {
  const path = hit.path.filter((p) => !/\(tabular\)$/.test(p));
  if (path.length === 0) return null;
  if ((hit.matchedBy === 'title' || hit.matchedBy === 'code') && path.length === 1) {
    const only = path[0]!;
    if (only === hit.title || openableCode(only) === hit.code || hit.code.startsWith(openableCode(only))) return null;
  }
  return `${matchedByLabels[hit.matchedBy]}: ${path.join(' › ')}`;
}

/** Screen-reader summary of a search answer. */
export function resultsAnnouncement(count: number, query: string, release: string): string {
  if (count === 0) return `No codes found for “${query}” in ${release}.`;
  return `${count} ${count === 1 ? 'code' : 'codes'} for “${query}” in ${release}. Use the up and down arrows to move, Enter to open.`;
}

// ---------------------------------------------------------------------------------------------------------------
// Instructional notes

export const noteKindLabels: Record<NoteKind, string> = {
  includes: 'Includes',
  inclusionTerm: 'Inclusion terms',
  excludes1: 'Excludes1 — never code together',
  excludes2: 'Excludes2 — not included here; both may be coded',
  codeFirst: 'Code first',
  useAdditionalCode: 'Use additional code',
  codeAlso: 'Code also',
  notes: 'Notes',
  sevenChrNote: '7th character note',
};

const noteOrder: NoteKind[] = [
  'includes',
  'inclusionTerm',
  'excludes1',
  'excludes2',
  'codeFirst',
  'useAdditionalCode',
  'codeAlso',
  'notes',
  'sevenChrNote',
];

export interface NoteGroup {
  kind: NoteKind;
  label: string;
  entries: { at: string; texts: string[]; source: string; current: boolean }[];
}

/** Notes grouped by kind in code-book order; within a kind the most specific level (the code) first. */
export function groupNotes(notes: readonly NoteBlock[]): NoteGroup[] {
  const groups: NoteGroup[] = [];
  for (const kind of noteOrder) {
    const blocks = notes.filter((n) => n.kind === kind);
    if (blocks.length === 0) continue;
    groups.push({
      kind,
      label: noteKindLabels[kind],
      entries: blocks.map((b) => ({ at: b.at, texts: b.texts, source: b.source.label, current: b.current })),
    });
  }
  return groups;
}

/** The distinct release labels the notes come from, and whether any of them is not the release in force. */
export function notesSources(notes: readonly NoteBlock[]): { labels: string[]; anyOld: boolean } {
  const labels = [...new Set(notes.map((n) => n.source.label))];
  return { labels, anyOld: notes.some((n) => !n.current) };
}

// ---------------------------------------------------------------------------------------------------------------
// Encounter check

export interface ParsedCodes {
  codes: string[];
  /** Pieces that do not look like codes (descriptions pasted along), shown so nothing is dropped silently. */
  ignored: string[];
}

/**
 * Codes from pasted text: one per line or separated by commas / semicolons; a description after the code on the
 * same line ("I50.9 Heart failure") is ignored. Dots are kept as typed (the server accepts both).
 */
export function parseCodeList(text: string): ParsedCodes {
  const codes: string[] = [];
  const ignored: string[] = [];
  for (const chunk of text.split(/[\n,;\t]+/)) {
    const trimmed = chunk.trim();
    if (!trimmed) continue;
    const [first = ''] = trimmed.split(/\s+/);
    const token = first.toUpperCase().replace(/^[([]|[)\]:.]+$/g, '');
    if (/^[A-Z0-9][A-Z0-9.]{1,7}$/.test(token) && /\d/.test(token) && token.replace(/\./g, '').length <= 7) codes.push(token);
    else ignored.push(trimmed);
  }
  return { codes, ignored };
}

const severityRank: Record<Finding['severity'], number> = { error: 0, warning: 1, reminder: 2 };
export const severityLabels: Record<Finding['severity'], string> = { error: 'Error', warning: 'Warning', reminder: 'Reminder' };

export interface FindingView {
  key: string;
  severity: Finding['severity'];
  system: CodeSystem;
  code: string;
  display: string;
  relatedCode?: string;
  relatedDisplay?: string;
  /** The message without the trailing "[note from …]" (the source is shown as its own label). */
  message: string;
  noteSource?: string;
  noteCurrent?: boolean;
}

export interface FindingsView {
  items: FindingView[];
  counts: Record<Finding['severity'], number>;
  /** Caveats about notes not from the release in force, once each. */
  caveats: string[];
}

/**
 * Findings as a worklist: duplicates (the same finding for a code listed twice) merged, errors first, then
 * warnings, then reminders; within a severity in the order of the codes as entered.
 */
export function presentFindings(findings: readonly Finding[], order: readonly string[] = []): FindingsView {
  const position = new Map<string, number>();
  order.forEach((c, i) => {
    const k = c.replace(/\./g, '').toUpperCase();
    if (!position.has(k)) position.set(k, i);
  });
  const seen = new Set<string>();
  const caveats: string[] = [];
  const items: FindingView[] = [];
  findings.forEach((f) => {
    const key = `${f.severity}|${f.rule}|${f.system}|${f.code}|${f.relatedCode ?? ''}|${f.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (f.note?.caveat && !f.note.current && !caveats.includes(f.note.caveat)) caveats.push(f.note.caveat);
    let message = compactSeventhCharacterMessage(f.rule, f.message);
    if (f.note) {
      const suffix = ` [note from ${f.note.source}]`;
      if (message.endsWith(suffix)) message = message.slice(0, -suffix.length);
    }
    items.push({
      key,
      severity: f.severity,
      system: f.system,
      code: f.code,
      display: displayCode(f.system, f.code),
      ...(f.relatedCode ? { relatedCode: f.relatedCode, relatedDisplay: displayCode(f.system, f.relatedCode) } : {}),
      message,
      ...(f.note ? { noteSource: f.note.source, noteCurrent: f.note.current } : {}),
    });
  });
  const pos = (v: FindingView) => position.get(v.code) ?? Number.MAX_SAFE_INTEGER;
  const indexed = items.map((v, i) => ({ v, i }));
  indexed.sort(
    (a, b) =>
      severityRank[a.v.severity] - severityRank[b.v.severity] ||
      (a.v.system === b.v.system ? 0 : a.v.system === 'cm' ? -1 : 1) ||
      pos(a.v) - pos(b.v) ||
      a.i - b.i,
  );
  const counts = { error: 0, warning: 0, reminder: 0 };
  for (const v of items) counts[v.severity]++;
  return { items: indexed.map((x) => x.v), counts, caveats };
}

/** "2 errors, 1 warning, 3 reminders" or "No problems found". */
export function summarizeCounts(counts: Record<Finding['severity'], number>): string {
  const parts: string[] = [];
  const add = (n: number, one: string, many: string) => {
    if (n) parts.push(`${n} ${n === 1 ? one : many}`);
  };
  add(counts.error, 'error', 'errors');
  add(counts.warning, 'warning', 'warnings');
  add(counts.reminder, 'reminder', 'reminders');
  return parts.length ? parts.join(', ') : 'No problems found';
}

// ---------------------------------------------------------------------------------------------------------------
// Index browser and PCS builder

export const indexKindLabels: Record<IndexKind, string> = {
  index: 'Alphabetic Index',
  eindex: 'External Cause Index',
  drug: 'Drug table',
  neoplasm: 'Neoplasm table',
};

/** Where a "see also" points: the main term to list (the first part of "Failure, heart, by type …"). */
export function seeAlsoStart(seeAlso: string): string {
  return seeAlso.split(',')[0]!.trim();
}

/** The PCS code so far as seven slots (null = not chosen yet). */
export function pcsSlots(prefix: string): (string | null)[] {
  return Array.from({ length: 7 }, (_, i) => prefix.charAt(i) || null);
}

/** The PCS value a typed key chooses among the offered ones (case-insensitive; I and O are not PCS values). */
export function pcsOptionForKey(key: string, options: readonly { code: string }[]): string | null {
  if (key.length !== 1) return null;
  const k = key.toUpperCase();
  return options.some((o) => o.code === k) ? k : null;
}

/** A table cell's code, or null where the table prints "--" (no code). */
export function tableCode(c: string | null | undefined): string | null {
  return c && /[A-Z0-9]/i.test(c) ? c : null;
}

/**
 * Column headings of the Drug and Neoplasm tables, short enough for six columns side by side; the Drug table's
 * four poisoning columns share a "Poisoning" group heading.
 */
export function tableColumns(kind: IndexKind, columns: readonly string[]): { label: string; full: string; group: string | null }[] {
  return columns.map((full) => {
    const poisoning = kind === 'drug' ? /^Poisoning\s+(.+)$/i.exec(full) : null;
    if (poisoning) {
      const rest = poisoning[1]!.replace(/\s*\(unintentional\)/i, '');
      return { label: rest[0]!.toUpperCase() + rest.slice(1), full, group: 'Poisoning' };
    }
    return { label: full, full, group: null };
  });
}

/**
 * "S72.001 needs a 7th character: S72.001A (initial encounter …); … 16 choices" is unreadable in a worklist:
 * keep the characters, leave the meanings to the code's details.
 */
export function compactSeventhCharacterMessage(rule: string, message: string): string {
  if (rule !== 'missing_7th_character') return message;
  const m = /^(.*? needs a 7th character): (.*)$/s.exec(message);
  if (!m) return message;
  const choices = m[2]!
    .split('; ')
    .map((p) => /^(\S+) \(/.exec(p)?.[1])
    .filter((c): c is string => !!c);
  if (choices.length < 4) return message;
  return `${m[1]}: ${choices.map((c) => c.slice(-1)).join(', ')} (e.g. ${choices[0]}); open the code for the meanings`;
}
