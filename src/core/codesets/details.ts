/**
 * Code details as a coder reads them in the book: title, hierarchy, billable or header, validity dates,
 * 7th-character choices and placeholder X, instructional notes with their source release, PCS definitions.
 */
import {
  cmParent,
  cmPrefixPositions,
  cmReleaseFor,
  formatCode,
  isValidOn,
  mceFlags,
  normalizeCode,
  pcsReleaseFor,
  validityPeriods,
  type ValidityPeriod,
} from './codesets.js';
import { notesCaveat, notesFor, notesSourceFor, sevenChrDefFor, type NoteBlock } from './notes.js';
import { pcsAxisDetails, type PcsAxisDetail } from './pcs-builder.js';
import { pcsTitle } from './search.js';
import type { ChapterInfo, CmRelease, CodeSets, SectionInfo, SevenChrChoice } from './types.js';

export interface CodeRefInfo {
  code: string;
  display: string;
  title: string;
  billable: boolean;
}

export interface SeventhCharacterInfo {
  /** True when this code cannot be reported without a 7th character. */
  required: boolean;
  /** The 6-character base with placeholder X where needed ("T07XXX"), as displayed. */
  base: string;
  usesPlaceholder: boolean;
  /** Valid 7th characters in the release in force, meanings taken from the codes' titles. */
  choices: SevenChrChoice[];
  /** The tabular's own definition, labelled with its release (may be older than the release in force). */
  tabularDefinition?: { at: string; choices: SevenChrChoice[]; source: string; current: boolean };
}

export interface CodeDetails {
  system: 'cm' | 'pcs';
  code: string;
  display: string;
  date: string;
  release: string;
  found: boolean;
  title: string;
  shortTitle?: string;
  status: 'billable' | 'header' | 'unknown';
  /** "header — needs more characters" and similar guidance. */
  statusText: string;
  validOnDate: boolean | undefined;
  validity: ValidityPeriod[];
  mceFlags: string[];
  chapter?: ChapterInfo;
  section?: SectionInfo;
  ancestors: CodeRefInfo[];
  children: CodeRefInfo[];
  seventhCharacter?: SeventhCharacterInfo;
  notes: NoteBlock[];
  notesCaveat?: string;
  pcsAxes?: PcsAxisDetail[];
}

function refInfo(rel: CmRelease, i: number): CodeRefInfo {
  const code = rel.codes[i] ?? '';
  return { code, display: formatCode('cm', code), title: rel.titles[i] ?? '', billable: rel.billable[i] === 1 };
}

/** 7th-character choices for a code: codes of the form base(6, X-padded) + one character that exist in the release. */
export function seventhCharacterFor(sets: CodeSets, ri: number, code: string): SeventhCharacterInfo | undefined {
  const rel = sets.cm[ri];
  const map = sets.cmIndexByCode[ri];
  if (!rel || !map) return undefined;
  const base = code.length >= 7 ? code.slice(0, 6) : code.padEnd(6, 'X');
  const choices: SevenChrChoice[] = [];
  const baseIdx = map.get(base) ?? map.get(code);
  const baseTitle = baseIdx === undefined ? '' : (rel.titles[baseIdx] ?? '');
  for (const pos of cmPrefixPositions(sets, ri, base)) {
    const c = rel.codes[pos] ?? '';
    if (c.length !== 7 || rel.billable[pos] !== 1) continue;
    const t = rel.titles[pos] ?? '';
    const meaning = baseTitle !== '' && t.startsWith(`${baseTitle}, `) ? t.slice(baseTitle.length + 2) : t.slice(t.lastIndexOf(', ') + 2);
    choices.push({ char: c.charAt(6), meaning });
  }
  if (choices.length === 0) return undefined;
  const idx = map.get(code);
  const info: SeventhCharacterInfo = {
    required: idx === undefined || rel.billable[idx] !== 1,
    base: formatCode('cm', base),
    usesPlaceholder: base !== code.slice(0, 6) && code.length < 7,
    choices,
  };
  const def = sevenChrDefFor(sets, rel, code);
  if (def)
    info.tabularDefinition = {
      at: def.at,
      choices: def.choices,
      source: def.source.label,
      current: def.source.fiscalYear === rel.fiscalYear,
    };
  return info;
}

function cmDetails(sets: CodeSets, code: string, date: string): CodeDetails {
  const { release: rel, index: ri } = cmReleaseFor(sets, date);
  const i = sets.cmIndexByCode[ri]?.get(code);
  const validity = validityPeriods(sets, 'cm', code);
  const d: CodeDetails = {
    system: 'cm',
    code,
    display: formatCode('cm', code),
    date,
    release: rel.label,
    found: i !== undefined,
    title: i === undefined ? '' : (rel.titles[i] ?? ''),
    status: i === undefined ? 'unknown' : rel.billable[i] === 1 ? 'billable' : 'header',
    statusText: '',
    validOnDate: i !== undefined && rel.billable[i] === 1 ? isValidOn(sets, 'cm', code, date) : false,
    validity,
    mceFlags: mceFlags(sets, 'cm', code),
    ancestors: [],
    children: [],
    notes: [],
  };
  if (i !== undefined) d.shortTitle = rel.shortTitles[i] ?? '';
  const section = rel.categorySection[code.slice(0, 3)];
  d.section = rel.sections.find((s) => s.range === section);
  d.chapter = rel.chapters.find((c) => c.chapter === d.section?.chapter);
  for (let p = cmParent(sets, ri, code); p !== undefined; p = cmParent(sets, ri, p)) {
    const pi = sets.cmIndexByCode[ri]?.get(p);
    if (pi !== undefined) d.ancestors.unshift(refInfo(rel, pi));
  }
  if (i !== undefined) {
    d.children = cmPrefixPositions(sets, ri, code)
      .filter((pos) => pos !== i && cmParent(sets, ri, rel.codes[pos] ?? '') === code)
      .map((pos) => refInfo(rel, pos));
  }
  const seventh = seventhCharacterFor(sets, ri, code);
  if (seventh) d.seventhCharacter = seventh;
  d.statusText =
    d.status === 'billable'
      ? 'billable: valid for reporting'
      : d.status === 'header'
        ? seventh?.required
          ? `header — needs a 7th character (${seventh.base}+${seventh.choices.map((c) => c.char).join('/')})`
          : 'header — needs more characters'
        : validity.length > 0
          ? `not in ${rel.label}; the MCE lists it valid ${validity.map((p) => `${p.from}..${p.to ?? 'open'}`).join(', ')}`
          : `unknown code in ${rel.label}`;
  d.notes = notesFor(sets, rel, code, { includeSectionAndChapter: true });
  const src = notesSourceFor(sets, rel, code.slice(0, 3));
  const caveat = src ? notesCaveat(src.source, rel) : undefined;
  if (caveat) d.notesCaveat = caveat;
  return d;
}

function pcsDetails(sets: CodeSets, code: string, date: string): CodeDetails {
  const { release: rel, index: ri } = pcsReleaseFor(sets, date);
  const i = sets.pcsIndexByCode[ri]?.get(code);
  const validity = validityPeriods(sets, 'pcs', code);
  const validOnDate = isValidOn(sets, 'pcs', code, date);
  const d: CodeDetails = {
    system: 'pcs',
    code,
    display: code,
    date,
    release: rel.label,
    found: i !== undefined,
    title: i === undefined ? '' : pcsTitle(rel, i),
    status: i !== undefined || validOnDate === true ? 'billable' : code.length < 7 ? 'header' : 'unknown',
    statusText: '',
    validOnDate,
    validity,
    mceFlags: mceFlags(sets, 'pcs', code),
    ancestors: [],
    children: [],
    notes: [],
  };
  d.statusText =
    i !== undefined
      ? 'valid ICD-10-PCS code'
      : validOnDate
        ? `valid per the MCE on ${date} but not in the ${rel.label} tables (title not available)`
        : code.length < 7
          ? 'incomplete — ICD-10-PCS codes have 7 characters'
          : `not a valid code in the ${rel.label} tables`;
  d.pcsAxes = pcsAxisDetails(rel, code);
  return d;
}

/** Details of a CM or PCS code as of `date` (system guessed from the code shape when omitted). */
export function getCodeDetails(sets: CodeSets, rawCode: string, opts: { date: string; system?: 'cm' | 'pcs' }): CodeDetails {
  const code = normalizeCode(rawCode);
  const system = opts.system ?? (/^[0-9]/.test(code) || (code.length === 7 && !/^[A-Z][0-9]/.test(code)) ? 'pcs' : 'cm');
  return system === 'pcs' ? pcsDetails(sets, code, opts.date) : cmDetails(sets, code, opts.date);
}
