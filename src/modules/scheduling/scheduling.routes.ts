import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { Permission } from '../access/index.js';
import { BookSchema, bookAppointment, RescheduleSchema, rescheduleAppointment, setAppointmentStatus } from './appointments.service.js';
import { providerFeed, RemindersSchema, sendReminders } from './reminders.service.js';
import { ChartPullSchema, requestChartsForAppointments } from './chart-pulls.service.js';
import {
  addException,
  addTemplates,
  CalendarQuerySchema,
  createAppointmentType,
  createResource,
  ExceptionSchema,
  firstAvailable,
  issueFeedToken,
  listCalendar,
  listScheduleSetup,
  NewResourceSchema,
  NewTypeSchema,
  TemplateSchema,
} from './setup.service.js';
import { AppointmentStatus } from './scheduling.rules.js';
import type { SchedulingDeps } from './scheduling.views.js';
import { addToWaitlist, listWaitlist, WaitlistSchema } from './waitlist.service.js';

const Id = z.object({ id: z.string().min(1).max(64) });
const StatusBody = z.object({
  status: z.enum([
    AppointmentStatus.checkedIn,
    AppointmentStatus.completed,
    AppointmentStatus.cancelled,
    AppointmentStatus.noShow,
    AppointmentStatus.deleted,
  ]),
  reason: z.string().trim().min(3).max(500).optional(),
});
const FirstAvailableQuery = z.object({
  typeId: z.string().min(1).max(64),
  from: z.iso.datetime({ offset: true }),
  /** Comma-separated resource ids to limit the candidates (e.g. one provider). */
  resourceIds: z.string().max(5000).optional(),
  horizonDays: z.coerce.number().int().min(1).max(366).optional(),
});

/**
 * Scheduling over HTTP: calendars and first available (`schedule:read`), booking, rescheduling, check-in, cancel,
 * no-show, waitlist, set-up and reminders (`schedule:manage`). Patient ids go in bodies; appointment ids in paths. A
 * provider's iCalendar feed is read with its token (no session; the token is the credential, no patient data).
 */
export async function schedulingRoutes(fastify: FastifyInstance, deps: SchedulingDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['scheduling'];
  const read = { access: Permission.scheduleRead };
  const manage = { access: Permission.scheduleManage };

  app.get(
    '/api/scheduling/setup',
    { config: read, schema: { tags, summary: 'Active resources (providers, rooms, equipment) and appointment types' } },
    async (req) => listScheduleSetup(deps, actorOf(req)),
  );
  app.get(
    '/api/scheduling/calendar',
    {
      config: read,
      schema: {
        tags,
        summary: 'Appointments starting in [from, to) (at most 31 days), of one resource or location',
        querystring: CalendarQuerySchema,
      },
    },
    async (req) => ({ items: await listCalendar(deps, actorOf(req), req.query) }),
  );
  app.get(
    '/api/scheduling/first-available',
    { config: read, schema: { tags, summary: 'The earliest free slot for an appointment type', querystring: FirstAvailableQuery } },
    async (req) => {
      const { resourceIds, horizonDays, ...q } = req.query;
      const ids = resourceIds
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return {
        slot: await firstAvailable(deps, actorOf(req), {
          ...q,
          ...(ids ? { resourceIds: ids } : {}),
          ...(horizonDays !== undefined ? { horizonDays } : {}),
        }),
      };
    },
  );
  app.post(
    '/api/scheduling/appointments',
    { config: manage, schema: { tags, summary: 'Book an appointment (one commits per slot; the others get 409)', body: BookSchema } },
    async (req, reply) => reply.status(201).send(await bookAppointment(deps, actorOf(req), req.body)),
  );
  app.post(
    '/api/scheduling/appointments/:id/reschedule',
    { config: manage, schema: { tags, summary: 'Move an appointment (drag on the calendar)', params: Id, body: RescheduleSchema } },
    async (req) => rescheduleAppointment(deps, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/scheduling/appointments/:id/status',
    {
      config: manage,
      schema: { tags, summary: 'Check in, complete, cancel (reason required) or mark a no-show', params: Id, body: StatusBody },
    },
    async (req) => setAppointmentStatus(deps, actorOf(req), req.params.id, req.body.status, { reason: req.body.reason }),
  );
  app.get(
    '/api/scheduling/waitlist',
    { config: manage, schema: { tags, summary: 'Waiting and offered waitlist entries, oldest first' } },
    async (req) => ({ items: await listWaitlist(deps, actorOf(req)) }),
  );
  app.post(
    '/api/scheduling/waitlist',
    { config: manage, schema: { tags, summary: 'Put a patient on the waitlist for an appointment type', body: WaitlistSchema } },
    async (req, reply) => reply.status(201).send(await addToWaitlist(deps, actorOf(req), req.body)),
  );
  app.post(
    '/api/scheduling/reminders',
    { config: manage, schema: { tags, summary: 'Send the reminders of appointments in [from, to) by email', body: RemindersSchema } },
    async (req) => ({ results: await sendReminders(deps, actorOf(req), req.body) }),
  );
  app.post(
    '/api/scheduling/chart-requests',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Request the chart of each appointment in [from, to) (usually tomorrow); once per appointment',
        body: ChartPullSchema,
      },
    },
    async (req) => ({ results: await requestChartsForAppointments(deps, actorOf(req), req.body) }),
  );
  app.post(
    '/api/scheduling/resources',
    { config: manage, schema: { tags, summary: 'Add a provider, room or equipment', body: NewResourceSchema } },
    async (req, reply) => reply.status(201).send(await createResource(deps, actorOf(req), req.body)),
  );
  app.post(
    '/api/scheduling/resources/:id/templates',
    {
      config: manage,
      schema: {
        tags,
        summary: "Add a resource's weekly templates",
        params: Id,
        body: z.object({ templates: z.array(TemplateSchema).min(1).max(50) }),
      },
    },
    async (req, reply) => reply.status(201).send(await addTemplates(deps, actorOf(req), req.params.id, req.body.templates)),
  );
  app.post(
    '/api/scheduling/resources/:id/feed-token',
    { config: manage, schema: { tags, summary: 'A new iCalendar feed token for a resource (the old one stops working)', params: Id } },
    async (req) => ({ token: await issueFeedToken(deps, actorOf(req), req.params.id) }),
  );
  app.post(
    '/api/scheduling/types',
    { config: manage, schema: { tags, summary: 'Add an appointment type', body: NewTypeSchema } },
    async (req, reply) => reply.status(201).send(await createAppointmentType(deps, actorOf(req), req.body)),
  );
  app.post(
    '/api/scheduling/exceptions',
    { config: manage, schema: { tags, summary: 'Close a day or add extra hours (holidays, leave)', body: ExceptionSchema } },
    async (req, reply) => reply.status(201).send(await addException(deps, actorOf(req), req.body)),
  );
  app.get(
    '/api/scheduling/feeds/:token',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: "A provider's read-only iCalendar feed (types and times, no patient data)",
        params: z.object({ token: z.string().min(16).max(100) }),
      },
    },
    async (req, reply) => reply.header('content-type', 'text/calendar; charset=utf-8').send(await providerFeed(deps, req.params.token)),
  );
}
