import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { Permission } from '../access/index.js';
import * as svc from './patients.service.js';
import * as enc from './encounters.service.js';
import {
  EncounterSearchSchema,
  EncounterUpdateSchema,
  MatchQuerySchema,
  NewEncounterSchema,
  NewPatientSchema,
  PatientUpdateSchema,
} from './patients.schemas.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const EncounterParams = z.object({ id: z.string().min(1).max(64), encounterId: z.string().min(1).max(64) });

/** Patient search, summary, registration, restriction and break-the-glass. */
export async function patientRoutes(fastify: FastifyInstance, deps: svc.PatientDeps & enc.EncounterDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // A POST so that search words (PHI) never appear in a URL, where server and proxy logs would keep them.
  app.post(
    '/api/patients/search',
    {
      config: { access: Permission.patientSearch },
      schema: {
        tags: ['patients'],
        summary: 'Search patients by name, MRN or date of birth',
        body: z.object({ q: z.string().min(1).max(200), limit: z.number().int().min(1).max(100).default(25) }),
      },
    },
    async (req) => ({ items: await svc.searchPatients(deps, actorOf(req), req.body.q, req.body.limit) }),
  );

  app.get(
    '/api/patients/:id',
    {
      config: { access: Permission.patientRead },
      schema: { tags: ['patients'], summary: 'Patient summary (restricted records need break-the-glass)', params: IdParams },
    },
    async (req) => svc.getPatientSummary(deps, actorOf(req), req.params.id),
  );

  app.post(
    '/api/patients',
    {
      config: { access: Permission.patientWrite },
      schema: { tags: ['patients'], summary: 'Register a patient (assigns an MRN)', body: NewPatientSchema },
    },
    async (req, reply) => reply.status(201).send(await svc.createPatient(deps, actorOf(req), req.body)),
  );

  app.get(
    '/api/facilities',
    {
      config: { access: Permission.patientWrite },
      schema: { tags: ['patients'], summary: 'Facilities that register patients (each has its own MRN sequence)' },
    },
    async (req) => ({ items: await svc.listFacilities(deps, actorOf(req)) }),
  );

  // A POST for the same reason as search: the body is the person being registered (PHI).
  app.post(
    '/api/patients/match-candidates',
    {
      config: { access: Permission.patientSearch },
      schema: {
        tags: ['patients'],
        summary: 'Likely existing records for a person about to be registered, with scores (before a new MRN is made)',
        body: MatchQuerySchema.extend({ limit: z.number().int().min(1).max(50).default(10) }),
      },
    },
    async (req) => {
      const { limit, ...person } = req.body;
      return { items: await svc.findMatchCandidates(deps, actorOf(req), person, { limit }) };
    },
  );

  app.patch(
    '/api/patients/:id',
    {
      config: { access: Permission.patientWrite },
      schema: {
        tags: ['patients'],
        summary: 'Change demographics or lists (omitted fields stay; null clears; a list given replaces the stored one)',
        params: IdParams,
        body: PatientUpdateSchema,
      },
    },
    async (req) => svc.updatePatient(deps, actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/patients/:id/encounters',
    {
      config: { access: Permission.encounterRead },
      schema: { tags: ['encounters'], summary: "A patient's encounters, newest first", params: IdParams },
    },
    async (req) => ({ items: await enc.listEncounters(deps, actorOf(req), req.params.id) }),
  );

  app.post(
    '/api/patients/:id/encounters',
    {
      config: { access: Permission.encounterWrite },
      schema: { tags: ['encounters'], summary: 'Add an encounter', params: IdParams, body: NewEncounterSchema },
    },
    async (req, reply) => reply.status(201).send(await enc.createEncounter(deps, actorOf(req), req.params.id, req.body)),
  );

  app.patch(
    '/api/patients/:id/encounters/:encounterId',
    {
      config: { access: Permission.encounterWrite },
      schema: {
        tags: ['encounters'],
        summary: 'Change an encounter (omitted fields stay; null clears)',
        params: EncounterParams,
        body: EncounterUpdateSchema,
      },
    },
    async (req) => enc.updateEncounter(deps, actorOf(req), req.params.id, req.params.encounterId, req.body),
  );

  app.post(
    '/api/patients/:id/encounters/:encounterId/cancel',
    {
      config: { access: Permission.encounterWrite },
      schema: {
        tags: ['encounters'],
        summary: 'Cancel an encounter registered in error',
        params: EncounterParams,
        body: z.object({ reason: z.string().max(200).nullish() }),
      },
    },
    async (req) => enc.cancelEncounter(deps, actorOf(req), req.params.id, req.params.encounterId, req.body.reason ?? null),
  );

  app.post(
    '/api/encounters/search',
    {
      config: { access: Permission.encounterRead },
      schema: {
        tags: ['encounters'],
        summary: 'Encounters by status, type, account number, admit or discharge dates',
        body: EncounterSearchSchema,
      },
    },
    async (req) => ({ items: await enc.searchEncounters(deps, actorOf(req), req.body) }),
  );

  app.post(
    '/api/patients/:id/break-glass',
    {
      config: { access: Permission.patientRead },
      schema: {
        tags: ['patients'],
        summary: 'Break the glass: emergency access to a restricted record, with a reason',
        params: IdParams,
        body: z.object({ reason: z.string().min(10, 'give a reason of at least 10 characters').max(500) }),
      },
    },
    async (req) => svc.breakGlass(deps, actorOf(req), req.params.id, req.body.reason),
  );

  app.post(
    '/api/patients/:id/restriction',
    {
      config: { access: Permission.patientRestrict },
      schema: {
        tags: ['patients'],
        summary: 'Mark a record restricted (VIP, employee) or lift it',
        params: IdParams,
        body: z.object({ restricted: z.boolean(), reason: z.string().max(200).nullish() }),
      },
    },
    async (req, reply) => {
      await svc.setRestriction(deps, actorOf(req), req.params.id, req.body.restricted, req.body.reason ?? null);
      return reply.status(204).send();
    },
  );
}
