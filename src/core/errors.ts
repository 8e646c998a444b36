/**
 * The one domain error hierarchy. Services throw these; the HTTP layer maps `code` to a status
 * (src/http/problem.ts) and the CLI prints `message` on one line. Messages never carry PHI.
 */
export const ErrorCode = {
  invalid: 'invalid',
  unauthenticated: 'unauthenticated',
  mfaRequired: 'mfa_required',
  forbidden: 'forbidden',
  breakGlassRequired: 'break_glass_required',
  notFound: 'not_found',
  conflict: 'conflict',
  locked: 'locked',
  preconditionFailed: 'precondition_failed',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (message: string, details?: Record<string, unknown>) => new DomainError(ErrorCode.invalid, message, details);
/** An invalid value of one field: the message is `field: problem`, and the HTTP answer lists the field. */
export const invalidField = (field: string, problem: string) =>
  new DomainError(ErrorCode.invalid, `${field}: ${problem}`, { field, problem });
export const notFound = (what: string) => new DomainError(ErrorCode.notFound, `${what} not found`);
export const forbidden = (message = 'not permitted') => new DomainError(ErrorCode.forbidden, message);
export const conflict = (message: string) => new DomainError(ErrorCode.conflict, message);
export const unauthenticated = (message = 'authentication required') => new DomainError(ErrorCode.unauthenticated, message);

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
