/**
 * Chart requests and paper chart tracking as pure rules: turnaround and due times, the request queue's overdue
 * highlighting, loan periods and the overdue list, the states a request and a paper chart move through, and the
 * chart barcode. No database, clock or environment: `now` is always a parameter.
 *
 * Sources: CMS Conditions of Participation 42 CFR 482.24(a)-(b) (a medical record service that can retrieve every
 * record promptly, and protects it against loss); AHIMA chart-tracking practice (every chart out of the file has an
 * out-guide naming who has it, since when and until when; overdue charts are followed up; off-site storage is
 * indexed by box). The default times below are hospital policy, not regulation: change them here.
 */
import { z } from 'zod';
import { invalid } from '../../core/errors.js';

export const RequestPriority = { stat: 'stat', urgent: 'urgent', routine: 'routine' } as const;
export type RequestPriority = (typeof RequestPriority)[keyof typeof RequestPriority];
export const requestPriorities = Object.values(RequestPriority) as [RequestPriority, ...RequestPriority[]];

export const RequestStatus = { open: 'open', fulfilled: 'fulfilled', cancelled: 'cancelled' } as const;
export type RequestStatus = (typeof RequestStatus)[keyof typeof RequestStatus];

/** Electronic: the record is available in Custodian and the requester is pointed to it. Paper: the chart is pulled and checked out. */
export const Fulfilment = { electronic: 'electronic', paper: 'paper' } as const;
export type Fulfilment = (typeof Fulfilment)[keyof typeof Fulfilment];

export const LocationKind = { fileRoom: 'file_room', department: 'department', person: 'person', offsiteBox: 'offsite_box' } as const;
export type LocationKind = (typeof LocationKind)[keyof typeof LocationKind];
export const locationKinds = Object.values(LocationKind) as [LocationKind, ...LocationKind[]];

export const ChartStatus = { in: 'in', out: 'out' } as const;
export type ChartStatus = (typeof ChartStatus)[keyof typeof ChartStatus];

export const MovementKind = {
  created: 'created',
  checkOut: 'check_out',
  /** A chart already out handed on to another borrower. */
  transfer: 'transfer',
  checkIn: 'check_in',
  /** Filed somewhere else (another shelf, an off-site box), which becomes its home. */
  relocate: 'relocate',
} as const;
export type MovementKind = (typeof MovementKind)[keyof typeof MovementKind];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How soon a request is needed when the requester names no time: stat 30 minutes, urgent 4 hours, routine next day. */
export const TURNAROUND_MINUTES: Readonly<Record<RequestPriority, number>> = { stat: 30, urgent: 240, routine: 1440 };
/** A request is "due soon" in the queue this long before it is needed. */
export const DUE_SOON_MINUTES = 60;
/** A requester may not ask for a time already this far past (clock differences between workstations). */
const NEEDED_BY_GRACE_MINUTES = 5;

/** The time a request is needed by: the one given, or the priority's turnaround from when it was made. */
export function neededByOf(priority: RequestPriority, requestedAt: Date, given?: Date | null): Date {
  return given ?? new Date(requestedAt.getTime() + TURNAROUND_MINUTES[priority] * MINUTE);
}

/** Why a needed-by time cannot be taken, or null. */
export function neededByProblem(neededBy: Date, requestedAt: Date): string | null {
  if (Number.isNaN(neededBy.getTime())) return 'not a date-time';
  if (neededBy.getTime() < requestedAt.getTime() - NEEDED_BY_GRACE_MINUTES * MINUTE) return 'is in the past';
  if (neededBy.getTime() > requestedAt.getTime() + 365 * DAY) return 'is more than a year ahead';
  return null;
}

export type DueState = 'overdue' | 'due_soon' | 'on_time';

/** Where an open request stands against its needed-by time (the queue's highlighting); null once it is closed. */
export function requestDueState(status: RequestStatus, neededBy: Date, now: Date): DueState | null {
  if (status !== RequestStatus.open) return null;
  const left = neededBy.getTime() - now.getTime();
  if (left < 0) return 'overdue';
  return left <= DUE_SOON_MINUTES * MINUTE ? 'due_soon' : 'on_time';
}

/** Whole minutes until an open request is needed (negative once overdue). */
export function minutesLeft(neededBy: Date, now: Date): number {
  const ms = neededBy.getTime() - now.getTime();
  return ms >= 0 ? Math.floor(ms / MINUTE) : -Math.ceil(-ms / MINUTE);
}

/** Default loan of a chart checked out to a person or department, and the longest allowed (AHIMA: charts come back). */
export const LOAN_DAYS: Readonly<Record<'person' | 'department', number>> = { person: 3, department: 1 };
export const MAX_LOAN_DAYS = 30;

/** Where a chart may be checked out to (persons and departments); shelves and boxes are filing places. */
export function isBorrower(kind: string): kind is 'person' | 'department' {
  return kind === LocationKind.person || kind === LocationKind.department;
}

/** Where a chart may be filed (its home): a file-room shelf or an off-site box. */
export function isFilingPlace(kind: string): boolean {
  return kind === LocationKind.fileRoom || kind === LocationKind.offsiteBox;
}

/** The due-back time of a check-out: the one given, or the loan period of the borrower's kind from now. */
export function dueBackOf(kind: 'person' | 'department', at: Date, given?: Date | null): Date {
  return given ?? new Date(at.getTime() + LOAN_DAYS[kind] * DAY);
}

/** Why a due-back time cannot be taken, or null: it must be after the check-out and within the longest loan. */
export function dueBackProblem(dueBack: Date, at: Date): string | null {
  if (Number.isNaN(dueBack.getTime())) return 'not a date-time';
  if (dueBack.getTime() <= at.getTime()) return 'must be after the check-out';
  if (dueBack.getTime() > at.getTime() + MAX_LOAN_DAYS * DAY) return `is more than ${MAX_LOAN_DAYS} days ahead`;
  return null;
}

/** True when a checked-out chart is past its due-back time. */
export function isChartOverdue(chart: { status: string; due_back_at: string | null }, now: Date): boolean {
  return chart.status === ChartStatus.out && chart.due_back_at !== null && Date.parse(chart.due_back_at) < now.getTime();
}

/** Whole days a chart is overdue (0 within its first day past due). */
export function daysOverdue(dueBackAt: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(dueBackAt)) / DAY));
}

export type ChartAction = 'check_out' | 'check_in' | 'relocate';

/** What an action does to a chart in a state: the movement it records, nothing (already done), or a refusal. */
export type ChartStep =
  { kind: 'move'; movement: MovementKind; status: ChartStatus } | { kind: 'noop'; message: string } | { kind: 'refuse'; message: string };

/**
 * The chart's state machine: in -> out (check-out), out -> out (transfer to another borrower), out -> in
 * (check-in), in -> in at another place (relocate). Checking in a chart that is in is a no-op (a second scan of the
 * same chart at the return desk), relocating one that is out is refused (check it in first).
 */
export function chartStep(status: ChartStatus, action: ChartAction, same: { atDestination: boolean }): ChartStep {
  switch (action) {
    case 'check_out':
      if (status === ChartStatus.in) return { kind: 'move', movement: MovementKind.checkOut, status: ChartStatus.out };
      return { kind: 'move', movement: MovementKind.transfer, status: ChartStatus.out };
    case 'check_in':
      if (status === ChartStatus.out) return { kind: 'move', movement: MovementKind.checkIn, status: ChartStatus.in };
      return { kind: 'noop', message: 'already checked in' };
    case 'relocate':
      if (status === ChartStatus.out) return { kind: 'refuse', message: 'the chart is checked out: check it in first' };
      if (same.atDestination) return { kind: 'noop', message: 'already filed there' };
      return { kind: 'move', movement: MovementKind.relocate, status: ChartStatus.in };
  }
}

/** A request can be fulfilled or cancelled only while it is open. */
export function requestStepProblem(status: RequestStatus): string | null {
  return status === RequestStatus.open ? null : `this request is already ${status}`;
}

/**
 * The check digit of a generated chart barcode (Luhn, mod 10): a digit mistyped when the code is keyed in by
 * hand is caught instead of finding another chart. Code 128 carries its own check character for scans.
 */
export function barcodeCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** A generated chart barcode: C, nine digits (from the caller's random source) and a check digit. */
export function makeChartBarcode(nineDigits: string): string {
  if (!/^\d{9}$/.test(nineDigits)) throw new Error('makeChartBarcode takes nine digits');
  return `C${nineDigits}${barcodeCheckDigit(nineDigits)}`;
}

/** Any barcode Custodian accepts (upper-cased; labels of an earlier system included): 4-32 letters, digits, dashes. */
export const BARCODE_PATTERN = /^[A-Z0-9][A-Z0-9-]{3,31}$/;

/** Reads a scanned or typed code: trimmed, upper-cased; a generated code must pass its check digit. */
export function normalizeBarcode(raw: string): { ok: true; barcode: string } | { ok: false; problem: string } {
  const code = raw.trim().toUpperCase();
  if (!BARCODE_PATTERN.test(code)) return { ok: false, problem: 'not a chart barcode (4 to 32 letters, digits or dashes)' };
  if (/^C\d{10}$/.test(code) && barcodeCheckDigit(code.slice(1, 10)) !== Number(code[10])) {
    return { ok: false, problem: 'the check digit does not match: the code was mistyped or misread' };
  }
  return { ok: true, barcode: code };
}

/** A location code on a shelf, door, badge or box: L and six digits when generated. */
export function makeLocationCode(sixDigits: string): string {
  if (!/^\d{6}$/.test(sixDigits)) throw new Error('makeLocationCode takes six digits');
  return `L${sixDigits}`;
}

/** The request fields a requester fills in (HTTP and CLI edges parse them with this). */
export const NewChartRequestSchema = z.object({
  patientId: z.string().min(1).max(64),
  encounterId: z.string().min(1).max(64).nullish(),
  priority: z.enum(requestPriorities).default('routine'),
  /** ISO-8601 date-time; the priority's turnaround when omitted. */
  neededBy: z.iso.datetime({ offset: true }).nullish(),
  reason: z.string().trim().min(3, 'say why the record is needed').max(500),
  /** HIM staff entering a request for someone else: a user, or a named department or person (with where to deliver). */
  requesterUserId: z.string().min(1).max(64).nullish(),
  requesterName: z.string().trim().min(2).max(120).nullish(),
  deliverToLocationId: z.string().min(1).max(64).nullish(),
});
export type NewChartRequest = z.input<typeof NewChartRequestSchema>;

/** Parses input at a service's edge (CLI, demo, tests): the first problem as `invalid` naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw invalid(`${i.path.join('.') || 'input'}: ${i.message}`);
}
