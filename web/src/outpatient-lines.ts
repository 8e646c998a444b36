/**
 * The service-line table as the coder types it (text boxes: a modifier of one character, pointers "1, 2"), and its
 * conversion to the stored lines. Pure.
 */
import type { OutpatientData, ServiceLine } from './outpatient-api.js';

export interface LineDraft {
  code: string;
  /** Four modifier boxes (837 SV101-3..6); empty ones are left out. */
  mods: [string, string, string, string];
  units: string;
  date: string;
  pointers: string;
  revenueCode: string;
  charge: string;
}

export function draftOf(l: ServiceLine): LineDraft {
  const m = [...l.modifiers, '', '', '', ''];
  return {
    code: l.code,
    mods: [m[0]!, m[1]!, m[2]!, m[3]!],
    units: String(l.units),
    date: l.dateOfService,
    pointers: l.pointers.join(', '),
    revenueCode: l.revenueCode ?? '',
    charge: l.charge === null ? '' : String(l.charge),
  };
}

export const emptyLine = (date: string, over: Partial<LineDraft> = {}): LineDraft => ({
  code: '',
  mods: ['', '', '', ''],
  units: '1',
  date,
  pointers: '1',
  revenueCode: '',
  charge: '',
  ...over,
});

export function lineOf(d: LineDraft): ServiceLine {
  const charge = d.charge.trim() === '' ? null : Number(d.charge);
  return {
    code: d.code.trim().toUpperCase(),
    modifiers: d.mods.map((m) => m.trim().toUpperCase()).filter((m) => m !== ''),
    units: Number(d.units),
    dateOfService: d.date,
    pointers: d.pointers
      .split(/[\s,]+/)
      .filter((p) => p !== '')
      .map(Number),
    revenueCode: d.revenueCode.trim() === '' ? null : d.revenueCode.trim(),
    charge: charge === null || Number.isNaN(charge) ? null : charge,
  };
}

/** Why the lines cannot be checked yet (a code or modifier half typed, units not a number), or null when they can. */
export function incompleteLine(lines: LineDraft[]): string | null {
  for (const [i, l] of lines.entries()) {
    const n = i + 1;
    if (!/^[A-Za-z0-9]{5}$/.test(l.code.trim())) return `line ${n}: a HCPCS or CPT code has five characters`;
    if (l.mods.some((m) => m.trim() !== '' && !/^[A-Za-z0-9]{2}$/.test(m.trim()))) return `line ${n}: a modifier has two characters`;
    if (!/^\d+$/.test(l.units.trim()) || Number(l.units) < 1) return `line ${n}: units are a whole number of at least 1`;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(l.date)) return `line ${n}: a date of service`;
    if (!/^[\d\s,]*$/.test(l.pointers)) return `line ${n}: pointers are diagnosis numbers, e.g. 1, 2`;
    if (l.revenueCode.trim() !== '' && !/^\d{4}$/.test(l.revenueCode.trim())) return `line ${n}: a revenue code has four digits`;
  }
  return null;
}

export function withLines(d: OutpatientData, lines: LineDraft[]): OutpatientData {
  return { ...d, lines: lines.map(lineOf) };
}

/** The revenue code a new line starts with on the facility side: 0450 emergency room, 0762 observation, 0510 clinic. */
export function defaultRevenueCode(encounterType: string): string {
  if (encounterType === 'emergency') return '0450';
  if (encounterType === 'observation') return '0762';
  return '0510';
}
