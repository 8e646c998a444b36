import { describe, expect, it } from 'vitest';
import { ApiError } from './api.js';
import { chartPullSummary, explainSchedulingError, readableTextOn, tomorrowWindow } from './scheduling-api.js';

describe('explainSchedulingError (why a booking or a drag was refused)', () => {
  it('turns the conflict reasons into one sentence, each reason once', () => {
    const e = new ApiError({
      status: 409,
      code: 'conflict',
      detail: 'outside_hours: Dr A has no open slot then; patient_double_booked: at 09:00; outside_hours: Room has no slot',
    });
    expect(explainSchedulingError(e)).toBe('Not possible: outside the hours of the schedule; the patient already has an appointment then.');
  });
  it("keeps the server's message for other errors", () => {
    expect(explainSchedulingError(new ApiError({ status: 400, code: 'invalid', detail: 'start: must be a date-time' }))).toBe(
      'start: must be a date-time',
    );
  });
});

describe('readableTextOn (event text on the type colour, WCAG 1.4.3)', () => {
  it.each([
    ['#1d6fb8', '#ffffff'],
    ['#6b7280', '#ffffff'],
    ['#fde047', '#000000'],
    ['#ffffff', '#000000'],
    ['not a colour', '#ffffff'],
  ])('%s -> %s', (bg, fg) => expect(readableTextOn(bg)).toBe(fg));
});

describe('chart pulls for tomorrow', () => {
  it('spans the next local day', () => {
    const w = tomorrowWindow(new Date(2026, 11, 7, 15, 30));
    expect(new Date(w.from)).toEqual(new Date(2026, 11, 8));
    expect(new Date(w.to)).toEqual(new Date(2026, 11, 9));
  });
  it('says what was requested', () => {
    expect(chartPullSummary([{ outcome: 'requested' }, { outcome: 'already_requested' }, { outcome: 'requested' }])).toBe(
      '2 chart request(s) sent to HIM, 1 already requested.',
    );
    expect(chartPullSummary([])).toBe('No appointments tomorrow: no charts to request.');
  });
});
