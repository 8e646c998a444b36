import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invalid } from '../../core/errors.js';
import { actorOf } from '../../http/context.js';
import { Permission } from '../access/index.js';
import type { DocumentsService } from './documents.service.js';
import { documentStatuses, HoldSchema, MoveSchema, SearchSchema, SignSchema, StatusSchema } from './documents.rules.js';

export interface DocumentsRoutesDeps {
  documents: DocumentsService;
  /** Largest file accepted in an upload (bytes). */
  maxBytes: number;
}

const DocId = z.object({ documentId: z.string().min(1).max(64) });
const VersionParams = DocId.extend({ version: z.coerce.number().int().min(1).max(100_000) });

interface UploadedFile {
  bytes: Uint8Array;
  mediaType: string;
  fileName: string;
}

/** Reads a multipart body: its files (in memory, each at most maxBytes) and its text fields. */
async function readMultipart(
  req: FastifyRequest,
  maxBytes: number,
  maxFiles: number,
): Promise<{ files: UploadedFile[]; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw invalid('body: send multipart/form-data with the file(s) and fields');
  const files: UploadedFile[] = [];
  const fields: Record<string, string> = {};
  for await (const part of req.parts({ limits: { fileSize: maxBytes, files: maxFiles, fields: 30, fieldSize: 4096 } })) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      if (part.file.truncated) throw invalid(`file: larger than the ${Math.floor(maxBytes / 1048576)} MiB allowed`);
      files.push({
        bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        mediaType: part.mimetype,
        fileName: part.filename,
      });
    } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
  }
  if (files.length === 0) throw invalid('file: attach at least one file');
  return { files, fields };
}

const opt = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

/**
 * The legal health record over HTTP. Paths carry ids only; search words travel in POST bodies. Content is answered
 * as bytes with its type and a Content-Disposition (inline for viewing, attachment with ?download=1).
 */
export async function documentRoutes(fastify: FastifyInstance, deps: DocumentsRoutesDeps): Promise<void> {
  await fastify.register(async (scoped) => {
    await scoped.register(multipart, { limits: { fileSize: deps.maxBytes, files: 50 } });
    registerRoutes(scoped, deps);
  });
}

function registerRoutes(fastify: FastifyInstance, deps: DocumentsRoutesDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['documents'];
  const read = { access: Permission.documentRead };
  const write = { access: Permission.documentWrite };
  const admin = { access: Permission.documentAdmin };
  const docs = deps.documents;

  app.get(
    '/api/document-types',
    {
      config: read,
      schema: {
        tags,
        summary: 'The document types (LOINC codes, co-signature, default confidentiality)',
        querystring: z.object({ includeInactive: z.enum(['true', 'false']).optional() }),
      },
    },
    async (req) => ({
      items: await docs.listTypes(actorOf(req), { includeInactive: req.query.includeInactive === 'true' }),
    }),
  );

  app.put(
    '/api/document-types/:code',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Add or change a document type (HIM director)',
        params: z.object({ code: z.string().min(1).max(20) }),
        body: z.unknown(),
      },
    },
    async (req) => docs.updateType(actorOf(req), req.params.code, req.body),
  );

  app.get(
    '/api/patients/:patientId/documents',
    {
      config: read,
      schema: {
        tags,
        summary: "A patient's documents, newest first",
        params: z.object({ patientId: z.string().min(1).max(64) }),
        querystring: z.object({
          encounterId: z.string().max(64).optional(),
          typeCode: z.string().max(20).optional(),
          status: z.enum(documentStatuses).optional(),
        }),
      },
    },
    async (req) => ({ items: await docs.listForPatient(actorOf(req), req.params.patientId, req.query) }),
  );

  app.post(
    '/api/patients/:patientId/documents',
    {
      config: write,
      schema: {
        tags,
        summary: 'File documents (multipart: file(s) and fields typeCode, encounterId, title, serviceAt, status, authorName)',
        params: z.object({ patientId: z.string().min(1).max(64) }),
      },
    },
    async (req, reply) => {
      const { files, fields } = await readMultipart(req, deps.maxBytes, 50);
      const actor = actorOf(req);
      // Each file is filed on its own: one bad file is reported, the others are filed.
      const results: ({ ok: true; fileName: string; document: unknown } | { ok: false; fileName: string; error: string; code: string })[] =
        [];
      for (const f of files) {
        try {
          const document = await docs.fileDocument(actor, {
            patientId: req.params.patientId,
            encounterId: opt(fields.encounterId),
            typeCode: fields.typeCode ?? '',
            title: opt(fields.title),
            serviceAt: opt(fields.serviceAt),
            authorName: opt(fields.authorName),
            status: opt(fields.status) as 'preliminary' | 'final' | undefined,
            source: 'upload',
            content: { bytes: f.bytes, mediaType: f.mediaType, fileName: f.fileName },
          });
          results.push({ ok: true, fileName: f.fileName, document });
        } catch (e) {
          const code = (e as { code?: unknown }).code;
          // Access problems answer the whole request (the same for every file).
          if (code === 'forbidden' || code === 'not_found' || code === 'break_glass_required' || typeof code !== 'string') throw e;
          results.push({ ok: false, fileName: f.fileName, error: (e as Error).message, code });
        }
      }
      const filed = results.filter((r) => r.ok).length;
      return reply
        .status(filed === 0 ? 400 : filed === results.length ? 201 : 207)
        .send({ filed, failed: results.length - filed, results });
    },
  );

  app.get(
    '/api/documents/:documentId',
    { config: read, schema: { tags, summary: 'A document: metadata, versions, signatures, holds', params: DocId } },
    async (req) => docs.getDocument(actorOf(req), req.params.documentId),
  );

  app.get(
    '/api/documents/:documentId/versions/:version/content',
    {
      config: read,
      schema: {
        tags,
        summary: "A version's content (bytes; hash verified)",
        params: VersionParams,
        querystring: z.object({ download: z.enum(['0', '1']).optional() }),
      },
    },
    async (req, reply) => {
      const c = await docs.readContent(actorOf(req), req.params.documentId, req.params.version);
      const name = c.fileName.replace(/[^\w.-]+/g, '_');
      return reply
        .type(c.mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : c.mediaType)
        .header('content-disposition', `${req.query.download === '1' ? 'attachment' : 'inline'}; filename="${name}"`)
        .header('x-content-sha256', c.sha256)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength));
    },
  );

  app.get(
    '/api/documents/:documentId/versions/:version/pages',
    { config: read, schema: { tags, summary: "A version's page text and word boxes (0..1)", params: VersionParams } },
    async (req) => ({
      items: await docs.listPages(actorOf(req), req.params.documentId, req.params.version),
    }),
  );

  app.get(
    '/api/documents/:documentId/versions/:version/pages/:page/image',
    {
      config: read,
      schema: {
        tags,
        summary: 'One page of a TIFF version as PNG, full size or ?size=thumb (for the viewer; an audited content read)',
        params: VersionParams.extend({ page: z.coerce.number().int().min(1).max(100_000) }),
        querystring: z.object({ size: z.enum(['full', 'thumb']).optional() }),
      },
    },
    async (req, reply) => {
      const png = await docs.renderPageImage(actorOf(req), req.params.documentId, req.params.version, req.params.page, req.query.size);
      return reply
        .type('image/png')
        .header('content-disposition', `inline; filename="page-${req.params.page}.png"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
    },
  );

  app.post(
    '/api/documents/:documentId/versions',
    { config: write, schema: { tags, summary: 'Add a version (multipart: file, kind, reason, status)', params: DocId } },
    async (req, reply) => {
      const { files, fields } = await readMultipart(req, deps.maxBytes, 1);
      const f = files[0]!;
      const d = await docs.addVersion(actorOf(req), req.params.documentId, {
        content: { bytes: f.bytes, mediaType: f.mediaType, fileName: f.fileName },
        kind: fields.kind ?? '',
        reason: fields.reason ?? '',
        status: opt(fields.status),
      });
      return reply.status(201).send(d);
    },
  );

  app.post(
    '/api/documents/:documentId/sign',
    {
      config: { access: Permission.documentSign },
      schema: { tags, summary: 'Sign as author or co-signer', params: DocId, body: SignSchema },
    },
    async (req) => docs.sign(actorOf(req), req.params.documentId, req.body),
  );

  app.post(
    '/api/documents/:documentId/status',
    { config: write, schema: { tags, summary: 'Make final, or mark entered in error (with reason)', params: DocId, body: StatusSchema } },
    async (req) => docs.setStatus(actorOf(req), req.params.documentId, req.body.status, req.body.reason),
  );

  app.post(
    '/api/documents/:documentId/move',
    {
      config: admin,
      schema: { tags, summary: 'Move a misfiled document to the right patient or encounter', params: DocId, body: MoveSchema },
    },
    async (req) => docs.moveDocument(actorOf(req), req.params.documentId, req.body),
  );

  app.post(
    '/api/documents/search',
    { config: read, schema: { tags, summary: 'Full-text search (words in the body, never the URL)', body: SearchSchema } },
    async (req) => docs.search(actorOf(req), req.body),
  );

  app.get(
    '/api/misfiles',
    {
      config: admin,
      schema: {
        tags,
        summary: 'The misfile log, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(2000).optional() }),
      },
    },
    async (req) => ({
      items: await docs.listMisfiles(actorOf(req), req.query.limit ? { limit: req.query.limit } : {}),
    }),
  );

  app.get(
    '/api/legal-holds',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Legal holds (active unless all=true)',
        querystring: z.object({ all: z.enum(['true', 'false']).optional() }),
      },
    },
    async (req) => ({
      items: await docs.listHolds(actorOf(req), { activeOnly: req.query.all !== 'true' }),
    }),
  );

  app.post(
    '/api/legal-holds',
    { config: admin, schema: { tags, summary: 'Place a legal hold on a record, encounter or document', body: HoldSchema } },
    async (req, reply) => reply.status(201).send(await docs.placeHold(actorOf(req), req.body)),
  );

  app.post(
    '/api/legal-holds/:holdId/release',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Release a legal hold',
        params: z.object({ holdId: z.string().min(1).max(64) }),
        body: z.object({ reason: z.string().min(3).max(1000) }),
      },
    },
    async (req) => docs.releaseHold(actorOf(req), req.params.holdId, req.body.reason),
  );
}
