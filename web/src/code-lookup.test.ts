import { describe, expect, it } from 'vitest';
import type { Finding, NoteBlock } from './codes-api.js';
import {
  describeHitPath,
  displayCode,
  groupNotes,
  isIsoDate,
  linkCodes,
  localToday,
  moveActive,
  nearestCoveredDate,
  notesSources,
  openableCode,
  parseCodeList,
  pcsOptionForKey,
  pcsSlots,
  presentFindings,
  resultsAnnouncement,
  seeAlsoStart,
  summarizeCounts,
  tableCode,
  tableColumns,
  compactSeventhCharacterMessage,
  lookupDate,
} from './code-lookup.js';

describe('dates and the code set in force', () => {
  it('gives today in local time and checks calendar dates', () => {
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-2-3')).toBe(false);
  });

  it('offers the nearest covered date', () => {
    const rel = [
      { label: 'ICD-10-CM FY2025 (2025-04-01 release)', from: '2024-10-01', to: '2025-09-30' },
      { label: 'ICD-10-CM FY2026 (2025-10-01 release)', from: '2025-10-01', to: '2026-09-30' },
    ];
    expect(nearestCoveredDate('2026-11-28', rel)).toBe('2026-09-30');
    expect(nearestCoveredDate('2023-01-01', rel)).toBe('2024-10-01');
    expect(nearestCoveredDate('2025-12-01', rel)).toBe('2025-12-01');
    expect(nearestCoveredDate('2026-11-28', [])).toBeNull();
  });
});

describe('codes as printed', () => {
  it('puts the ICD-10-CM dot after the category and leaves PCS alone', () => {
    expect(displayCode('cm', 'I5023')).toBe('I50.23');
    expect(displayCode('cm', 'i50')).toBe('I50');
    expect(displayCode('cm', 'S72.001A')).toBe('S72.001A');
    expect(displayCode('pcs', '0DTJ4ZZ')).toBe('0DTJ4ZZ');
  });

  it('opens index and note references without the dash', () => {
    expect(openableCode('I13.-')).toBe('I13');
    expect(openableCode('C79.8-')).toBe('C798');
    expect(openableCode('T39.1X1')).toBe('T391X1');
  });

  it('finds the codes cited in a note', () => {
    const parts = linkCodes('heart failure due to hypertension with chronic kidney disease (I13.-); abortion (O00-O07, O08.8)');
    expect(parts.filter((p) => 'code' in p).map((p) => ('code' in p ? p.code : ''))).toEqual(['I13', 'O00', 'O07', 'O088']);
    expect(parts.map((p) => p.text).join('')).toBe(
      'heart failure due to hypertension with chronic kidney disease (I13.-); abortion (O00-O07, O08.8)',
    );
    expect(linkCodes('type I or II fracture')).toEqual([{ text: 'type I or II fracture' }]);
  });
});

describe('keyboard navigation of the results', () => {
  it('moves down from nothing to the first row and stops at the ends', () => {
    expect(moveActive({ count: 3, active: -1 }, 'ArrowDown')).toBe(0);
    expect(moveActive({ count: 3, active: 2 }, 'ArrowDown')).toBe(2);
    expect(moveActive({ count: 3, active: 0 }, 'ArrowUp')).toBe(0);
    expect(moveActive({ count: 3, active: 2 }, 'ArrowUp')).toBe(1);
    expect(moveActive({ count: 30, active: 5 }, 'PageDown')).toBe(15);
    expect(moveActive({ count: 30, active: 5 }, 'PageUp')).toBe(0);
    expect(moveActive({ count: 30, active: 5 }, 'End')).toBe(29);
    expect(moveActive({ count: 0, active: -1 }, 'ArrowDown')).toBe(-1);
  });

  it('announces the answer with the release', () => {
    expect(resultsAnnouncement(0, 'xyz', 'ICD-10-CM FY2026')).toBe('No codes found for “xyz” in ICD-10-CM FY2026.');
    expect(resultsAnnouncement(1, 'CHF', 'ICD-10-CM FY2026')).toMatch(/^1 code for “CHF” in ICD-10-CM FY2026\./);
  });
});

describe('the path that led to a hit', () => {
  const base = { code: 'I509', display: 'I50.9', title: 'Heart failure, unspecified' };
  it('names the index and drops the tabular marker', () => {
    expect(describeHitPath({ ...base, matchedBy: 'index', path: ['Failure, failed', 'heart', 'congestive'] })).toBe(
      'Alphabetic Index: Failure, failed › heart › congestive',
    );
    expect(
      describeHitPath({
        code: 'T391X1A',
        display: 'T39.1X1A',
        title: 'Poisoning',
        matchedBy: 'drug',
        path: ['Acetaminophen', 'Poisoning Accidental (unintentional)', 'T39.1X1 (tabular)'],
      }),
    ).toBe('Drug table: Acetaminophen › Poisoning Accidental (unintentional)');
  });
  it('says nothing when the path only repeats the title or the code', () => {
    expect(describeHitPath({ ...base, matchedBy: 'title', path: ['Heart failure, unspecified'] })).toBeNull();
    expect(describeHitPath({ ...base, matchedBy: 'code', path: ['I50'] })).toBeNull();
  });
});

describe('instructional notes', () => {
  const src = { id: 'cm-tabular-fy2017', label: 'ICD-10-CM FY2017 tabular (2016-10-01)', fiscalYear: 2017 };
  const notes: NoteBlock[] = [
    { kind: 'excludes2', at: 'I50.9', texts: ['fluid overload (E87.70)'], source: src, current: false },
    { kind: 'inclusionTerm', at: 'I50.9', texts: ['Congestive heart failure NOS'], source: src, current: false },
    { kind: 'excludes2', at: 'I50', texts: ['cardiac arrest (I46.-)'], source: src, current: false },
    { kind: 'codeFirst', at: 'I50', texts: ['rheumatic heart failure (I09.81)'], source: src, current: false },
  ];
  it('groups by kind in code-book order, the code before its category', () => {
    const g = groupNotes(notes);
    expect(g.map((x) => x.kind)).toEqual(['inclusionTerm', 'excludes2', 'codeFirst']);
    expect(g[1]!.entries.map((e) => e.at)).toEqual(['I50.9', 'I50']);
    expect(g[1]!.label).toMatch(/^Excludes2/);
  });
  it('says when notes are not from the release in force', () => {
    expect(notesSources(notes)).toEqual({ labels: ['ICD-10-CM FY2017 tabular (2016-10-01)'], anyOld: true });
    expect(notesSources([])).toEqual({ labels: [], anyOld: false });
  });
});

describe('encounter check', () => {
  it('reads pasted codes, one per line or comma separated, ignoring descriptions', () => {
    expect(parseCodeList('I50.9 Heart failure, unspecified\nE11.22; n18.6\n\n  (I10)  ')).toEqual({
      codes: ['I50.9', 'E11.22', 'N18.6', 'I10'],
      ignored: ['unspecified'],
    });
    expect(parseCodeList('0DTJ4ZZ, 0FT44ZZ')).toEqual({ codes: ['0DTJ4ZZ', '0FT44ZZ'], ignored: [] });
    expect(parseCodeList('heart failure')).toEqual({ codes: [], ignored: ['heart failure'] });
  });

  const caveat = 'Instructional notes are from ICD-10-CM FY2017 tabular (2016-10-01), not from ICD-10-CM FY2026.';
  const note = {
    text: 'neonatal cardiac failure (P29.0)',
    at: 'I50',
    source: 'ICD-10-CM FY2017 tabular (2016-10-01)',
    current: false,
    caveat,
  };
  const findings: Finding[] = [
    {
      bearsOnCodes: false,
      severity: 'reminder',
      rule: 'code_first',
      system: 'cm',
      code: 'I509',
      message: 'Code first (I50), if applicable: rheumatic heart failure (I09.81) [note from ICD-10-CM FY2017 tabular (2016-10-01)]',
      note: { ...note, text: 'x' },
    },
    {
      bearsOnCodes: true,
      severity: 'warning',
      rule: 'excludes1',
      system: 'cm',
      code: 'I509',
      relatedCode: 'P290',
      message: 'Excludes1 at I50: I50.9 and P29.0 should not be reported together [note from ICD-10-CM FY2017 tabular (2016-10-01)]',
      note,
    },
    { bearsOnCodes: true, severity: 'error', rule: 'header_code', system: 'pcs', code: '0DTJ4Z', message: '0DTJ4Z is incomplete' },
    { bearsOnCodes: true, severity: 'error', rule: 'unknown_code', system: 'cm', code: 'ZZZ1', message: 'ZZZ.1 is not a code' },
    {
      bearsOnCodes: true,
      severity: 'error',
      rule: 'header_code',
      system: 'cm',
      code: 'I50',
      message: 'I50 is a header — needs more characters',
    },
    {
      bearsOnCodes: true,
      severity: 'warning',
      rule: 'excludes1',
      system: 'cm',
      code: 'I509',
      relatedCode: 'P290',
      message: 'Excludes1 at I50: I50.9 and P29.0 should not be reported together [note from ICD-10-CM FY2017 tabular (2016-10-01)]',
      note,
    },
  ];

  it('lists errors first, diagnoses in entered order before procedures, each finding once', () => {
    const v = presentFindings(findings, ['I50', 'I50.9', 'ZZZ1', '0DTJ4Z']);
    expect(v.items.map((i) => `${i.severity} ${i.display}`)).toEqual([
      'error I50',
      'error ZZZ.1',
      'error 0DTJ4Z',
      'warning I50.9',
      'reminder I50.9',
    ]);
    expect(v.counts).toEqual({ error: 3, warning: 1, reminder: 1 });
    expect(summarizeCounts(v.counts)).toBe('3 errors, 1 warning, 1 reminder');
    expect(summarizeCounts({ error: 0, warning: 0, reminder: 0 })).toBe('No problems found');
  });

  it('shows the note source as a label and the caveat once', () => {
    const v = presentFindings(findings);
    const ex = v.items.find((i) => i.severity === 'warning')!;
    expect(ex.message).toBe('Excludes1 at I50: I50.9 and P29.0 should not be reported together');
    expect(ex.noteSource).toBe('ICD-10-CM FY2017 tabular (2016-10-01)');
    expect(ex.noteCurrent).toBe(false);
    expect(ex.relatedDisplay).toBe('P29.0');
    expect(v.caveats).toEqual([caveat]);
  });
});

describe('index and PCS builder helpers', () => {
  it('follows a see-also to its main term', () => {
    expect(seeAlsoStart('Failure, heart, by type as diastolic or systolic, chronic')).toBe('Failure');
    expect(seeAlsoStart('condition')).toBe('condition');
  });

  it('lays the PCS code out in seven slots and picks an offered value from a key', () => {
    expect(pcsSlots('0DT')).toEqual(['0', 'D', 'T', null, null, null, null]);
    const options = [{ code: '0' }, { code: '4' }, { code: 'J' }];
    expect(pcsOptionForKey('j', options)).toBe('J');
    expect(pcsOptionForKey('5', options)).toBeNull();
    expect(pcsOptionForKey('Enter', options)).toBeNull();
  });
});

describe('drug and neoplasm table columns', () => {
  it('groups the poisoning columns and keeps the others', () => {
    const cols = [
      'Poisoning Accidental (unintentional)',
      'Poisoning Intentional self-harm',
      'Poisoning Assault',
      'Poisoning Undetermined',
      'Adverse effect',
      'Underdosing',
    ];
    expect(tableColumns('drug', cols).map((c) => `${c.group ?? ''}/${c.label}`)).toEqual([
      'Poisoning/Accidental',
      'Poisoning/Intentional self-harm',
      'Poisoning/Assault',
      'Poisoning/Undetermined',
      '/Adverse effect',
      '/Underdosing',
    ]);
    expect(tableColumns('neoplasm', ['Malignant Primary'])).toEqual([
      { label: 'Malignant Primary', full: 'Malignant Primary', group: null },
    ]);
  });
  it('treats the printed "--" as no code', () => {
    expect(tableCode('-')).toBeNull();
    expect(tableCode('--')).toBeNull();
    expect(tableCode(null)).toBeNull();
    expect(tableCode('C79.8-')).toBe('C79.8-');
  });
});

describe('missing 7th character findings', () => {
  it('lists the characters instead of every meaning when there are many', () => {
    const long =
      'S72.001 needs a 7th character: S72.001A (initial encounter for closed fracture); S72.001B (initial encounter for open fracture type I or II); S72.001D (subsequent encounter); S72.001S (sequela)';
    expect(compactSeventhCharacterMessage('missing_7th_character', long)).toBe(
      'S72.001 needs a 7th character: A, B, D, S (e.g. S72.001A); open the code for the meanings',
    );
    const short = 'T07 needs a 7th character: T07.XXXA (initial encounter); T07.XXXD (subsequent encounter); T07.XXXS (sequela)';
    expect(compactSeventhCharacterMessage('missing_7th_character', short)).toBe(short);
    expect(compactSeventhCharacterMessage('header_code', long)).toBe(long);
  });
});

describe('lookupDate', () => {
  const notice = 'Today (2026-12-07) is past the newest loaded code set, ICD-10-CM FY2026, which ends 2026-09-30: ...';
  it('looks up in the newest release with its banner while the date is still the default today', () => {
    expect(lookupDate('2026-12-07', { touched: false, today: '2026-12-07', defaultDate: '2026-09-30', notice })).toEqual({
      date: '2026-09-30',
      banner: notice,
    });
  });
  it('never for a date the coder entered, nor when a release covers today', () => {
    expect(lookupDate('2026-12-07', { touched: true, today: '2026-12-07', defaultDate: '2026-09-30', notice })).toEqual({
      date: '2026-12-07',
      banner: null,
    });
    expect(lookupDate('2026-03-01', { touched: false, today: '2026-03-01', defaultDate: '2026-03-01' })).toEqual({
      date: '2026-03-01',
      banner: null,
    });
  });
});
