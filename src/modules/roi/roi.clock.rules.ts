/**
 * The clocks, fees and accounting of release of information, as pure rules (dates are YYYY-MM-DD, UTC; `today` is
 * a parameter).
 *
 * - 164.524(b)(2)(i): act on a request for access no later than 30 days after receipt; (b)(2)(ii): one extension of
 *   no more than 30 days, if within the 30 days the individual gets a written statement of the reasons and the date.
 *   A state's shorter limit governs (164.203: a more stringent state law is not preempted); configurable.
 * - 164.528(c)(1): act on a request for an accounting within 60 days; one 30-day extension the same way.
 * - 164.528(a)(1): the accounting covers the six years before the request; (c)(2): the first accounting in any
 *   12-month period is free, later ones may bear a reasonable cost-based fee.
 * - 164.524(c)(4): for a copy, only a reasonable cost-based fee (labor for copying, supplies, postage, a summary if
 *   agreed); HHS's guidance allows a flat fee of $6.50 for electronic copies instead of calculating costs.
 */

const DAY_MS = 86_400_000;

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** `date` plus `years` calendar years (29 February goes to 28 February in a common year). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y + years, m - 1, d));
  if (t.getUTCMonth() !== m - 1) t.setUTCDate(0);
  return t.toISOString().slice(0, 10);
}

/** The clock policy: federal limits, a state's shorter one, and when the queue escalates. */
export interface ClockPolicy {
  /** 164.524(b)(2)(i): 30; a state may set fewer. */
  accessDays: number;
  /** 164.524(b)(2)(ii): at most 30; 0 where the state allows no extension. */
  accessExtensionDays: number;
  /** 164.528(c)(1): 60. */
  accountingDays: number;
  /** 164.528(c)(1)(ii): 30. */
  accountingExtensionDays: number;
  /** Third-party requests have no federal limit: a service target for the queue. */
  thirdPartyTargetDays: number;
  /** The queue escalates a request this many days before its limit. */
  escalateDaysBefore: number;
}

export const FEDERAL_CLOCK_POLICY: Readonly<ClockPolicy> = Object.freeze({
  accessDays: 30,
  accessExtensionDays: 30,
  accountingDays: 60,
  accountingExtensionDays: 30,
  thirdPartyTargetDays: 30,
  escalateDaysBefore: 5,
});

/** A policy with a state's limit on access requests: never longer than the federal one (164.524(b)(2)). */
export function clockPolicyFor(stateAccessDays?: number | null, stateExtensionDays?: number | null): ClockPolicy {
  const f = FEDERAL_CLOCK_POLICY;
  return {
    ...f,
    accessDays: Math.min(f.accessDays, stateAccessDays ?? f.accessDays),
    accessExtensionDays: Math.min(f.accessExtensionDays, stateExtensionDays ?? f.accessExtensionDays),
  };
}

/** Which clock a request runs on. */
export type ClockKind = 'access' | 'accounting' | 'third_party';

/** Days allowed and the one extension's length for a clock. */
export function clockLimits(kind: ClockKind, p: ClockPolicy): { days: number; extensionDays: number; legal: boolean } {
  if (kind === 'access') return { days: p.accessDays, extensionDays: p.accessExtensionDays, legal: true };
  if (kind === 'accounting') return { days: p.accountingDays, extensionDays: p.accountingExtensionDays, legal: true };
  return { days: p.thirdPartyTargetDays, extensionDays: 0, legal: false };
}

export interface ClockState {
  dueOn: string;
  daysLeft: number;
  /** `escalated`: within `escalateDaysBefore` of the limit; `breached`: past it (or closed after it). */
  state: 'on_time' | 'escalated' | 'breached' | 'closed' | 'closed_late';
}

/** The clock of a request on `today` (or as closed on `closedOn`). */
export function requestClock(
  r: { kind: ClockKind; receivedOn: string; extendedDueOn: string | null; closedOn: string | null },
  p: ClockPolicy,
  today: string,
): ClockState {
  const dueOn = r.extendedDueOn ?? addDays(r.receivedOn, clockLimits(r.kind, p).days);
  if (r.closedOn !== null)
    return { dueOn, daysLeft: daysBetween(r.closedOn, dueOn), state: r.closedOn <= dueOn ? 'closed' : 'closed_late' };
  const daysLeft = daysBetween(today, dueOn);
  return { dueOn, daysLeft, state: daysLeft < 0 ? 'breached' : daysLeft <= p.escalateDaysBefore ? 'escalated' : 'on_time' };
}

/**
 * What is wrong with an extension (null: it is allowed): once only, on a clock that has one, with a written notice
 * sent within the first limit, to a date at most the extension's length after the first due date.
 */
export function extensionProblem(
  r: { kind: ClockKind; receivedOn: string; extendedDueOn: string | null; closedOn: string | null },
  p: ClockPolicy,
  e: { noticeOn: string; newDueOn: string; reason: string },
): string | null {
  const { days, extensionDays } = clockLimits(r.kind, p);
  const cite = r.kind === 'accounting' ? '45 CFR 164.528(c)(1)(ii)' : '45 CFR 164.524(b)(2)(ii)';
  if (r.closedOn !== null) return 'a closed request cannot be extended';
  if (extensionDays === 0) return 'this request has no extension';
  if (r.extendedDueOn !== null) return `the time may be extended only once (${cite})`;
  const firstDue = addDays(r.receivedOn, days);
  if (e.reason.trim().length < 10) return `the written notice needs the reasons for the delay (${cite})`;
  if (e.noticeOn < r.receivedOn) return 'the notice cannot be dated before the request was received';
  if (e.noticeOn > firstDue) return `the notice must be given within the first ${days} days, by ${firstDue} (${cite})`;
  if (e.newDueOn <= firstDue) return `the new date must be after the original due date ${firstDue}`;
  const latest = addDays(firstDue, extensionDays);
  if (e.newDueOn > latest) return `the extension is at most ${extensionDays} days, to ${latest} (${cite})`;
  return null;
}

/** Fee schedule for copies: cents. */
/**
 * The written notice of the one extension: the reasons for the delay and the date by which the request will be acted
 * on (164.524(b)(2)(ii) for access, 164.528(c)(1)(ii) for an accounting).
 */
export function extensionNoticeText(e: { kind: ClockKind; receivedOn: string; reason: string; newDueOn: string }): string {
  const cite = e.kind === 'accounting' ? '45 CFR 164.528(c)(1)(ii)' : '45 CFR 164.524(b)(2)(ii)';
  return (
    `We received your request on ${e.receivedOn}. We need more time to act on it, for this reason: ${e.reason}. ` +
    `We will act on your request no later than ${e.newDueOn} (${cite}).`
  );
}

export interface FeeSchedule {
  /** 164.524(c)(4)(i): labor for copying, per page, for the individual (cost-based). */
  accessLaborPerPageCents: number;
  /** 164.524(c)(4)(ii): paper supplies per page. */
  accessSuppliesPerPageCents: number;
  /** HHS's flat fee option for electronic copies to the individual: $6.50. */
  accessElectronicFlatCents: number;
  /** Third parties: the state's search/retrieval fee and per-page charges (tiers: up to `upTo` pages). */
  thirdPartySearchCents: number;
  thirdPartyPerPage: readonly { upTo: number | null; cents: number }[];
}

/** A sample state schedule (third parties) and cost-based figures (the individual); set per state. */
export const DEFAULT_FEE_SCHEDULE: Readonly<FeeSchedule> = Object.freeze({
  accessLaborPerPageCents: 5,
  accessSuppliesPerPageCents: 3,
  accessElectronicFlatCents: 650,
  thirdPartySearchCents: 2000,
  thirdPartyPerPage: [
    { upTo: 20, cents: 100 },
    { upTo: 60, cents: 50 },
    { upTo: null, cents: 25 },
  ],
});

export interface FeeInput {
  individual: boolean;
  format: 'paper' | 'pdf' | 'electronic';
  pages: number;
  postageCents: number;
  /** The individual chose the flat fee for an electronic copy. */
  flatElectronic: boolean;
}

/** The fee of a release, with its lines. 164.524(c)(4): the individual pays no search or retrieval fee. */
export function feeOf(
  f: FeeInput,
  s: FeeSchedule = DEFAULT_FEE_SCHEDULE,
): { lines: { label: string; cents: number }[]; totalCents: number } {
  const lines: { label: string; cents: number }[] = [];
  if (f.individual) {
    if (f.format !== 'paper' && f.flatElectronic)
      lines.push({ label: 'Electronic copy, flat fee (45 CFR 164.524(c)(4))', cents: s.accessElectronicFlatCents });
    else {
      lines.push({ label: `Copying labor, ${f.pages} pages (45 CFR 164.524(c)(4)(i))`, cents: f.pages * s.accessLaborPerPageCents });
      if (f.format === 'paper')
        lines.push({ label: `Paper supplies, ${f.pages} pages (45 CFR 164.524(c)(4)(ii))`, cents: f.pages * s.accessSuppliesPerPageCents });
    }
  } else {
    lines.push({ label: 'Search and retrieval', cents: s.thirdPartySearchCents });
    let left = f.pages;
    let from = 0;
    for (const tier of s.thirdPartyPerPage) {
      const n = tier.upTo === null ? left : Math.min(left, tier.upTo - from);
      if (n > 0) lines.push({ label: `Pages ${from + 1}-${from + n}`, cents: n * tier.cents });
      left -= Math.max(n, 0);
      from = tier.upTo ?? from + n;
      if (left <= 0) break;
    }
  }
  if (f.postageCents > 0) lines.push({ label: 'Postage (45 CFR 164.524(c)(4)(iii))', cents: f.postageCents });
  return { lines, totalCents: lines.reduce((a, l) => a + l.cents, 0) };
}

/** 164.528(a)(1): the accounting covers disclosures on or after this date (six years before the request). */
export const accountingFrom = (requestedOn: string): string => addYears(requestedOn, -6);

/** 164.528(c)(2): the first accounting in any 12-month period is free; `earlier` are the dates of earlier requests. */
export function accountingIsFree(requestedOn: string, earlier: readonly string[]): boolean {
  const from = addYears(requestedOn, -1);
  return !earlier.some((d) => d > from && d <= requestedOn);
}
