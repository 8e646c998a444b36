import { describe, expect, it } from 'vitest';
import {
  checkBooking,
  ConflictCode,
  generateSlots,
  indexAvailability,
  slotsOfDay,
  statusStepProblem,
  waitlistOffer,
  type AvailabilityException,
  type ResourceRules,
  type WaitlistEntry,
  type WeeklyTemplate,
} from './scheduling.rules.js';
import { findFirstAvailable } from './scheduling.search.js';

const ms = (iso: string) => new Date(iso).getTime();
const iso = (n: number) => new Date(n).toISOString();
const ny: ResourceRules = { id: 'dr-a', kind: 'provider', timeZone: 'America/New_York', maxOverbook: 1 };
const template = (over: Partial<WeeklyTemplate> = {}): WeeklyTemplate => ({
  resourceId: 'dr-a',
  weekday: 1,
  start: '09:00',
  end: '10:00',
  slotMinutes: 30,
  validFrom: '2026-01-01',
  validTo: null,
  locationId: 'clinic-1',
  ...over,
});
const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => template({ weekday }));
const closed = (over: Partial<AvailabilityException>): AvailabilityException => ({
  resourceId: 'dr-a',
  date: '2026-03-09',
  kind: 'closed',
  start: null,
  end: null,
  slotMinutes: null,
  locationId: null,
  ...over,
});

describe('slot generation from weekly templates in the resource time zone (RFC 5545 local time; IANA tz)', () => {
  it.each([
    ['the Friday before the US spring-forward change (EST, UTC-5)', '2026-03-06', ['2026-03-06T14:00:00.000Z', '2026-03-06T14:30:00.000Z']],
    ['the Monday after it (EDT, UTC-4): still 09:00 local', '2026-03-09', ['2026-03-09T13:00:00.000Z', '2026-03-09T13:30:00.000Z']],
    ['the Sunday of the change itself', '2026-03-08', ['2026-03-08T13:00:00.000Z', '2026-03-08T13:30:00.000Z']],
    ['the Sunday of the fall-back change (EST again)', '2026-11-01', ['2026-11-01T14:00:00.000Z', '2026-11-01T14:30:00.000Z']],
  ])('keeps a 09:00 slot at 09:00 local on %s', (_name, date, starts) => {
    const slots = slotsOfDay(indexAvailability(ny, everyDay, []), date);
    expect(slots.map((s) => iso(s.startMs))).toEqual(starts);
    expect(slots.every((s) => s.endMs - s.startMs === 30 * 60_000)).toBe(true);
  });

  it('keeps 09:00 local across the change in a week generated at once', () => {
    const slots = generateSlots(indexAvailability(ny, everyDay, []), ms('2026-03-07T00:00:00Z'), ms('2026-03-10T00:00:00Z'));
    expect(slots.filter((s) => iso(s.startMs).endsWith(':00:00.000Z')).map((s) => iso(s.startMs))).toEqual([
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
    ]);
  });

  it.each([
    ['a holiday (no resource) closes the whole day', [closed({ resourceId: null })], []],
    ['a day off of this resource closes the day', [closed({})], []],
    ['another resource’s day off changes nothing', [closed({ resourceId: 'dr-b' })], ['09:00', '09:30']],
    ['a block (meeting 09:00-09:30) removes the slots it overlaps', [closed({ start: '09:00', end: '09:30' })], ['09:30']],
    ['a block ending mid-slot removes that slot too', [closed({ start: '09:00', end: '09:40' })], []],
    [
      'extra hours add slots of their own length',
      [closed({ kind: 'extra', start: '14:00', end: '14:40', slotMinutes: 20 })],
      ['09:00', '09:30', '14:00', '14:20'],
    ],
  ])('applies exceptions: %s', (_name, exceptions, localStarts) => {
    const slots = slotsOfDay(indexAvailability(ny, [template()], exceptions), '2026-03-09');
    expect(
      slots.map((s) => new Date(s.startMs).toLocaleTimeString('en-GB', { timeZone: ny.timeZone, hour: '2-digit', minute: '2-digit' })),
    ).toEqual(localStarts);
  });

  it.each([
    ['before validFrom', { validFrom: '2026-03-10' }, 0],
    ['after validTo', { validTo: '2026-03-08' }, 0],
    ['on validTo (inclusive)', { validTo: '2026-03-09' }, 2],
    ['on another weekday', { weekday: 2 }, 0],
  ])('uses a template only within its dates and on its weekday: %s', (_name, over, count) => {
    expect(slotsOfDay(indexAvailability(ny, [template(over)], []), '2026-03-09')).toHaveLength(count);
  });
});

describe('booking conflicts and overbooking (clear reasons, resource rules)', () => {
  const slots = slotsOfDay(indexAvailability(ny, [template()], []), '2026-03-09');
  const room: ResourceRules = { id: 'room-1', kind: 'room', timeZone: 'America/New_York', maxOverbook: 0 };
  const roomSlots = slotsOfDay(indexAvailability(room, [template({ resourceId: 'room-1' })], []), '2026-03-09');
  const at9 = ms('2026-03-09T13:00:00Z');
  const booked = (patientId: string, resourceIds: string[], start = at9, minutes = 30) => ({
    appointmentId: `appt-${resourceIds.join('-')}`,
    patientId,
    resourceIds,
    startMs: start,
    endMs: start + minutes * 60_000,
  });
  const base = { patientId: 'p1', startMs: at9, endMs: at9 + 30 * 60_000, overbook: false };
  it.each([
    ['a free slot within hours', { ...base, resources: [{ resource: ny, slots }], existing: [] }, []],
    [
      'a 60-minute visit over two back-to-back slots',
      { ...base, endMs: at9 + 3_600_000, resources: [{ resource: ny, slots }], existing: [] },
      [],
    ],
    [
      'before the session opens',
      { ...base, startMs: at9 - 1_800_000, endMs: at9, resources: [{ resource: ny, slots }], existing: [] },
      [ConflictCode.outsideHours],
    ],
    [
      'running past the session end',
      { ...base, endMs: at9 + 5_400_000, resources: [{ resource: ny, slots }], existing: [] },
      [ConflictCode.outsideHours],
    ],
    [
      'off a slot boundary',
      { ...base, startMs: at9 + 600_000, endMs: at9 + 2_400_000, resources: [{ resource: ny, slots }], existing: [] },
      [ConflictCode.outsideHours],
    ],
    [
      'a provider already booked',
      { ...base, resources: [{ resource: ny, slots }], existing: [booked('p2', ['dr-a'])] },
      [ConflictCode.resourceTaken],
    ],
    [
      'a provider booked by an overlapping longer visit',
      {
        ...base,
        startMs: at9 + 1_800_000,
        endMs: at9 + 3_600_000,
        resources: [{ resource: ny, slots }],
        existing: [booked('p2', ['dr-a'], at9, 60)],
      },
      [ConflictCode.resourceTaken],
    ],
    [
      'the patient booked elsewhere at that time',
      { ...base, resources: [{ resource: ny, slots }], existing: [booked('p1', ['dr-z'])] },
      [ConflictCode.patientDoubleBooked],
    ],
    [
      'the patient booked elsewhere, even when overbooking',
      { ...base, overbook: true, resources: [{ resource: ny, slots }], existing: [booked('p1', ['dr-z'])] },
      [ConflictCode.patientDoubleBooked],
    ],
    [
      'overbooking within the provider’s limit (1)',
      { ...base, overbook: true, resources: [{ resource: ny, slots }], existing: [booked('p2', ['dr-a'])] },
      [],
    ],
    [
      'overbooking past the provider’s limit',
      { ...base, overbook: true, resources: [{ resource: ny, slots }], existing: [booked('p2', ['dr-a']), booked('p3', ['dr-a'])] },
      [ConflictCode.overbookLimit],
    ],
    [
      'overbooking a room that allows none',
      {
        ...base,
        overbook: true,
        resources: [
          { resource: ny, slots },
          { resource: room, slots: roomSlots },
        ],
        existing: [booked('p2', ['room-1'])],
      },
      [ConflictCode.overbookLimit],
    ],
  ])('%s', (_name, check, codes) => {
    const result = checkBooking(check);
    expect(result.conflicts.map((c) => c.code)).toEqual(codes);
    if (codes.length === 0) expect(result.holds.length).toBe(check.resources.length);
    else expect(result.holds).toEqual([]);
    for (const c of result.conflicts) expect(c.message).not.toContain('p1');
  });

  it('gives an overbooking the next position, so the database’s unique hold keeps regular bookings one per slot', () => {
    const result = checkBooking({ ...base, overbook: true, resources: [{ resource: ny, slots }], existing: [booked('p2', ['dr-a'])] });
    expect(result.holds).toEqual([{ resourceId: 'dr-a', cellStartsMs: [at9], seq: 1 }]);
  });
});

describe('appointment status steps', () => {
  it.each([
    ['booked', 'checked_in', null],
    ['booked', 'no_show', null],
    ['booked', 'cancelled', null],
    ['checked_in', 'completed', null],
    ['cancelled', 'checked_in', 'an appointment that is cancelled cannot become checked_in'],
    ['no_show', 'checked_in', 'an appointment that is no_show cannot become checked_in'],
    ['completed', 'cancelled', 'an appointment that is completed cannot become cancelled'],
  ] as const)('%s -> %s', (from, to, problem) => {
    expect(statusStepProblem(from, to)).toBe(problem);
  });
});

describe('waitlist: a freed slot is offered to the longest-waiting patient it fits', () => {
  const entry = (id: string, over: Partial<WaitlistEntry> = {}): WaitlistEntry => ({
    id,
    patientId: `patient-${id}`,
    typeId: 'new-visit',
    resourceId: null,
    earliestMs: ms('2026-03-01T00:00:00Z'),
    latestMs: ms('2026-03-31T00:00:00Z'),
    createdAt: `2026-02-0${id}T00:00:00Z`,
    status: 'waiting',
    ...over,
  });
  const freed = {
    typeId: 'new-visit',
    resourceIds: ['dr-a'],
    startMs: ms('2026-03-09T13:00:00Z'),
    endMs: ms('2026-03-09T13:30:00Z'),
    patientId: 'patient-x',
  };
  it.each([
    ['the earliest entry of the type', [entry('2'), entry('1')], '1'],
    ['skips another type', [entry('1', { typeId: 'follow-up' }), entry('2')], '2'],
    ['skips an entry asking for another provider', [entry('1', { resourceId: 'dr-b' }), entry('2')], '2'],
    ['takes an entry asking for this provider', [entry('1', { resourceId: 'dr-a' })], '1'],
    ['skips an entry whose window has not opened', [entry('1', { earliestMs: ms('2026-03-10T00:00:00Z') }), entry('2')], '2'],
    ['skips an entry already offered', [entry('1', { status: 'offered' }), entry('2')], '2'],
    ['skips the patient who freed the slot', [entry('1', { patientId: 'patient-x' }), entry('2')], '2'],
    ['offers nothing when nothing fits', [entry('1', { typeId: 'follow-up' })], null],
  ])('%s', (_name, entries, expected) => {
    expect(waitlistOffer(freed, entries)?.id ?? null).toBe(expected);
  });
});

describe('first available: one resource of every required kind free for the whole duration', () => {
  const drB: ResourceRules = { ...ny, id: 'dr-b', timeZone: 'Europe/London' };
  const room: ResourceRules = { id: 'room-1', kind: 'room', timeZone: 'America/New_York', maxOverbook: 0 };
  const idx = (r: ResourceRules, ts: WeeklyTemplate[]) =>
    indexAvailability(
      r,
      ts.map((t) => ({ ...t, resourceId: r.id })),
      [],
    );
  const from = ms('2026-03-09T00:00:00Z');
  it.each([
    [
      'the earliest free slot of any provider',
      [
        [
          { index: idx(ny, everyDay), booked: [] },
          { index: idx(drB, everyDay), booked: [] },
        ],
      ],
      30,
      '2026-03-09T09:00:00.000Z',
      ['dr-b'],
    ],
    [
      'past a booked slot',
      [[{ index: idx(ny, everyDay), booked: [{ startMs: ms('2026-03-09T13:00:00Z'), endMs: ms('2026-03-09T13:30:00Z') }] }]],
      30,
      '2026-03-09T13:30:00.000Z',
      ['dr-a'],
    ],
    [
      'a 60-minute visit needs two free slots back to back: the next day',
      [[{ index: idx(ny, everyDay), booked: [{ startMs: ms('2026-03-09T13:30:00Z'), endMs: ms('2026-03-09T14:00:00Z') }] }]],
      60,
      '2026-03-10T13:00:00.000Z',
      ['dr-a'],
    ],
    [
      'a provider and a room free together',
      [
        [{ index: idx(ny, everyDay), booked: [] }],
        [{ index: idx(room, everyDay), booked: [{ startMs: ms('2026-03-09T13:00:00Z'), endMs: ms('2026-03-09T13:30:00Z') }] }],
      ],
      30,
      '2026-03-09T13:30:00.000Z',
      ['dr-a', 'room-1'],
    ],
    ['nothing within the horizon', [[{ index: idx(ny, []), booked: [] }]], 30, null, null],
  ])('%s', (_name, groups, minutes, start, resources) => {
    const found = findFirstAvailable({ durationMinutes: minutes, groups, fromMs: from, horizonDays: 14 });
    expect(found ? iso(found.startMs) : null).toBe(start);
    expect(found?.resourceIds ?? null).toEqual(resources);
  });
});
