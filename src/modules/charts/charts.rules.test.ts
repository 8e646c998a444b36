import { describe, expect, it } from 'vitest';
import {
  barcodeCheckDigit,
  chartStep,
  daysOverdue,
  dueBackOf,
  dueBackProblem,
  isChartOverdue,
  makeChartBarcode,
  minutesLeft,
  neededByOf,
  neededByProblem,
  normalizeBarcode,
  requestDueState,
  requestStepProblem,
  type ChartAction,
  type ChartStatus,
  type RequestPriority,
  type RequestStatus,
} from './charts.rules.js';

const at = new Date('2026-03-10T08:00:00Z');
const plus = (minutes: number) => new Date(at.getTime() + minutes * 60_000);

describe('request due times', () => {
  it.each<[RequestPriority, string]>([
    ['stat', '2026-03-10T08:30:00.000Z'],
    ['urgent', '2026-03-10T12:00:00.000Z'],
    ['routine', '2026-03-11T08:00:00.000Z'],
  ])('needs a %s request by its turnaround when no time is given: %s', (priority, expected) => {
    expect(neededByOf(priority, at).toISOString()).toBe(expected);
  });

  it('keeps the time the requester gives', () => {
    expect(neededByOf('stat', at, plus(600)).toISOString()).toBe(plus(600).toISOString());
  });

  it.each<[string, Date, string | null]>([
    ['now', at, null],
    ['four minutes ago (workstation clocks differ)', plus(-4), null],
    ['an hour ago', plus(-60), 'is in the past'],
    ['in two years', plus(2 * 365 * 1440), 'is more than a year ahead'],
    ['not a date', new Date('nonsense'), 'not a date-time'],
  ])('takes a needed-by time of %s: %s', (_, neededBy, problem) => {
    expect(neededByProblem(neededBy, at)).toBe(problem);
  });

  it.each<[RequestStatus, number, ReturnType<typeof requestDueState>]>([
    ['open', 120, 'on_time'],
    ['open', 61, 'on_time'],
    ['open', 60, 'due_soon'],
    ['open', 0, 'due_soon'],
    ['open', -1, 'overdue'],
    ['fulfilled', -600, null],
    ['cancelled', 600, null],
  ])('highlights a %s request needed in %i minutes as %s', (status, minutes, state) => {
    expect(requestDueState(status, plus(minutes), at)).toBe(state);
  });

  it.each<[number, number]>([
    [90, 90],
    [0.5, 0],
    [-0.5, -1],
    [-90, -90],
  ])('counts %f minutes to the needed-by time as %i whole minutes', (minutes, expected) => {
    expect(minutesLeft(plus(minutes), at)).toBe(expected);
  });
});

describe('loans and the overdue list', () => {
  it.each<['person' | 'department', string]>([
    ['person', '2026-03-13T08:00:00.000Z'],
    ['department', '2026-03-11T08:00:00.000Z'],
  ])('lends a chart to a %s for its loan period by default: due %s', (kind, due) => {
    expect(dueBackOf(kind, at).toISOString()).toBe(due);
  });

  it.each<[string, Date, string | null]>([
    ['tomorrow', plus(1440), null],
    ['now', at, 'must be after the check-out'],
    ['yesterday', plus(-1440), 'must be after the check-out'],
    ['in 31 days', plus(31 * 1440), 'is more than 30 days ahead'],
  ])('takes a due-back time of %s: %s', (_, due, problem) => {
    expect(dueBackProblem(due, at)).toBe(problem);
  });

  it.each<[ChartStatus, string | null, boolean, number]>([
    ['out', '2026-03-10T07:59:59.000Z', true, 0],
    ['out', '2026-03-10T08:00:00.000Z', false, 0],
    ['out', '2026-03-07T08:00:00.000Z', true, 3],
    ['out', '2026-03-07T08:00:01.000Z', true, 2],
    ['in', '2026-03-01T08:00:00.000Z', false, 9],
    ['out', null, false, 0],
  ])('a chart %s due back %s is overdue: %s (whole days past due: %i)', (status, due, overdue, days) => {
    expect(isChartOverdue({ status, due_back_at: due }, at)).toBe(overdue);
    if (due) expect(daysOverdue(due, at)).toBe(days);
  });
});

describe('state transitions', () => {
  it.each<[ChartStatus, ChartAction, boolean, ReturnType<typeof chartStep>]>([
    ['in', 'check_out', false, { kind: 'move', movement: 'check_out', status: 'out' }],
    ['out', 'check_out', false, { kind: 'move', movement: 'transfer', status: 'out' }],
    ['out', 'check_in', false, { kind: 'move', movement: 'check_in', status: 'in' }],
    ['in', 'check_in', true, { kind: 'noop', message: 'already checked in' }],
    ['in', 'relocate', false, { kind: 'move', movement: 'relocate', status: 'in' }],
    ['in', 'relocate', true, { kind: 'noop', message: 'already filed there' }],
    ['out', 'relocate', false, { kind: 'refuse', message: 'the chart is checked out: check it in first' }],
  ])('a chart that is %s, on %s (already there: %s): %j', (status, action, atDestination, step) => {
    expect(chartStep(status, action, { atDestination })).toEqual(step);
  });

  it.each<[RequestStatus, string | null]>([
    ['open', null],
    ['fulfilled', 'this request is already fulfilled'],
    ['cancelled', 'this request is already cancelled'],
  ])('fulfils or cancels a request that is %s: %s', (status, problem) => {
    expect(requestStepProblem(status)).toBe(problem);
  });
});

describe('chart barcodes', () => {
  it('makes C, nine digits and a Luhn check digit', () => {
    expect(barcodeCheckDigit('7992739871')).toBe(3);
    const code = makeChartBarcode('123456789');
    expect(code).toMatch(/^C\d{10}$/);
    expect(normalizeBarcode(code)).toEqual({ ok: true, barcode: code });
  });

  it.each<[string, ReturnType<typeof normalizeBarcode>]>([
    [' c1234567897\n', { ok: true, barcode: 'C1234567897' }],
    ['C1234567898', { ok: false, problem: 'the check digit does not match: the code was mistyped or misread' }],
    ['MR-000123-V2', { ok: true, barcode: 'MR-000123-V2' }],
    ['ab', { ok: false, problem: 'not a chart barcode (4 to 32 letters, digits or dashes)' }],
    ['C123 456', { ok: false, problem: 'not a chart barcode (4 to 32 letters, digits or dashes)' }],
  ])('reads the scanned code %j as %j', (raw, expected) => {
    expect(normalizeBarcode(raw)).toEqual(expected);
  });
});
