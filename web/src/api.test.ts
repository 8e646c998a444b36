import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  ApiError,
  problemOf,
  queryString,
  request,
  setActivityHandler,
  setCsrfToken,
  setSessionLostHandler,
  toSession,
} from './api.js';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
  setCsrfToken(null);
  setSessionLostHandler(null);
  setActivityHandler(null);
});

/** Answers every fetch with `res` and keeps the requests the client made. */
function serve(res: () => Response): { method: string; url: string; headers: Headers; body: string | null }[] {
  const seen: { method: string; url: string; headers: Headers; body: string | null }[] = [];
  globalThis.fetch = (async (url: string, init: RequestInit = {}) => {
    seen.push({ method: init.method ?? 'GET', url, headers: new Headers(init.headers), body: (init.body as string | undefined) ?? null });
    return res();
  }) as typeof fetch;
  return seen;
}

const problem = (status: number, body: object) =>
  new Response(JSON.stringify({ status, ...body }), { status, headers: { 'content-type': 'application/problem+json' } });

describe('problem+json handling', () => {
  it('takes the message from detail and keeps code, status and request id', async () => {
    const e = await problemOf(
      problem(423, { title: 'Locked', detail: 'account locked for 15 minutes', code: 'locked', requestId: 'r-123' }),
    );
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message, e.requestId]).toEqual([423, 'locked', 'account locked for 15 minutes', 'r-123']);
  });

  it('maps field errors to the last segment of the field path', async () => {
    const e = await problemOf(
      problem(400, {
        detail: 'body.username: required',
        code: 'invalid',
        errors: [
          { field: 'body.username', message: 'required' },
          { field: 'body.address.postalCode', message: 'too long' },
        ],
      }),
    );
    expect(e.fieldErrors).toEqual({ username: 'required', postalCode: 'too long' });
  });

  it('gives a readable message when a proxy answers with HTML', async () => {
    const e = await problemOf(new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
    expect(e.status).toBe(502);
    expect(e.code).toBe('internal');
    expect(e.message).toMatch(/could not complete/);
  });

  it('reports an unreachable server as a network problem', async () => {
    globalThis.fetch = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(request('GET', '/api/patients')).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});

describe('request', () => {
  it('sends the CSRF token on state-changing requests only', async () => {
    const seen = serve(() => new Response(null, { status: 204 }));
    setCsrfToken('tok-1');
    await request('GET', '/api/users');
    await request('POST', '/api/users/u1/disable', { body: {} });
    expect(seen[0]!.headers.get('x-csrf-token')).toBeNull();
    expect(seen[1]!.headers.get('x-csrf-token')).toBe('tok-1');
    expect(seen[1]!.headers.get('content-type')).toBe('application/json');
  });

  it('sends no content type without a body (Fastify rejects an empty JSON body)', async () => {
    const seen = serve(() => new Response(null, { status: 204 }));
    await request('POST', '/api/auth/logout');
    expect(seen[0]!.headers.get('content-type')).toBeNull();
  });

  it('resolves 204 to undefined and JSON to the parsed body', async () => {
    serve(() => new Response(null, { status: 204 }));
    expect(await request('POST', '/x', { body: {} })).toBeUndefined();
    serve(() => Response.json({ items: [1] }));
    expect(await request('GET', '/x')).toEqual({ items: [1] });
  });

  it('treats a 401 on an authenticated call as a lost session', async () => {
    let lost: ApiError | null = null;
    setSessionLostHandler((e) => {
      lost = e;
    });
    serve(() => problem(401, { detail: 'your session has ended; sign in again', code: 'unauthenticated' }));
    await expect(request('GET', '/api/patients?q=x')).rejects.toBeInstanceOf(ApiError);
    expect(lost).not.toBeNull();
  });

  it('does not treat wrong credentials or a second-factor prompt at login as a lost session', async () => {
    let lost = 0;
    setSessionLostHandler(() => {
      lost++;
    });
    serve(() => problem(401, { detail: 'wrong username or password', code: 'unauthenticated' }));
    await expect(api.login('coder', 'nope')).rejects.toMatchObject({ code: 'unauthenticated' });
    serve(() => problem(401, { detail: 'enter the code from your authenticator app', code: 'mfa_required' }));
    await expect(api.login('admin', 'pw')).rejects.toMatchObject({ code: 'mfa_required' });
    expect(lost).toBe(0);
  });

  it('sends search text in a POST body, never in a URL', async () => {
    const seen = serve(() => Response.json({ items: [] }));
    await api.searchPatients('smith, john');
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/patients/search' });
    expect(seen[0]!.url).not.toContain('smith');
    expect(JSON.parse(seen[0]!.body!)).toEqual({ q: 'smith, john', limit: 25 });
  });
});

describe('queryString', () => {
  it('leaves out empty and missing values', () => {
    expect(queryString({ patientId: 'p1', userId: '', action: undefined, afterSeq: null, limit: 100 })).toBe('?patientId=p1&limit=100');
    expect(queryString({ a: '' })).toBe('');
  });
});

describe('toSession', () => {
  it('reads a nested user and the permission list', () => {
    const s = toSession({
      session: { id: 's1', csrfToken: 't', expiresAt: '2026-01-01T00:15:00Z', mfaEnrollmentRequired: false },
      user: { id: 'u1', username: 'coder', displayName: 'Casey Coder', role: 'coder', mfaEnabled: false },
      permissions: ['patient:search'],
      idleTimeoutSeconds: 600,
    });
    expect(s).toEqual({
      user: { id: 'u1', username: 'coder', displayName: 'Casey Coder', role: 'coder', mfaEnabled: false },
      permissions: ['patient:search'],
      csrfToken: 't',
      idleTimeoutSeconds: 600,
      mfaSetupRequired: false,
    });
  });

  it('asks an administrator without a second factor to enrol', () => {
    expect(toSession({ user: { id: 'a', username: 'admin', role: 'administrator', mfaEnabled: false } }).mfaSetupRequired).toBe(true);
    expect(toSession({ user: { id: 'a', username: 'admin', role: 'administrator', mfaEnabled: true } }).mfaSetupRequired).toBe(false);
  });

  it('follows the server when it says whether enrolment is needed', () => {
    expect(
      toSession({ session: { csrfToken: 't', mfaEnrollmentRequired: false }, user: { role: 'administrator', mfaEnabled: false } })
        .mfaSetupRequired,
    ).toBe(false);
    expect(
      toSession({ session: { csrfToken: 't', mfaEnrollmentRequired: true }, user: { role: 'administrator', mfaEnabled: true } })
        .mfaSetupRequired,
    ).toBe(true);
  });

  it('defaults the idle timeout to 15 minutes when the answer lacks it', () => {
    expect(toSession({ user: { role: 'coder' } }).idleTimeoutSeconds).toBe(900);
  });
});

describe('field named in the message', () => {
  it('attaches "field: message" details of an invalid request to that field', async () => {
    const e = await problemOf(problem(400, { detail: 'password: at least 12 characters', code: 'invalid' }));
    expect(e.fieldErrors).toEqual({ password: 'at least 12 characters' });
  });

  it('leaves other messages alone', async () => {
    const e = await problemOf(problem(409, { detail: 'username: already taken', code: 'conflict' }));
    expect(e.fieldErrors).toEqual({});
  });
});
