import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/context.js';
import { Permission } from '../access/index.js';
import { getHl7Message, listHl7Messages, reprocessMessage } from './hl7-log.service.js';
import { receiveHl7, type InterfaceDeps } from './interface.service.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const Status = z.enum(['received', 'applied', 'error', 'rejected', 'duplicate', 'ignored']);

/** The HL7 message log for interface administrators (permission interface:admin). */
export async function interfaceRoutes(fastify: FastifyInstance, deps: InterfaceDeps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const access = Permission.interfaceAdmin;
  app.get(
    '/api/interfaces/hl7/messages',
    {
      config: { access },
      schema: {
        tags: ['interfaces'],
        summary: 'HL7 message log, newest first (no raw text), with counts by status',
        querystring: z.object({
          status: Status.optional(),
          messageType: z.string().max(10).optional(),
          triggerEvent: z.string().max(10).optional(),
          controlId: z.string().max(200).optional(),
          sendingFacility: z.string().max(200).optional(),
          patientId: z.string().max(64).optional(),
          from: z.string().max(40).optional(),
          to: z.string().max(40).optional(),
          before: z.string().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
    },
    async (req) => listHl7Messages(deps, actorOf(req), req.query),
  );

  app.get(
    '/api/interfaces/hl7/messages/:id',
    {
      config: { access },
      schema: { tags: ['interfaces'], summary: 'One message with its raw text (the read is audited)', params: IdParams },
    },
    async (req) => getHl7Message(deps, actorOf(req), req.params.id),
  );

  app.post(
    '/api/interfaces/hl7/messages/:id/reprocess',
    {
      config: { access },
      schema: { tags: ['interfaces'], summary: 'Process a stored message again (not for applied or duplicate ones)', params: IdParams },
    },
    async (req) => reprocessMessage(deps, actorOf(req), req.params.id),
  );

  // For senders without MLLP (and tests): the body is the message, the answer its ACK.
  app.post(
    '/api/interfaces/hl7/messages',
    {
      config: { access },
      schema: {
        tags: ['interfaces'],
        summary: 'Receive one HL7 v2 message (JSON { message }); answers the ACK',
        body: z.object({ message: z.string().min(1).max(1_000_000) }),
      },
    },
    async (req) => {
      const r = await receiveHl7(deps, req.body.message, { channel: 'http' });
      return { messageId: r.messageId, status: r.status, ackCode: r.ackCode, ack: r.ack };
    },
  );
}
