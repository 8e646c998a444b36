/**
 * The scheduling HTTP API: a clerk sets up a provider and a visit type, finds the first available slot, books it (a
 * second booking of the same slot answers 409), sees it on the calendar, moves it and checks the patient in; a
 * physician reads the calendar but may not book; the provider's iCalendar feed answers by its token alone.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../../../test/support/databases.js';
import { makeActor, makeFacility, makePatientInput } from '../../../test/support/factories.js';
import { makeAppDeps, signIn, type SignedIn } from '../../../test/support/sessions.js';
import { buildApp } from '../../app/server.js';
import { Role } from '../access/index.js';
import { createPatient } from '../patients/index.js';

describe.each(engines)('scheduling HTTP API on %s', (engine) => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let clerk: SignedIn;
  let physician: SignedIn;
  let patientId: string;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    // Friday 2026-03-06 08:00 UTC.
    const deps = makeAppDeps(t, { start: '2026-03-06T08:00:00Z' });
    app = await buildApp(deps);
    await makeFacility(t);
    patientId = (await createPatient(deps, makeActor(Role.himClerk), makePatientInput({}))).id;
    clerk = await signIn(app, deps, Role.himClerk);
    physician = await signIn(app, deps, Role.physician);
  });
  afterEach(async () => {
    await app.close();
    await t.dispose();
  });

  const call = (method: 'GET' | 'POST', url: string, s: SignedIn, payload?: object) =>
    app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken }, ...(payload ? { payload } : {}) });

  it('sets up, finds the first available slot, books it once, shows it on the calendar, moves it and checks the patient in', async () => {
    const provider = await call('POST', '/api/scheduling/resources', clerk, {
      kind: 'provider',
      code: 'DRA',
      name: 'Dr A',
      timeZone: 'America/New_York',
    });
    expect(provider.statusCode).toBe(201);
    const providerId = provider.json<{ id: string }>().id;
    const type = await call('POST', '/api/scheduling/types', clerk, {
      code: 'NEW',
      name: 'New patient visit',
      durationMinutes: 30,
      resourceKinds: ['provider'],
    });
    const typeId = type.json<{ id: string }>().id;
    const templates = [1, 2, 3, 4, 5].map((weekday) => ({
      weekday,
      start: '09:00',
      end: '12:00',
      slotMinutes: 30,
      validFrom: '2026-01-01',
    }));
    expect((await call('POST', `/api/scheduling/resources/${providerId}/templates`, clerk, { templates })).statusCode).toBe(201);
    const setup = await call('GET', '/api/scheduling/setup', physician);
    expect(setup.json()).toMatchObject({ resources: [{ id: providerId, kind: 'provider' }], types: [{ id: typeId, durationMinutes: 30 }] });

    // Friday 08:00 UTC is 03:00 in New York: the first slot is that morning at 09:00 EST (14:00 UTC).
    const first = await call('GET', `/api/scheduling/first-available?typeId=${typeId}&from=2026-03-06T08:00:00Z`, clerk);
    expect(first.json()).toEqual({
      slot: { start: '2026-03-06T14:00:00.000Z', end: '2026-03-06T14:30:00.000Z', resourceIds: [providerId], location: null },
    });
    const booking = { patientId, typeId, resourceIds: [providerId], start: '2026-03-06T14:00:00Z' };
    expect((await call('POST', '/api/scheduling/appointments', physician, booking)).statusCode).toBe(403);
    const booked = await call('POST', '/api/scheduling/appointments', clerk, booking);
    expect(booked.statusCode).toBe(201);
    const id = booked.json<{ id: string }>().id;
    const again = await call('POST', '/api/scheduling/appointments', clerk, booking);
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);

    const calendar = await call('GET', '/api/scheduling/calendar?from=2026-03-06T00:00:00Z&to=2026-03-07T00:00:00Z', physician);
    expect(calendar.json<{ items: { id: string; status: string }[] }>().items.map((a) => [a.id, a.status])).toEqual([[id, 'booked']]);
    const moved = await call('POST', `/api/scheduling/appointments/${id}/reschedule`, clerk, { start: '2026-03-06T15:00:00Z' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ start: '2026-03-06T15:00:00.000Z' });
    const noReason = await call('POST', `/api/scheduling/appointments/${id}/status`, clerk, { status: 'cancelled' });
    expect(noReason.statusCode).toBe(400);
    const checkedIn = await call('POST', `/api/scheduling/appointments/${id}/status`, clerk, { status: 'checked_in' });
    expect(checkedIn.json()).toMatchObject({ id, status: 'checked_in' });

    // The feed: its token is the credential (no session), types and times only.
    const token = (await call('POST', `/api/scheduling/resources/${providerId}/feed-token`, clerk)).json<{ token: string }>().token;
    const feed = await app.inject({ method: 'GET', url: `/api/scheduling/feeds/${token}` });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toMatch(/text\/calendar/);
    expect(feed.body).toContain('BEGIN:VEVENT');
    expect(feed.body).toContain('New patient visit');
    expect((await app.inject({ method: 'GET', url: `/api/scheduling/feeds/${'x'.repeat(32)}` })).statusCode).toBe(404);
  }, 60_000);
});
