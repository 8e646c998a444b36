/**
 * Data model of loaded ICD-10-CM / ICD-10-PCS releases. Everything here is plain data (arrays, typed
 * arrays, records) so a compiled snapshot round-trips through v8 serialization unchanged.
 */

/** Where a piece of content came from; shown beside notes and index paths so an old release is never presented as current. */
export interface SourceRelease {
  /** e.g. "icd10cm-tabular-fy2017" */
  id: string;
  /** e.g. "ICD-10-CM FY2017 tabular (2016-10-01)" */
  label: string;
  fiscalYear: number;
}

/** A tabular instructional-note block as printed in the code book (ICD-10-CM Official Guidelines I.A.12-I.A.15). */
export const NOTE_KINDS = [
  'includes',
  'inclusionTerm',
  'excludes1',
  'excludes2',
  'codeFirst',
  'useAdditionalCode',
  'codeAlso',
  'notes',
  'sevenChrNote',
] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

export interface SevenChrChoice {
  char: string;
  meaning: string;
}

/** Notes attached to one tabular entry (chapter, section or code). */
export type CodeNotes = Partial<Record<NoteKind, string[]>> & { sevenChrDef?: SevenChrChoice[] };

/** The notes of one tabular XML file, keyed by code without dot; sections keyed by their range ("I30-I5A"). */
export interface TabularNotesData {
  source: SourceRelease;
  /** 3-character categories the file covers (an excerpt covers one chapter only). */
  categories: string[];
  byCode: Record<string, CodeNotes>;
  /** Category -> section id, and section id -> chapter number, as printed in that tabular. */
  sectionOf: Record<string, string>;
  chapterOf: Record<string, string>;
  chapterTitles: Record<string, string>;
  sectionTitles: Record<string, string>;
}

export const INDEX_KINDS = ['index', 'eindex', 'drug', 'neoplasm'] as const;
/** Alphabetic Index, External Cause Index, Table of Drugs and Chemicals, Neoplasm Table. */
export type IndexKind = (typeof INDEX_KINDS)[number];

/** One term of an index, in document order; `parent` is the index of the enclosing term (-1 for a main term). */
export interface IndexTerm {
  title: string;
  nemod?: string;
  level: number;
  parent: number;
  /** Index: the code(s) of the term. Tables: one entry per column (null where the table shows "--"). */
  codes: (string | null)[];
  see?: string;
  seeAlso?: string;
}

export interface IndexData {
  kind: IndexKind;
  source: SourceRelease;
  /** Table column headings (drug, neoplasm); empty for the indexes. */
  columns: string[];
  terms: IndexTerm[];
}

/** Per-code validity periods from the MCE master tables, dates as YYYYMMDD, end "" = open. */
export interface ValidityData {
  source: SourceRelease;
  codes: string[];
  /** "start-end" periods joined by ";" */
  periods: string[];
  flags: string[];
}

export interface ChapterInfo {
  chapter: string;
  title: string;
}
export interface SectionInfo {
  range: string;
  chapter: string;
  title: string;
}

/** Inverted index over one release's documents: stems -> sorted doc ids. */
export interface SearchIndexData {
  vocab: string[];
  postings: Uint32Array[];
  /** Number of indexed tokens per document, for length normalisation. */
  docLen: Uint16Array;
}

/** One ICD-10-CM release (codes and order files of a fiscal year), with the content chosen for it. */
export interface CmRelease {
  id: string;
  label: string;
  fiscalYear: number;
  /** First and last day this release's titles apply (the fiscal year), YYYY-MM-DD. */
  effectiveFrom: string;
  effectiveTo: string;
  /** Tabular order, no dots. */
  codes: string[];
  titles: string[];
  shortTitles: string[];
  billable: Uint8Array;
  /** Code positions sorted by code (tabular order is not strictly alphabetic: C4A follows C43), for prefix look-ups. */
  sortedOrder: Uint32Array;
  chapters: ChapterInfo[];
  sections: SectionInfo[];
  categorySection: Record<string, string>;
  /** Alphabetic Index, External Cause Index, Drug and Neoplasm tables chosen for this release (newest available). */
  indexes: IndexData[];
  /** Search documents: 0..codes.length-1 are code titles; document codes.length + k is index document k. */
  search: SearchIndexData;
  /** Index document k: which of `indexes`, which term, which table column (255 = not a table). */
  indexDocs: { source: Uint8Array; term: Uint32Array; col: Uint8Array };
}

export interface PcsAxisValue {
  code: string;
  label: string;
}
export interface PcsAxis {
  pos: number;
  title: string;
  values: PcsAxisValue[];
  definition?: string;
}
/** One ICD-10-PCS table: its first three characters and rows of valid axis 4-7 combinations. */
export interface PcsTable {
  axes: PcsAxis[];
  rows: PcsAxis[][];
}

export interface PcsDefinitionTerm {
  title: string;
  definition?: string;
  explanation?: string;
  includes: string[];
}
/** Definitions by section code -> axis position -> terms (root operations, approaches, devices, substances...). */
export type PcsDefinitions = Record<string, Record<string, { title: string; terms: PcsDefinitionTerm[] }>>;

export interface PcsRelease {
  id: string;
  label: string;
  fiscalYear: number;
  effectiveFrom: string;
  effectiveTo: string;
  tables: PcsTable[];
  /** Every valid code built from the tables, sorted; `codeRow` packs table index * 1024 + row index. */
  codes: string[];
  codeRow: Uint32Array;
  definitions: PcsDefinitions;
  search: SearchIndexData;
}

/**
 * One HCPCS Level II procedure code or Level II modifier of the CMS alpha-numeric file (record layout "HCPCS
 * Contractor Record"): descriptions joined from its continuation lines, dates as YYYY-MM-DD ("" = none).
 */
export interface HcpcsEntry {
  code: string;
  long: string;
  short: string;
  /** Field 9: one to four pricing indicator codes ("51", "11 13"); "" for modifiers without one. */
  pricing: string[];
  /** Field 10: multiple pricing indicator. */
  multiplePricing: string;
  /** Field 16: C carrier judgment, D special coverage instructions, I not payable, M non-covered, S non-covered by statute. */
  coverage: string;
  betos: string;
  typeOfService: string[];
  /** Field 22: processing note number ("" = none). */
  processingNote: string;
  added: string;
  actionEffective: string;
  /** Last day the code may be reported ("" = open). */
  terminated: string;
  /** Field 30: A add, B/C/F/P/S/T changes, D discontinue, N no maintenance, R reactivate. */
  action: string;
}

/** One HCPCS Level II file (annual or quarterly): procedure codes and Level II modifiers, sorted by code. */
export interface HcpcsRelease {
  id: string;
  label: string;
  /** The file's effective date (1 January, April, July, October) and the day before the next loaded file (else 31 December). */
  effectiveFrom: string;
  effectiveTo: string;
  codes: HcpcsEntry[];
  modifiers: HcpcsEntry[];
  /** Over `codes` (document id = position): long and short descriptions. */
  search: SearchIndexData;
}

/**
 * CPT (AMA, licensed): imported by the user with `custodian codes import-cpt`, never shipped. Descriptors by code;
 * "" where the imported files had none of that length.
 */
export interface CptData {
  label: string;
  importedAt: string;
  files: string[];
  codes: string[];
  long: string[];
  medium: string[];
  short: string[];
  search: SearchIndexData;
}

/* NCCI PTP, MUE and OPPS Addendum B tables a user imports (edits.ts reads them). */

export type EditSetting = 'practitioner' | 'hospital' | 'dme';

/** NCCI PTP edits of one setting, columnar; dates YYYY-MM-DD, deletion "" = none ("*" in the file). */
export interface PtpTable {
  setting: 'practitioner' | 'hospital';
  files: string[];
  column1: string[];
  column2: string[];
  effective: string[];
  deletion: string[];
  /** 0 = no modifier may bypass, 1 = an NCCI-associated modifier may, 9 = not applicable. */
  modifierIndicator: string;
  rationale: string[];
}

/** MUEs of one setting: units per code per day (adjudication indicator 2 and 3) or per line (1). */
export interface MueTable {
  setting: EditSetting;
  files: string[];
  codes: string[];
  values: number[];
  /** 1 line edit, 2 date of service edit: policy, 3 date of service edit: clinical. */
  indicators: string;
  rationale: string[];
}

/** OPPS Addendum B: HCPCS/CPT code -> status indicator, APC, relative weight, payment rate (null where blank). */
export interface OppsTable {
  title: string;
  files: string[];
  codes: string[];
  statusIndicators: string[];
  apcs: string[];
  weights: (number | null)[];
  rates: (number | null)[];
}

/** What a user imported of the licensed quarterly files; each part null until imported. */
export interface LicensedEdits {
  ptp: { practitioner: PtpTable | null; hospital: PtpTable | null };
  mue: { practitioner: MueTable | null; hospital: MueTable | null; dme: MueTable | null };
  opps: OppsTable | null;
}

/** Everything loaded: releases by fiscal year, tabular notes (newest first), MCE validity. */
export interface CodeSetsData {
  formatVersion: number;
  builtAt: string;
  cm: CmRelease[];
  pcs: PcsRelease[];
  notes: TabularNotesData[];
  cmValidity: ValidityData | null;
  pcsValidity: ValidityData | null;
  /** HCPCS Level II files, oldest first. */
  hcpcs: HcpcsRelease[];
  /** The user's licensed CPT import, null when none. */
  cpt: CptData | null;
  /** The user's NCCI PTP, MUE and OPPS Addendum B imports (absent: none imported). */
  edits?: LicensedEdits;
}

/** Loaded code sets with lookup maps built at start-up; all encoder functions take this. */
export interface CodeSets extends CodeSetsData {
  cmIndexByCode: Map<string, number>[];
  pcsIndexByCode: Map<string, number>[];
  cmValidityByCode: Map<string, number>;
  pcsValidityByCode: Map<string, number>;
  hcpcsIndexByCode: Map<string, number>[];
  hcpcsModifierByCode: Map<string, number>[];
  cptIndexByCode: Map<string, number>;
}
