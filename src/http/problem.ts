import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ErrorCode, isDomainError } from '../core/errors.js';

/** Domain error code -> HTTP status. Not-found and no-access to a patient both answer 404 (no existence leak). */
export const statusOfCode: Record<ErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  mfa_required: 401,
  forbidden: 403,
  break_glass_required: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  precondition_failed: 412,
};

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  requestId: string;
  errors?: { field: string; message: string }[];
}

function send(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  errors?: Problem['errors'],
): FastifyReply {
  const body: Problem = {
    type: `https://custodian.dev/problems/${code}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    code,
    // The path without its query string: query strings may carry search words.
    instance: req.url.split('?')[0]!,
    requestId: req.id,
    ...(errors ? { errors } : {}),
  };
  return reply.status(status).type('application/problem+json').send(body);
}

/** The one error handler: problem+json (RFC 9457) for every failure; unknown errors become 500 with only the request id. */
export function problemErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const errors = err.validation.map((v) => {
      const field = [err.validationContext, ...v.instancePath.split('/').filter(Boolean)].join('.');
      return { field, message: v.message ?? 'invalid' };
    });
    return send(reply, req, 400, 'invalid', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
  if (isDomainError(err)) {
    const { field, problem } = err.details ?? {};
    const errors = typeof field === 'string' && typeof problem === 'string' ? [{ field, message: problem }] : undefined;
    return send(reply, req, statusOfCode[err.code], err.code, err.message, errors);
  }
  const status = err.statusCode ?? 500;
  if (status === 413) return send(reply, req, 413, 'too_large', 'the request body is larger than allowed');
  if (status === 415) return send(reply, req, 415, 'unsupported_media_type', 'send application/json');
  if (status === 404) return send(reply, req, 404, 'not_found', 'no such endpoint');
  if (status >= 400 && status < 500) return send(reply, req, status, 'invalid', err.message.replace(/^body\//, 'body.'));
  // The message line of the stack is left out: driver messages can quote values (PHI).
  req.log.error({ err: { type: err.name, code: err.code, frames: err.stack?.split('\n').slice(1, 8).join('\n') } }, 'unhandled error');
  return send(reply, req, 500, 'internal', `something went wrong; quote request id ${req.id} to support`);
}
