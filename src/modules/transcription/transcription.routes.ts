import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError, ErrorCode, invalid } from '../../core/errors.js';
import { actorOf } from '../../http/context.js';
import { anyOf, Permission } from '../access/index.js';
import { transcriptionReport, reportCsv, reportXlsx, TranscriptionReportQuerySchema } from './transcription.reports.js';
import { NewDictationSchema, QueueQuerySchema, SaveTextSchema, SignSchema, WORK_TYPES } from './transcription.rules.js';
import {
  claimDictation,
  createDictation,
  getDictation,
  listDictationQueue,
  listDictationVersions,
  readDictationAudio,
  saveDictationText,
  sendForSignature,
  signDictation,
} from './transcription.service.js';
import type { TranscriptionDeps } from './transcription.views.js';

const Id = z.object({ id: z.string().min(1).max(64) });
const NewQuery = z.object({
  patientId: z.string().min(1).max(64).optional(),
  encounterId: z.string().min(1).max(64).optional(),
  workType: z.string().max(16).optional(),
  priority: z.string().max(16).optional(),
});

/** The dictation's fields and audio: multipart (fields + one file), or the raw audio body with the fields in the query. */
async function readUpload(req: FastifyRequest, maxBytes: number): Promise<{ fields: Record<string, string>; bytes: Uint8Array }> {
  if (req.isMultipart()) {
    const fields: Record<string, string> = {};
    let bytes: Uint8Array | undefined;
    for await (const part of req.parts({ limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 256 } })) {
      if (part.type === 'file') {
        const b = await part.toBuffer();
        if (part.file.truncated) throw invalid(`audio: larger than the ${maxBytes} bytes allowed`);
        bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
    if (!bytes) throw invalid('audio: attach the audio file');
    return { fields, bytes };
  }
  if (!Buffer.isBuffer(req.body)) throw invalid('body: send multipart/form-data, or the audio itself with an audio/* Content-Type');
  const q = NewQuery.parse(req.query);
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (typeof v === 'string') fields[k] = v;
  return { fields, bytes: new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.byteLength) };
}

/**
 * Dictation and transcription over HTTP. Paths and queries carry ids only; text travels in bodies; audio is answered
 * as bytes (never cached).
 */
export async function transcriptionRoutes(fastify: FastifyInstance, deps: TranscriptionDeps): Promise<void> {
  await fastify.register(async (scoped) => {
    await scoped.register(multipart, { limits: { fileSize: deps.maxAudioBytes, files: 1 } });
    scoped.addContentTypeParser(/^audio\//, { parseAs: 'buffer', bodyLimit: deps.maxAudioBytes }, (_req, body, done) => done(null, body));
    registerRoutes(scoped, deps);
  });
}

function registerRoutes(fastify: FastifyInstance, deps: TranscriptionDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['transcription'];
  const dictate = { access: Permission.transcriptionDictate };
  const edit = { access: Permission.transcriptionEdit };
  const either = { access: anyOf(Permission.transcriptionDictate, Permission.transcriptionEdit) };

  app.post(
    '/api/transcription/spelling',
    {
      config: either,
      schema: {
        tags,
        summary: 'Words of a report not in the general or medical vocabulary, with suggestions (the text in the body, never stored)',
        body: z.object({ text: z.string().max(200_000) }),
      },
    },
    async (req) => {
      if (!deps.spelling) throw new DomainError(ErrorCode.preconditionFailed, 'spell check is not configured on this server');
      const checker = await deps.spelling();
      return { vocabularySize: checker.size, misspellings: checker.check(req.body.text) };
    },
  );

  app.get(
    '/api/transcription/work-types',
    { config: either, schema: { tags, summary: 'Work types: document type, turnaround hours (routine, STAT) and the normal template' } },
    async () => ({ items: WORK_TYPES }),
  );

  app.get(
    '/api/dictations',
    {
      config: either,
      schema: {
        tags,
        summary: 'The transcription queue (STAT first, then by due time); a physician sees their own',
        querystring: QueueQuerySchema,
      },
    },
    async (req) => ({ items: await listDictationQueue(deps, actorOf(req), req.query) }),
  );

  app.post(
    '/api/dictations',
    {
      config: dictate,
      schema: {
        tags,
        summary:
          'Dictate: multipart (fields patientId, encounterId, workType, priority; file audio) or raw audio/* body with the fields in the query. WAV, FLAC, MP3, M4A/AAC, OGG, WebM, checked by decoding; recognition is queued',
      },
    },
    async (req, reply) => {
      const { fields, bytes } = await readUpload(req, deps.maxAudioBytes);
      const input = NewDictationSchema.safeParse({
        ...fields,
        encounterId: fields.encounterId || undefined,
        priority: fields.priority || undefined,
      });
      if (!input.success) {
        const i = input.error.issues[0]!;
        throw invalid(`${i.path.join('.') || 'input'}: ${i.message}`);
      }
      return reply.status(201).send(await createDictation(deps, actorOf(req), input.data, { bytes }));
    },
  );

  app.get(
    '/api/dictations/:id',
    {
      config: either,
      schema: { tags, summary: 'A dictation with its text, recognized words (timings, confidences) and template', params: Id },
    },
    async (req) => getDictation(deps, actorOf(req), req.params.id),
  );

  app.get(
    '/api/dictations/:id/audio',
    { config: either, schema: { tags, summary: "The dictation's audio (an audited read)", params: Id } },
    async (req, reply) => {
      const a = await readDictationAudio(deps, actorOf(req), req.params.id);
      return reply.header('content-type', a.mediaType).header('cache-control', 'no-store').send(Buffer.from(a.bytes));
    },
  );

  app.get(
    '/api/dictations/:id/versions',
    { config: either, schema: { tags, summary: 'The saved versions of the text (draft, autosaves, send, signature)', params: Id } },
    async (req) => ({ items: await listDictationVersions(deps, actorOf(req), req.params.id) }),
  );

  app.post(
    '/api/dictations/:id/claim',
    { config: edit, schema: { tags, summary: 'Claim a dictation to transcribe it', params: Id } },
    async (req) => claimDictation(deps, actorOf(req), req.params.id),
  );

  app.put(
    '/api/dictations/:id/text',
    {
      config: either,
      schema: { tags, summary: 'Save the text (autosave): a new version over baseVersion', params: Id, body: SaveTextSchema },
    },
    async (req) => saveDictationText(deps, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/dictations/:id/send',
    { config: edit, schema: { tags, summary: "Send the transcription for the physician's signature", params: Id, body: SaveTextSchema } },
    async (req) => sendForSignature(deps, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/dictations/:id/sign',
    {
      config: dictate,
      schema: {
        tags,
        summary: 'Sign (attestation, password re-entered): filed as a document of its type; MDM^T02 queued',
        params: Id,
        body: SignSchema,
      },
    },
    async (req) => signDictation(deps, actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/reports/transcription',
    {
      config: { access: anyOf(Permission.reportsRead, Permission.transcriptionEdit) },
      schema: {
        tags,
        summary: 'Turnaround per physician and work type; lines per hour per transcriptionist (json, csv or xlsx)',
        querystring: TranscriptionReportQuerySchema,
      },
    },
    async (req, reply) => {
      const r = await transcriptionReport(deps, actorOf(req), req.query);
      if (req.query.format === 'csv')
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="transcription-report.csv"')
          .send(reportCsv(r));
      if (req.query.format === 'xlsx')
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', 'attachment; filename="transcription-report.xlsx"')
          .send(Buffer.from(await reportXlsx(r)));
      return r;
    },
  );
}
