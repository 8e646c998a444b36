/**
 * The one typed client for Custodian's HTTP API (/api). Cookie session (same origin), CSRF token kept in memory
 * only and sent as `x-csrf-token` on every state-changing request, errors parsed from application/problem+json
 * (RFC 9457) into ApiError. Search words travel only in query strings of XHR calls, never in the page URL.
 */

/** A problem+json body as the server sends it (src/http/problem.ts). */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  requestId?: string;
  errors?: { field: string; message: string }[];
}

/** A failed API call: HTTP status, the server's stable `code`, a message for people, and errors per form field. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  /** Field name (last segment of e.g. `body.username`) -> message. */
  readonly fieldErrors: Record<string, string>;

  constructor(problem: Problem) {
    super(problem.detail || problem.title || `request failed (HTTP ${problem.status})`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code ?? codeOfStatus(problem.status);
    this.requestId = problem.requestId ?? null;
    this.fieldErrors = {};
    for (const e of problem.errors ?? []) {
      const key = e.field.split('.').filter(Boolean).pop() ?? e.field;
      if (!(key in this.fieldErrors)) this.fieldErrors[key] = e.message;
    }
    // Services name the field at the start of the message ("password: at least 12 characters").
    const named = !problem.errors?.length && this.code === 'invalid' ? /^([A-Za-z][\w.]*): (.+)$/s.exec(problem.detail ?? '') : null;
    if (named) this.fieldErrors[named[1]!.split('.').pop()!] = named[2]!;
  }
}

function codeOfStatus(status: number): string {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 423) return 'locked';
  if (status >= 500) return 'internal';
  return 'invalid';
}

/** Turns any non-2xx response into an ApiError; bodies that are not problem+json still give a readable message. */
export async function problemOf(res: Response): Promise<ApiError> {
  let body: unknown;
  const type = res.headers.get('content-type') ?? '';
  try {
    body = type.includes('json') ? await res.json() : null;
  } catch {
    body = null;
  }
  if (body && typeof body === 'object' && ('detail' in body || 'code' in body || 'title' in body)) {
    const p = body as Partial<Problem>;
    return new ApiError({ ...p, status: typeof p.status === 'number' ? p.status : res.status });
  }
  const detail =
    res.status >= 500
      ? 'The server could not complete the request. Try again; if it keeps failing, call the help desk.'
      : `The request failed (HTTP ${res.status}).`;
  return new ApiError({ status: res.status, detail });
}

/** Query string from a record, leaving out empty values. */
export function queryString(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

let csrfToken: string | null = null;
let onSessionLost: ((e: ApiError) => void) | null = null;
let onActivity: (() => void) | null = null;

/** Keeps the CSRF token of the current session (memory only: never localStorage). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * The CSRF token for a state-changing call made outside `request` (an XMLHttpRequest upload that reports its
 * progress); null before sign-in.
 */
export function currentCsrfToken(): string | null {
  return csrfToken;
}

/** Tells the app a call outside `request` answered 401 (returns to sign-in as `request` does). */
export function reportSessionLost(e: ApiError): void {
  if (e.code !== 'mfa_required') onSessionLost?.(e);
}

/** The CSRF header for a state-changing call made with fetch directly (one that answers a file, not JSON). */
export function csrfHeader(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

/** Called when an authenticated request answers 401 (idle timeout, session ended elsewhere). */
export function setSessionLostHandler(fn: ((e: ApiError) => void) | null): void {
  onSessionLost = fn;
}

/** Called after every request that reached the server signed in: the server's idle timer restarted. */
export function setActivityHandler(fn: (() => void) | null): void {
  onActivity = fn;
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Login and session probes answer 401 as part of their normal flow: do not treat it as a lost session. */
  expectUnauthenticated?: boolean;
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One API call. Resolves to the parsed JSON body (undefined for 204), rejects with ApiError. */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (unsafe.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'network', detail: 'The server cannot be reached. Check the network connection and try again.' });
  }
  if (!res.ok) {
    const err = await problemOf(res);
    if (res.status === 401 && !opts.expectUnauthenticated && err.code !== 'mfa_required') onSessionLost?.(err);
    throw err;
  }
  onActivity?.();
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

// ---------------------------------------------------------------------------------------------------------------
// Shapes

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  mfaEnabled: boolean;
}

export interface Session {
  user: SessionUser;
  permissions: string[];
  csrfToken: string;
  idleTimeoutSeconds: number;
  /** True when the user must enrol a second factor before working (administrators). */
  mfaSetupRequired: boolean;
}

function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

/**
 * Reads GET /api/auth/session (or a login answer: `{session: {csrfToken, mfaEnrollmentRequired}, user, permissions,
 * idleTimeoutSeconds}`) into a Session. Tolerates user and session fields at the top level too.
 */
export function toSession(raw: unknown): Session {
  const r = (raw ?? {}) as Record<string, unknown>;
  const u = (r.user && typeof r.user === 'object' ? r.user : r) as Record<string, unknown>;
  const s = (r.session && typeof r.session === 'object' ? r.session : r) as Record<string, unknown>;
  const role = str(u.role);
  const mfaEnabled = u.mfaEnabled === true || u.totpEnabled === true;
  const idle = Number(r.idleTimeoutSeconds ?? (typeof r.idleTimeoutMinutes === 'number' ? r.idleTimeoutMinutes * 60 : 900));
  const explicit = s.mfaEnrollmentRequired ?? r.mfaEnrollmentRequired ?? r.mfaSetupRequired;
  return {
    user: { id: str(u.id ?? u.userId), username: str(u.username), displayName: str(u.displayName, str(u.username)), role, mfaEnabled },
    permissions: Array.isArray(r.permissions) ? r.permissions.filter((p): p is string => typeof p === 'string') : [],
    csrfToken: str(s.csrfToken),
    idleTimeoutSeconds: Number.isFinite(idle) && idle > 0 ? idle : 900,
    mfaSetupRequired: typeof explicit === 'boolean' ? explicit : role === 'administrator' && !mfaEnabled,
  };
}

// The server's own answer types, imported as types only (erased from the bundle), so client and server cannot drift.
import type { AuditEventView, VerifyResult } from '../../src/modules/audit/index.js';
import type { BreakGlassEntry, PatientListItem, PatientSummary } from '../../src/modules/patients/index.js';
export type { PatientListItem, PatientSummary, VerifyResult };
export type AuditEvent = AuditEventView;
export type BreakGlassGrant = BreakGlassEntry;
export type Encounter = PatientSummary['encounters'][number];
export type Address = PatientSummary['patient']['address'];

export interface AuditFilter {
  patientId?: string;
  userId?: string;
  action?: string;
  from?: string;
  to?: string;
}

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: string;
  disabled: boolean;
  mfaEnabled: boolean;
  lockedUntil: string | null;
  /** Work email for chart-completion notices (null: none). */
  email?: string | null;
}

export type UserAction = 'disable' | 'enable' | 'reset-mfa' | 'unlock';

// ---------------------------------------------------------------------------------------------------------------
// Endpoints

const enc = encodeURIComponent;

export const api = {
  /** Sets or clears a user's work email (chart-completion notices are emailed there when SMTP is configured). */
  setUserEmail(id: string, email: string | null): Promise<UserRow> {
    return request('POST', `/api/users/${enc(id)}/email`, { body: { email } });
  },
  async session(): Promise<Session> {
    return toSession(await request<unknown>('GET', '/api/auth/session', { expectUnauthenticated: true }));
  },
  login(username: string, password: string, code?: string): Promise<unknown> {
    return request('POST', '/api/auth/login', {
      body: { username, password, ...(code ? { totp: code } : {}) },
      expectUnauthenticated: true,
    });
  },
  logout(): Promise<void> {
    return request('POST', '/api/auth/logout', { expectUnauthenticated: true });
  },
  mfaSetup(): Promise<{ secret: string; otpauthUrl: string }> {
    return request('POST', '/api/auth/mfa/setup', { body: {} });
  },
  mfaEnable(code: string): Promise<unknown> {
    return request('POST', '/api/auth/mfa/enable', { body: { code } });
  },

  /** Users by name for the audit log's filter (audit:read). */
  userDirectory(): Promise<{ items: { id: string; username: string; displayName: string; role: string }[] }> {
    return request('GET', '/api/users/directory');
  },
  searchPatients(q: string, signal?: AbortSignal): Promise<{ items: PatientListItem[] }> {
    // POST, not GET: search words are PHI and must not appear in URLs (server and proxy logs keep URLs).
    return request('POST', '/api/patients/search', { body: { q, limit: 25 }, ...(signal ? { signal } : {}) });
  },
  patientSummary(id: string, signal?: AbortSignal): Promise<PatientSummary> {
    return request('GET', `/api/patients/${enc(id)}`, signal ? { signal } : {});
  },
  breakGlass(id: string, reason: string): Promise<{ expiresAt: string }> {
    return request('POST', `/api/patients/${enc(id)}/break-glass`, { body: { reason } });
  },

  /** Newest first; `beforeSeq` is the cursor of the next (older) page. */
  auditEvents(f: AuditFilter, beforeSeq: number | null, limit = 100): Promise<{ items: AuditEvent[]; nextBeforeSeq: number | null }> {
    return request('GET', `/api/audit/events${queryString({ ...f, order: 'desc', beforeSeq, limit })}`);
  },
  auditCsvUrl(f: AuditFilter): string {
    return `/api/audit/events.csv${queryString({ ...f })}`;
  },
  verifyAudit(): Promise<VerifyResult> {
    return request('POST', '/api/audit/verify', { body: {} });
  },
  breakGlassGrants(unreviewedOnly: boolean): Promise<{ items: BreakGlassGrant[] }> {
    return request('GET', `/api/audit/break-glass${queryString({ unreviewed: unreviewedOnly ? 'true' : undefined })}`);
  },
  reviewBreakGlass(id: string, note: string): Promise<void> {
    return request('POST', `/api/audit/break-glass/${enc(id)}/review`, { body: { note } });
  },

  users(): Promise<{ items: UserRow[] }> {
    return request('GET', '/api/users');
  },
  createUser(u: { username: string; displayName: string; role: string; password: string }): Promise<unknown> {
    return request('POST', '/api/users', { body: u });
  },
  userAction(id: string, action: UserAction): Promise<unknown> {
    return request('POST', `/api/users/${enc(id)}/${action}`, { body: {} });
  },
};
