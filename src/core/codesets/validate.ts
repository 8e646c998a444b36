/**
 * Checks one encounter's code list the way a coder would before final billing: unknown or invalid codes on
 * the date, header codes, missing 7th characters, Excludes1 pairs (ICD-10-CM Official Guidelines I.A.12.a),
 * "code first" / "use additional code" instructions (I.A.13, I.B.7). Findings are warnings to act on.
 */
import { cmReleaseFor, formatCode, isValidOn, mceFlags, normalizeCode, pcsReleaseFor, validityPeriods } from './codesets.js';
import { seventhCharacterFor } from './details.js';
import { notesCaveat, notesFor, parseCodeRefs, refMatches } from './notes.js';
import type { CodeSets } from './types.js';

export const FINDING_RULES = [
  'unknown_code',
  'invalid_on_date',
  'header_code',
  'missing_7th_character',
  'placeholder_x',
  'duplicate_code',
  'manifestation_first',
  'excludes1',
  'code_first',
  'use_additional_code',
] as const;
export type FindingRule = (typeof FINDING_RULES)[number];

export interface Finding {
  severity: 'error' | 'warning' | 'reminder';
  rule: FindingRule;
  system: 'cm' | 'pcs';
  code: string;
  relatedCode?: string;
  message: string;
  /** The instructional note behind the finding, with the release it came from and whether that is current. */
  note?: { text: string; at: string; source: string; current: boolean; caveat?: string };
  /**
   * Whether the finding bears on the codes assigned: every code finding, an Excludes1 pair with both codes present,
   * a "code first" code present but sequenced after, or a required code still missing (the underlying disease of a
   * manifestation code). False for "if applicable" reminders, which the coding screen's edits panel leaves out.
   */
  bearsOnCodes: boolean;
}

export interface EncounterCodes {
  /** Date of discharge / service, YYYY-MM-DD. */
  date: string;
  /** Diagnoses in sequence (principal or first-listed first); dots optional. */
  diagnoses: string[];
  procedures?: string[];
}

export interface ValidationReport {
  date: string;
  cmRelease: string;
  pcsRelease?: string;
  /** Which release each piece came from: code titles and validity, instructional notes (per tabular used). */
  sources: { codes: string; notes: string[]; validity?: string };
  findings: Finding[];
}

type CodeFinding = Omit<Finding, 'bearsOnCodes'>;

function checkCm(sets: CodeSets, date: string, codes: string[], out: CodeFinding[]): string {
  const { release: rel, index: ri } = cmReleaseFor(sets, date);
  const map = sets.cmIndexByCode[ri];
  const seen = new Set<string>();
  codes.forEach((code, position) => {
    const shown = formatCode('cm', code);
    if (seen.has(code))
      out.push({ severity: 'warning', rule: 'duplicate_code', system: 'cm', code, message: `${shown} is listed more than once` });
    seen.add(code);
    const i = map?.get(code);
    const seventh = seventhCharacterFor(sets, ri, code);
    if (i === undefined) {
      const pad = code.length >= 4 && code.length < 7 ? `${code.slice(0, -1).padEnd(6, 'X')}${code.slice(-1)}` : '';
      if (pad !== '' && map?.has(pad)) {
        out.push({
          severity: 'error',
          rule: 'placeholder_x',
          system: 'cm',
          code,
          message: `${shown} is not a code; with placeholder X it is ${formatCode('cm', pad)}`,
        });
      } else {
        const periods = validityPeriods(sets, 'cm', code);
        out.push(
          periods.length > 0
            ? {
                severity: 'error',
                rule: 'invalid_on_date',
                system: 'cm',
                code,
                message: `${shown} is not valid on ${date}: not in ${rel.label}; the MCE lists it valid ${periods.map((p) => `${p.from}..${p.to ?? 'open'}`).join(', ')}`,
              }
            : { severity: 'error', rule: 'unknown_code', system: 'cm', code, message: `${shown} is not a code in ${rel.label}` },
        );
      }
      return;
    }
    if (rel.billable[i] !== 1) {
      if (seventh?.required) {
        out.push({
          severity: 'error',
          rule: 'missing_7th_character',
          system: 'cm',
          code,
          message: `${shown} needs a 7th character: ${seventh.choices.map((c) => `${seventh.base}${c.char} (${c.meaning})`).join('; ')}`,
        });
      } else {
        out.push({
          severity: 'error',
          rule: 'header_code',
          system: 'cm',
          code,
          message: `${shown} is a header — needs more characters (${rel.titles[i] ?? ''})`,
        });
      }
      return;
    }
    if (isValidOn(sets, 'cm', code, date) === false) {
      out.push({
        severity: 'error',
        rule: 'invalid_on_date',
        system: 'cm',
        code,
        message: `${shown} is not valid on ${date} per the MCE master table`,
      });
    }
    // Manifestation codes ("in diseases classified elsewhere") are never sequenced first: the underlying
    // condition is coded first (Official Guidelines I.A.13; MCE "manifestation code as principal diagnosis").
    if (position === 0 && mceFlags(sets, 'cm', code).includes('manifestation')) {
      out.push({
        severity: 'warning',
        rule: 'manifestation_first',
        system: 'cm',
        code,
        message: `${shown} is a manifestation code and cannot be sequenced first: code the underlying condition first`,
      });
    }
  });
  return rel.label;
}

/** A manifestation code ("in diseases classified elsewhere"): its "code first" underlying disease is required (I.A.13). */
function isManifestation(sets: CodeSets, rel: { titles: string[] }, ri: number, code: string): boolean {
  if (mceFlags(sets, 'cm', code).includes('manifestation')) return true;
  for (let n = code.length; n >= 3; n--) {
    const i = sets.cmIndexByCode[ri]?.get(code.slice(0, n));
    if (i !== undefined && /in diseases classified elsewhere/i.test(rel.titles[i] ?? '')) return true;
  }
  return false;
}

function checkNotes(sets: CodeSets, date: string, codes: string[], out: Finding[], notesUsed: Set<string>): void {
  const { release: rel, index: ri } = cmReleaseFor(sets, date);
  const pairs = new Set<string>();
  codes.forEach((code, position) => {
    // Excludes1 notes apply from every level above the code; reminders only from the code and its category,
    // since chapter-wide instructions would repeat on every code of the chapter.
    for (const block of notesFor(sets, rel, code, { includeSectionAndChapter: true })) {
      if (block.kind !== 'excludes1' && / /.test(block.at)) continue;
      notesUsed.add(block.source.label);
      for (const text of block.texts) {
        const refs = parseCodeRefs(text);
        const caveat = notesCaveat(block.source, rel);
        const note = { text, at: block.at, source: block.source.label, current: block.current, ...(caveat ? { caveat } : {}) };
        const label = block.current ? '' : ` [note from ${block.source.label}]`;
        if (block.kind === 'excludes1') {
          for (const other of codes) {
            const pair = [code, other].sort().join('+');
            if (other === code || pairs.has(pair) || !refs.some((r) => refMatches(r, other))) continue;
            pairs.add(pair);
            out.push({
              severity: 'warning',
              rule: 'excludes1',
              system: 'cm',
              code,
              relatedCode: other,
              message: `Excludes1 at ${block.at}: ${formatCode('cm', code)} and ${formatCode('cm', other)} should not be reported together ("${text}")${label}`,
              note,
              bearsOnCodes: true,
            });
          }
        }
      }
      if (block.kind === 'codeFirst' || block.kind === 'useAdditionalCode') {
        // The lines of one "code first" / "use additional code" block are alternatives ("if applicable"):
        // one reminder per block, satisfied by any referenced code present.
        const refs = block.texts.flatMap(parseCodeRefs);
        const present = codes.findIndex((other) => other !== code && refs.some((r) => refMatches(r, other)));
        const rule = block.kind === 'codeFirst' ? 'code_first' : 'use_additional_code';
        const what = block.kind === 'codeFirst' ? 'Code first' : 'Use additional code';
        const text = block.texts.join('; ');
        const caveat = notesCaveat(block.source, rel);
        const note = { text, at: block.at, source: block.source.label, current: block.current, ...(caveat ? { caveat } : {}) };
        const label = block.current ? '' : ` [note from ${block.source.label}]`;
        if (present < 0) {
          out.push({
            severity: 'reminder',
            rule,
            system: 'cm',
            code,
            message: `${what} (${block.at}), if applicable: ${text}${label}`,
            note,
            bearsOnCodes: block.kind === 'codeFirst' && isManifestation(sets, rel, ri, code),
          });
        } else if (block.kind === 'codeFirst' && present > position) {
          const other = codes[present] ?? '';
          out.push({
            severity: 'warning',
            rule,
            system: 'cm',
            code,
            relatedCode: other,
            message: `${formatCode('cm', other)} should be sequenced before ${formatCode('cm', code)} (code first: ${text})${label}`,
            note,
            bearsOnCodes: true,
          });
        }
      }
    }
  });
}

function checkPcs(sets: CodeSets, date: string, codes: string[], out: CodeFinding[]): string {
  const { release: rel, index: ri } = pcsReleaseFor(sets, date);
  for (const code of codes) {
    const inTables = sets.pcsIndexByCode[ri]?.has(code) === true;
    const valid = isValidOn(sets, 'pcs', code, date);
    if (!inTables && valid !== true) {
      out.push({
        severity: 'error',
        rule: code.length < 7 ? 'header_code' : 'unknown_code',
        system: 'pcs',
        code,
        message:
          code.length < 7 ? `${code} is incomplete — ICD-10-PCS codes have 7 characters` : `${code} is not a valid code in ${rel.label}`,
      });
    } else if (valid === false) {
      out.push({
        severity: 'error',
        rule: 'invalid_on_date',
        system: 'pcs',
        code,
        message: `${code} is not valid on ${date} per the MCE master table`,
      });
    }
  }
  return rel.label;
}

/** Validates one encounter's diagnosis and procedure codes for the code sets in force on `encounter.date`. */
export function validateEncounterCodes(sets: CodeSets, encounter: EncounterCodes): ValidationReport {
  const codeFindings: CodeFinding[] = [];
  const dx = encounter.diagnoses.map(normalizeCode).filter((c) => c !== '');
  const cmRelease = checkCm(sets, encounter.date, dx, codeFindings);
  const px = (encounter.procedures ?? []).map(normalizeCode).filter((c) => c !== '');
  const pcsRelease = px.length > 0 ? checkPcs(sets, encounter.date, px, codeFindings) : undefined;
  const findings: Finding[] = codeFindings.map((f) => ({ ...f, bearsOnCodes: true }));
  const notesUsed = new Set<string>();
  checkNotes(sets, encounter.date, dx, findings, notesUsed);
  const report: ValidationReport = {
    date: encounter.date,
    cmRelease,
    sources: {
      codes: cmRelease,
      notes: [...notesUsed],
      ...(sets.cmValidity ? { validity: sets.cmValidity.source.label } : {}),
    },
    findings,
  };
  if (pcsRelease !== undefined) report.pcsRelease = pcsRelease;
  return report;
}
