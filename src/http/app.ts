import fs from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { repoRoot, type Config } from '../config/config.js';
import { invalidField } from '../core/errors.js';
import { newId } from '../core/shared/ids.js';
import { findInvalidText } from '../core/shared/text.js';
import type { RouteAccess } from './context.js';
import { problemErrorHandler } from './problem.js';
import { authenticateRequest, type RequestAuthenticator } from './auth-hook.js';

const requestIdPattern = /^[A-Za-z0-9._-]{8,64}$/;

/** What the server is built from; src/app/server.ts (buildApp) passes the modules' parts. */
export interface HttpServerOptions {
  logger: Logger;
  config: Pick<Config, 'bodyLimitBytes' | 'secureCookies'>;
  /** Session resolution and the permission check of each route's access rule (the auth and access modules). */
  authenticator: RequestAuthenticator;
  /** Registers every module's routes on the /api instance (after the auth and text hooks). */
  routes: (api: FastifyInstance) => Promise<void>;
}

/** Builds the HTTP server: API under /api (problem+json, request ids, OpenAPI, auth, CSRF), the web app at /. */
export async function buildHttpServer(opts: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: opts.config.bodyLimitBytes,
    trustProxy: false,
    genReqId: (req) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && requestIdPattern.test(h) ? h : newId();
    },
    // Fastify's own request lines log full URLs; our onResponse hook logs the path without its query string.
    logController: new LogController({ disableRequestLogging: true }),
    // Malformed URLs (a percent-encoding that is not UTF-8) and bad content types answer problem+json too.
    frameworkErrors: (err, req, reply) => void problemErrorHandler(err, req, reply),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(problemErrorHandler);
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);

  // Deny by default: an /api route that does not say who may call it stops start-up.
  const routes: { method: string; url: string; access: RouteAccess }[] = [];
  app.addHook('onRoute', (r) => {
    if (!r.url.startsWith('/api')) return;
    const access = r.config?.access;
    if (!access) throw new Error(`route ${String(r.method)} ${r.url} has no access rule (config.access)`);
    for (const m of ([] as string[]).concat(r.method)) if (m !== 'HEAD') routes.push({ method: m, url: r.url, access });
  });
  app.decorate('apiRoutes', routes);

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // Log one line per request with ids only: the path without query string (it may carry names), status, time, user id.
  app.addHook('onResponse', async (req, reply) => {
    req.log.info(
      {
        method: req.method,
        path: req.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        userId: req.actor?.userId,
      },
      'request',
    );
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        // The transcription editor plays dictation audio it fetched (with the session) as a blob: object URL.
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    hsts: opts.config.secureCookies ? { maxAge: 31536000 } : false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/api')) reply.header('cache-control', 'no-store');
  });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Custodian API',
        version: '0.1.0',
        description: 'Health information management: patients, audit, users, coding. Errors are application/problem+json.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'custodian_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  // onRequest: access is decided before the body is parsed or validated, so callers without access learn nothing of a route's shape.
  app.addHook('onRequest', authenticateRequest(opts.authenticator));
  // preValidation: after access is decided and the body parsed, before the schemas and any handler run.
  app.addHook('preValidation', async (req) => refuseInvalidText(req));
  await app.register(async (api) => opts.routes(api));

  app.setNotFoundHandler((req, reply) => {
    // API paths, other methods and missing build assets get a 404; other GETs are app routes (SPA fallback).
    if (req.url.startsWith('/api') || req.url.startsWith('/assets/') || req.method !== 'GET') {
      return problemErrorHandler(Object.assign(new Error('no such endpoint'), { statusCode: 404 }) as never, req, reply);
    }
    return sendIndex(reply);
  });
  const webDir = path.join(repoRoot, 'dist', 'web');
  const hasWeb = fs.existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
  function sendIndex(reply: import('fastify').FastifyReply) {
    if (!hasWeb) return reply.status(503).type('text/plain').send('The web app is not built: run `npm run build`.');
    return reply.type('text/html').sendFile('index.html');
  }
  return app as unknown as FastifyInstance;
}

/**
 * Refuses (400, naming the field) a request to /api whose parameters, query string or body hold text that the
 * databases would store altered (a lone surrogate becomes U+FFFD) or not at all (PostgreSQL text cannot hold
 * U+0000): see src/core/shared/text.ts. Field names read as in schema validation errors (`body.familyName`).
 */
function refuseInvalidText(req: import('fastify').FastifyRequest): void {
  if (!req.url.startsWith('/api')) return;
  for (const [part, value] of [
    ['params', req.params],
    ['querystring', req.query],
    ['body', req.body],
  ] as const) {
    const bad = findInvalidText(value);
    if (bad) throw invalidField(bad.path ? `${part}.${bad.path}` : part, bad.problem);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    apiRoutes: { method: string; url: string; access: RouteAccess }[];
  }
}
