/**
 * Scheduling in a real browser (issue 22): an HIM clerk opens a provider's week, finds a patient from the MPI and
 * books a follow-up visit two weeks out, drags it to another time on the FullCalendar grid (the move is saved through
 * the reschedule route), drags it into the lunch break (refused as outside the hours, and put back), and checks the
 * patient in. Real server on an ephemeral port, fresh SQLite database with the demo hospital, Debian's Chromium.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/config/config.js';
import { browserSuiteTitle, expectAccessible, hasChromium, signIn, startDemoServer, type DemoServer } from './support.js';

const title = browserSuiteTitle('scheduling calendar in the browser');

/** True when the built web app already has the Scheduling screen (the server serves dist/web as built). */
function webBuildHasScheduling(): boolean {
  const assets = path.join(repoRoot, 'dist', 'web', 'assets');
  if (!existsSync(path.join(repoRoot, 'dist', 'web', 'index.html')) || !existsSync(assets)) return false;
  return readdirSync(assets).some((f) => f.endsWith('.js') && readFileSync(path.join(assets, f), 'utf8').includes('Find first available'));
}

/** The middle of a time-grid cell: the day's column and the 30-minute lane starting at `time` (HH:mm:ss). */
async function cellPoint(page: Page, date: string, time: string): Promise<{ x: number; y: number }> {
  const col = await page.locator(`td.fc-timegrid-col[data-date="${date}"]`).boundingBox();
  const lane = await page.locator(`td.fc-timegrid-slot-lane[data-time="${time}"]`).boundingBox();
  if (!col || !lane) throw new Error(`no time-grid cell for ${date} ${time}`);
  return { x: col.x + col.width / 2, y: lane.y + 4 };
}

/** Drags the event from its top edge to the top of the lane at `time`, in small steps as a hand would. */
async function dragEvent(page: Page, name: string, date: string, time: string): Promise<void> {
  const box = await page.locator('.fc-timegrid-event', { hasText: name }).boundingBox();
  if (!box) throw new Error(`no event of ${name} on the grid`);
  const to = await cellPoint(page, date, time);
  await page.mouse.move(box.x + box.width / 2, box.y + 4);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + 20, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

describe.skipIf(!hasChromium)(title, () => {
  let started: DemoServer | undefined;
  let server: DemoServer;

  beforeAll(async () => {
    started = await startDemoServer({ patients: 12, isBuilt: webBuildHasScheduling });
    server = started;
  }, 180_000);

  afterAll(async () => {
    await started?.close();
  });

  it('books a visit for a patient found in the MPI, moves it by dragging, refuses a move into the lunch break, and checks the patient in', async () => {
    const { db } = server.deps;
    const patient = await db
      .selectFrom('patients')
      .select(['id', 'family_name', 'given_name', 'mrn'])
      .where('restricted', '=', 0)
      .orderBy('mrn')
      .executeTakeFirstOrThrow();
    const name = `${patient.family_name}, ${patient.given_name}`;
    // Two weeks out, on a Tuesday: past the demo's week of appointments, so the day is free.
    const day = DateTime.local().plus({ weeks: 2 }).set({ weekday: 2 }).startOf('day');
    const date = day.toISODate();
    const page = await server.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await signIn(page, server.baseUrl, server.user('him_clerk'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Scheduling' }).click();
      await page.getByRole('heading', { name: 'Scheduling', level: 1 }).waitFor();
      await page.locator('.fc-timegrid-event').first().waitFor();
      await expectAccessible(page, 'clerk: Scheduling, the week of the first provider');
      expect(await page.getByLabel('Calendar of', { exact: true }).inputValue()).not.toBe('');

      // Book: find the patient, a follow-up visit, Tuesday 09:00 typed in the Start field.
      await page.getByLabel('Patient name or MRN').fill(patient.mrn);
      await page.getByRole('button', { name: 'Find patient' }).click();
      await page
        .getByRole('list', { name: 'Patients found' })
        .getByRole('button', { name: new RegExp(patient.mrn) })
        .click();
      await page.getByLabel('Appointment type').selectOption({ label: 'Follow-up visit (30 min)' });
      await page.getByLabel('Start', { exact: true }).fill(`${date}T09:00`);
      await page.getByRole('button', { name: 'Book appointment' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Booked ${name}` })
        .waitFor();
      const event = page.locator('.fc-timegrid-event', { hasText: name });
      await event.waitFor();
      await expectAccessible(page, 'clerk: Scheduling, an appointment booked and open');
      const booked = await db
        .selectFrom('sched_appointments')
        .select(['id', 'start_at', 'status'])
        .where('patient_id', '=', patient.id)
        .where('start_at', '>=', day.toUTC().toISO())
        .executeTakeFirstOrThrow();
      expect(booked.start_at).toBe(day.set({ hour: 9 }).toUTC().toISO());

      // Drag to 10:30 the same day: saved through the reschedule route.
      await dragEvent(page, name, date, '10:30:00');
      await page
        .getByRole('status')
        .filter({ hasText: `Moved ${name}` })
        .waitFor();
      const moved = await db.selectFrom('sched_appointments').select(['start_at']).where('id', '=', booked.id).executeTakeFirstOrThrow();
      expect(moved.start_at).toBe(day.set({ hour: 10, minute: 30 }).toUTC().toISO());

      // Into the lunch break (no session 12:00-13:00): refused with the reason, and the event goes back.
      await dragEvent(page, name, date, '12:00:00');
      await page.getByRole('alert').filter({ hasText: 'outside the hours of the schedule' }).waitFor();
      await expectAccessible(page, 'clerk: Scheduling, a refused move');
      const kept = await db.selectFrom('sched_appointments').select(['start_at']).where('id', '=', booked.id).executeTakeFirstOrThrow();
      expect(kept.start_at).toBe(moved.start_at);
      const back = await event.boundingBox();
      const lane = await cellPoint(page, date, '10:30:00');
      expect(Math.abs(back!.y - (lane.y - 4))).toBeLessThan(6);

      // Check in from the appointment panel (opened from the grid).
      await event.click();
      const panel = page.getByRole('region', { name: 'Appointment' });
      await panel.getByRole('button', { name: 'Check in' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Checked in: ${name}` })
        .waitFor();
      await panel.getByText('Checked in', { exact: true }).waitFor();
      await expectAccessible(page, 'clerk: Scheduling, a patient checked in');
      const done = await db.selectFrom('sched_appointments').select(['status']).where('id', '=', booked.id).executeTakeFirstOrThrow();
      expect(done.status).toBe('checked_in');
    } finally {
      await page.close();
    }
  }, 120_000);
});
