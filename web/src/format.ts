/** Display helpers shared by the screens. Dates are shown as the HIM department reads them: MM/DD/YYYY. */

/** "1961-04-09" -> "04/09/1961". Date-only values are not shifted by the browser's time zone. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${m[2]}/${m[3]}/${m[1]}`;
}

/** A date-time in the user's local time, e.g. "03/01/2026 08:30". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getMonth() + 1)}/${p(d.getDate())}/${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Age in whole years at `at` (default today), from a YYYY-MM-DD date of birth. */
export function ageOn(dateOfBirth: string | null | undefined, at: Date = new Date()): number | null {
  if (!dateOfBirth) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(dateOfBirth);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = at.getFullYear() - y;
  if (at.getMonth() + 1 < mo || (at.getMonth() + 1 === mo && at.getDate() < d)) age--;
  return age >= 0 ? age : null;
}

/** "FAMILY, Given Middle" as MPI screens show a name. */
export function formatName(p: { familyName: string; givenName: string; middleName?: string | null }): string {
  const given = [p.givenName, p.middleName].filter(Boolean).join(' ');
  return given ? `${p.familyName.toUpperCase()}, ${given}` : p.familyName.toUpperCase();
}

const sexes: Record<string, string> = { M: 'Male', F: 'Female', U: 'Unknown', X: 'Non-binary' };
export function formatSex(s: string | null | undefined): string {
  return s ? (sexes[s] ?? s) : '';
}

/** Length of stay in days (midnights), for discharged encounters. */
export function lengthOfStay(admitAt: string, dischargeAt: string | null): number | null {
  if (!dischargeAt) return null;
  const a = new Date(admitAt);
  const b = new Date(dischargeAt);
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return null;
  const day = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  return Math.max(0, Math.round((day(b) - day(a)) / 86_400_000));
}

export function capitalize(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1).replace(/_/g, ' ') : s;
}

/** X12 individual relationship codes (837 SBR-02 / PAT-01) as words; anything else is shown as given. */
const relationships: Record<string, string> = {
  '01': 'Spouse',
  '18': 'Self',
  '19': 'Child',
  '20': 'Employee',
  '21': 'Unknown',
  '39': 'Organ donor',
  '40': 'Cadaver donor',
  '53': 'Life partner',
  G8: 'Other relationship',
};
export function subscriberRelationship(code: string | null | undefined): string {
  if (!code) return '';
  return relationships[code.trim()] ?? code;
}

/**
 * The instants bounding local calendar days `from`..`to` (YYYY-MM-DD, both inclusive, either may be empty), as the
 * server's `from` (inclusive) and `to` (exclusive) ISO filters. Invalid dates are left out.
 */
export function localDayRange(from: string, to: string): { from?: string; to?: string } {
  const start = (d: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return undefined;
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    const t = new Date(y, m - 1, day);
    return t.getFullYear() === y && t.getMonth() === m - 1 && t.getDate() === day ? t : undefined;
  };
  const a = start(from);
  const b = start(to);
  return {
    ...(a ? { from: a.toISOString() } : {}),
    ...(b ? { to: new Date(b.getFullYear(), b.getMonth(), b.getDate() + 1).toISOString() } : {}),
  };
}
