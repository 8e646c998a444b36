/**
 * The classic HIM indexes over a date range (AHIMA: the disease, procedure and physician indexes): each ICD-10-CM
 * diagnosis code, each ICD-10-PCS procedure code, each attending physician, with the discharges that carry it. Pure:
 * the service passes the final-coded discharges and whether each may show.
 */

/** One final-coded discharge, with its codes. */
export interface IndexedDischarge {
  encounterId: string;
  patientId: string;
  mrn: string;
  patientName: string;
  accountNumber: string;
  restricted: boolean;
  dischargeAt: string;
  attendingId: string | null;
  attending: string | null;
  drg: string | null;
  principalDx: string | null;
  secondaryDx: string[];
  procedures: string[];
}

export const IndexKinds = ['disease', 'procedure', 'physician'] as const;
export type IndexKind = (typeof IndexKinds)[number];

/** A code without its dot, upper-case. */
export const normalizeCode = (c: string) => c.replace(/\./g, '').trim().toUpperCase();

/**
 * Whether a code falls in a range of codes or categories, both ends inclusive: `I20`-`I25` holds I20.0 to I25.9 (an end
 * shorter than a code is a category, and every code under it is in).
 */
export function codeInRange(code: string, from?: string, to?: string): boolean {
  const c = normalizeCode(code);
  if (from !== undefined && from !== '' && c < normalizeCode(from)) return false;
  if (to !== undefined && to !== '') {
    const t = normalizeCode(to);
    if (c > t && !c.startsWith(t)) return false;
  }
  return true;
}

export interface IndexEntryRow {
  encounterId: string;
  patientId: string;
  mrn: string;
  patientName: string;
  accountNumber: string;
  restricted: boolean;
  details: boolean;
  dischargeAt: string | null;
  attending: string | null;
  drg: string | null;
  /** disease: principal | secondary; procedure: principal (first) | other; physician: the principal diagnosis. */
  role: string | null;
}

export interface IndexEntry {
  /** The code, or the physician's id. */
  key: string;
  label: string;
  count: number;
  /** Restricted discharges under this key the user has not opened: counted, not listed. */
  withheld: number;
  rows: IndexEntryRow[];
}

/**
 * The index: one entry per code (or physician) in range, in code (name) order, each discharge under it once. A
 * restricted discharge the user has not opened is counted under its key and not listed: being listed under a code
 * would tell the code.
 */
export function buildIndex(
  kind: IndexKind,
  discharges: readonly IndexedDischarge[],
  shows: (d: IndexedDischarge) => boolean,
  range: { codeFrom?: string | undefined; codeTo?: string | undefined; physician?: string | undefined } = {},
): IndexEntry[] {
  const entries = new Map<string, IndexEntry>();
  const add = (key: string, label: string, d: IndexedDischarge, role: string | null) => {
    const e = entries.get(key) ?? { key, label, count: 0, withheld: 0, rows: [] };
    if (e.rows.some((r) => r.encounterId === d.encounterId)) return;
    e.count++;
    if (!shows(d)) e.withheld++;
    else
      e.rows.push({
        encounterId: d.encounterId,
        patientId: d.patientId,
        mrn: d.mrn,
        patientName: d.patientName,
        accountNumber: d.accountNumber,
        restricted: d.restricted,
        details: true,
        dischargeAt: d.dischargeAt,
        attending: d.attending,
        drg: d.drg,
        role,
      });
    entries.set(key, e);
  };
  for (const d of discharges) {
    if (kind === 'disease') {
      const codes = [
        ...(d.principalDx ? [[d.principalDx, 'principal'] as const] : []),
        ...d.secondaryDx.map((c) => [c, 'secondary'] as const),
      ];
      for (const [code, role] of codes)
        if (codeInRange(code, range.codeFrom, range.codeTo)) add(normalizeCode(code), normalizeCode(code), d, role);
    } else if (kind === 'procedure') {
      d.procedures.forEach((code, i) => {
        if (codeInRange(code, range.codeFrom, range.codeTo))
          add(normalizeCode(code), normalizeCode(code), d, i === 0 ? 'principal' : 'other');
      });
    } else if (d.attendingId !== null && (range.physician === undefined || range.physician === d.attendingId)) {
      add(d.attendingId, d.attending ?? d.attendingId, d, d.principalDx);
    }
  }
  const byLabel = kind === 'physician';
  return [...entries.values()]
    .map((e) => ({
      ...e,
      rows: e.rows.sort((a, b) => (a.dischargeAt ?? '').localeCompare(b.dischargeAt ?? '') || a.mrn.localeCompare(b.mrn)),
    }))
    .sort((a, b) => (byLabel ? a.label.localeCompare(b.label) : a.key.localeCompare(b.key)));
}
