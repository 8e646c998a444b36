import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { anyOf, Permission } from '../access/index.js';
import { locationKinds, NewChartRequestSchema } from './charts.rules.js';
import type { ChartDeps } from './charts.views.js';
import { createLocation, listLocations, LocationUpdateSchema, NewLocationSchema, updateLocation } from './locations.service.js';
import {
  checkInChart,
  checkOutChart,
  createChart,
  DestinationSchema,
  getChart,
  listChartsAtLocation,
  listOverdueCharts,
  NewChartSchema,
  relocateChart,
  searchCharts,
} from './charts.service.js';
import { printChartLabel } from './charts-label.js';
import {
  cancelChartRequest,
  createChartRequest,
  fulfilChartRequest,
  FulfilSchema,
  getChartRequest,
  listChartRequests,
} from './chart-requests.service.js';

const Id = z.object({ id: z.string().min(1).max(64) });
const Barcode = z.string().min(1).max(40);
const asker = anyOf(Permission.chartRequest, Permission.chartTrack);

/**
 * Chart requests and paper chart tracking over HTTP. Barcodes, MRNs and names travel in POST bodies, never in URLs;
 * paths carry ids only.
 */
export async function chartRoutes(fastify: FastifyInstance, deps: ChartDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['charts'];
  const track = { access: Permission.chartTrack };

  app.get(
    '/api/charts/locations',
    {
      config: { access: asker },
      schema: {
        tags,
        summary: 'Chart locations: file-room shelves, departments, persons, off-site boxes (with how many charts are at each)',
        querystring: z.object({ kind: z.enum(locationKinds).optional(), includeInactive: z.enum(['true', 'false']).optional() }),
      },
    },
    async (req) => ({
      items: await listLocations(deps, actorOf(req), { kind: req.query.kind, includeInactive: req.query.includeInactive === 'true' }),
    }),
  );

  app.post(
    '/api/charts/locations',
    { config: track, schema: { tags, summary: 'Add a location (an off-site box with its number and site)', body: NewLocationSchema } },
    async (req, reply) => reply.status(201).send(await createLocation(deps, actorOf(req), req.body)),
  );

  app.patch(
    '/api/charts/locations/:id',
    {
      config: track,
      schema: { tags, summary: 'Rename a location, move a box to another site, or retire it', params: Id, body: LocationUpdateSchema },
    },
    async (req) => updateLocation(deps, actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/charts/locations/:id/charts',
    { config: track, schema: { tags, summary: 'The charts at a location now (what is in a box)', params: Id } },
    async (req) => ({ items: await listChartsAtLocation(deps, actorOf(req), req.params.id) }),
  );

  app.post(
    '/api/charts',
    { config: track, schema: { tags, summary: "Open a patient's paper chart or next volume, with its barcode", body: NewChartSchema } },
    async (req, reply) => reply.status(201).send(await createChart(deps, actorOf(req), req.body)),
  );

  app.post(
    '/api/charts/search',
    {
      config: track,
      schema: { tags, summary: 'Find paper charts by barcode, MRN or name', body: z.object({ q: z.string().min(1).max(120) }) },
    },
    async (req) => ({ items: await searchCharts(deps, actorOf(req), req.body.q) }),
  );

  app.get(
    '/api/charts/overdue',
    { config: track, schema: { tags, summary: 'Charts checked out past their due-back time, most overdue first' } },
    async (req) => ({ items: await listOverdueCharts(deps, actorOf(req)) }),
  );

  app.get(
    '/api/charts/:id',
    { config: track, schema: { tags, summary: 'A paper chart and its movement history', params: Id } },
    async (req) => getChart(deps, actorOf(req), req.params.id),
  );

  app.get(
    '/api/charts/:id/label.svg',
    { config: track, schema: { tags, summary: "The chart's printable label: name, MRN, volume and Code 128 barcode (SVG)", params: Id } },
    async (req, reply) =>
      reply
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(await printChartLabel(deps, actorOf(req), req.params.id)),
  );

  app.post(
    '/api/charts/check-out',
    {
      config: track,
      schema: {
        tags,
        summary: 'Check a chart out by its barcode to a person or department, due back at a time (or after the loan period)',
        body: z.object({ barcode: Barcode, to: DestinationSchema, dueBackAt: z.iso.datetime({ offset: true }).nullish() }),
      },
    },
    async (req) => checkOutChart(deps, actorOf(req), req.body),
  );

  app.post(
    '/api/charts/check-in',
    { config: track, schema: { tags, summary: 'Check a chart in by its barcode: back to its home', body: z.object({ barcode: Barcode }) } },
    async (req) => checkInChart(deps, actorOf(req), req.body),
  );

  app.post(
    '/api/charts/relocate',
    {
      config: track,
      schema: {
        tags,
        summary: 'File a chart that is in at another shelf or in an off-site box (its new home)',
        body: z.object({ barcode: Barcode, locationId: z.string().min(1).max(64) }),
      },
    },
    async (req) => relocateChart(deps, actorOf(req), req.body),
  );

  app.get(
    '/api/charts/requests',
    {
      config: { access: asker },
      schema: {
        tags,
        summary: 'Chart requests: HIM staff the queue (open ones soonest needed first), a clinician their own',
        querystring: z.object({
          status: z.enum(['open', 'fulfilled', 'cancelled', 'all']).optional(),
          mine: z.enum(['true', 'false']).optional(),
        }),
      },
    },
    async (req) => ({ items: await listChartRequests(deps, actorOf(req), { status: req.query.status, mine: req.query.mine === 'true' }) }),
  );

  app.post(
    '/api/charts/requests',
    { config: { access: asker }, schema: { tags, summary: "Ask HIM for a patient's record", body: NewChartRequestSchema } },
    async (req, reply) => reply.status(201).send(await createChartRequest(deps, actorOf(req), req.body)),
  );

  app.get(
    '/api/charts/requests/:id',
    { config: { access: asker }, schema: { tags, summary: 'A chart request with its reason (an audited read of the record)', params: Id } },
    async (req) => getChartRequest(deps, actorOf(req), req.params.id),
  );

  app.post(
    '/api/charts/requests/:id/fulfil',
    {
      config: track,
      schema: {
        tags,
        summary: 'Fulfil a request electronically or by pulling the paper chart (checked out to the requester)',
        params: Id,
        body: FulfilSchema,
      },
    },
    async (req) => fulfilChartRequest(deps, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/charts/requests/:id/cancel',
    {
      config: { access: asker },
      schema: { tags, summary: 'Cancel an open request with a reason', params: Id, body: z.object({ reason: z.string().min(1).max(300) }) },
    },
    async (req) => cancelChartRequest(deps, actorOf(req), req.params.id, req.body.reason),
  );
}
