import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config/config.js';
import { manualClock } from '../../src/core/shared/clock.js';
import { createFieldCipher } from '../../src/core/shared/crypto.js';
import type { AppDeps } from '../../src/app/deps.js';
import { createAuditLog } from '../../src/modules/audit/index.js';
import { createGroupingService } from '../../src/modules/grouping/index.js';
import { createCodesService } from '../../src/modules/codes/index.js';
import { createRecordAccess, rolesRequiringMfa, systemActor, type Role } from '../../src/modules/access/index.js';
import { patientRecordDirectory } from '../../src/modules/patients/index.js';
import { createPatientMatching } from '../../src/modules/mpi/index.js';
import { codingForQueries } from '../../src/modules/coding/index.js';
import { createUser, enrollTotpWithSecret, SESSION_COOKIE, totpCode } from '../../src/modules/auth/index.js';
import type { TestDatabase } from './databases.js';

/** The TOTP secret signIn enrols for administrators (base32). */
export const TEST_TOTP_SECRET = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
/** The password signIn gives every user it creates. */
export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * Server dependencies over a test database: default settings (from defaults only, not the environment) with
 * `config` overrides, a manual clock (advance it instead of sleeping) and a silent logger. Pass to buildApp.
 */
export function makeAppDeps(
  t: TestDatabase,
  opts: { config?: Partial<Config>; start?: string } = {},
): AppDeps & { clock: ReturnType<typeof manualClock> } {
  // Document blobs and the scan inbox of test servers go to temporary folders, not the checkout's var/.
  const documentsDir = path.join(os.tmpdir(), `custodian-test-documents-${process.pid}`);
  const scanInbox = path.join(os.tmpdir(), `custodian-test-scan-inbox-${process.pid}`);
  const dictationsDir = path.join(os.tmpdir(), `custodian-test-dictations-${process.pid}`);
  const config = Object.freeze({ ...loadConfig({}, {}, { documentsDir, scanInbox, dictationsDir }), ...opts.config });
  const clock = manualClock(opts.start ?? '2026-03-01T08:00:00Z');
  const audit = createAuditLog({ clock });
  const cipher = createFieldCipher(undefined);
  return {
    config,
    db: t.db,
    engine: t.engine,
    clock,
    cipher,
    audit,
    records: createRecordAccess({ db: t.db, clock, audit, directory: patientRecordDirectory }),
    logger: pino({ level: 'silent' }),
    grouping: createGroupingService({ dataDir: config.dataDir }),
    codes: createCodesService({ dataDir: config.dataDir, codesetsDir: config.codesetsDir }),
    matching: createPatientMatching({ cipher, config }),
    coding: codingForQueries,
  };
}

export interface SignedIn {
  /** The Cookie header value: `custodian_session=<token>`. */
  cookie: string;
  /** Send as the x-csrf-token header on POST, PUT, PATCH and DELETE. */
  csrfToken: string;
  userId: string;
  username: string;
}

let counter = 0;

/**
 * Creates a user of `role` (administrators with TOTP enrolled, the code made with otpauth at the deps' clock) and
 * signs in through POST /api/auth/login. Use the answer's headers on app.inject:
 * `headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken }`.
 */
export async function signIn(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'db' | 'clock' | 'audit' | 'cipher'>,
  role: Role,
  opts: { username?: string; displayName?: string } = {},
): Promise<SignedIn> {
  counter++;
  const username = opts.username ?? `${role.replace(/_/g, '-')}-${counter}-${randomBytes(3).toString('hex')}`;
  const user = await createUser(deps, systemActor('test'), {
    username,
    displayName: opts.displayName ?? `Test ${role} ${counter}`,
    role,
    password: TEST_PASSWORD,
  });
  let totp: string | undefined;
  if (rolesRequiringMfa.has(role)) {
    await enrollTotpWithSecret(deps, user.id, TEST_TOTP_SECRET);
    totp = totpCode(TEST_TOTP_SECRET, deps.clock.now());
  }
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { 'user-agent': 'vitest' },
    payload: { username, password: TEST_PASSWORD, ...(totp ? { totp } : {}) },
  });
  if (res.statusCode !== 200) throw new Error(`signIn(${role}) failed: ${res.statusCode} ${res.body}`);
  const token = res.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
  if (!token) throw new Error('signIn: the login answer set no session cookie');
  return {
    cookie: `${SESSION_COOKIE}=${token}`,
    csrfToken: res.json<{ csrfToken: string }>().csrfToken,
    userId: user.id,
    username: user.username,
  };
}
