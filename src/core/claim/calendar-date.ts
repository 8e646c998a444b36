/** Calendar-date check shared by ClaimSchema and the grouper's fast claim path (no validation library). */

/** True for YYYY-MM-DD naming a day that exists (2024-02-29 yes, 2025-02-29 and 2025-13-45 no). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}
