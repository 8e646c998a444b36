/**
 * What every browser test needs: Debian's Chromium (skipped with the reason when missing), the built web app, and
 * the real server on an ephemeral port over a fresh SQLite database with the demo hospital.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openAppDeps } from '../../src/app/bootstrap.js';
import { loadConfig, repoRoot } from '../../src/config/config.js';
import { buildApp } from '../../src/app/server.js';
import type { AppDeps } from '../../src/app/deps.js';
import type { Clock } from '../../src/core/shared/clock.js';
import { totpCode } from '../../src/modules/auth/index.js';
import { DEMO_ADMIN_TOTP_SECRET, seedDemo, type SeedResult } from '../../src/modules/demo/index.js';
import { expectAccessible, ScreenTracker, trackNewPages } from './accessibility.js';

export { expectAccessible, accessibilityFindings } from './accessibility.js';

export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

/** The suite title, saying why it is skipped when Chromium is missing. */
export function browserSuiteTitle(name: string): string {
  if (hasChromium) return name;
  console.warn(`browser tests skipped: ${chromiumPath} is missing (apt-get install -y chromium)`);
  return `${name} (skipped: ${chromiumPath} is missing)`;
}

export interface DemoServer {
  deps: AppDeps;
  app: FastifyInstance;
  baseUrl: string;
  browser: Browser;
  seeded: SeedResult;
  /** A demo user of the role (every demo user has the documented password). */
  user(role: string): { username: string; password: string };
  /** The screens this suite's pages visited and the ones `expectAccessible` checked. */
  screens: ScreenTracker;
  /** Stops everything; then fails, naming them, when a page visited a screen no `expectAccessible` call checked. */
  close: () => Promise<void>;
}

/**
 * Builds the web app if `isBuilt` says the build is missing or stale, seeds a demo hospital of `patients`, starts the
 * server on 127.0.0.1 and Chromium. `withCodeSets` loads the code sets first so page waits stay short.
 */
export async function startDemoServer(opts: {
  patients: number;
  withCodeSets?: boolean;
  isBuilt?: () => boolean;
  /** The server's clock (e.g. a manual one the test advances); the system clock by default. */
  clock?: Clock;
  /**
   * `required` (the default): `close()` fails when a page visited a screen no `expectAccessible` call checked.
   * `todo`: only warns — for a suite whose screens are not yet checked; name the issue where it is used.
   */
  accessibilityCoverage?: 'required' | 'todo';
  /** Changes to the wired dependencies before the server is built (e.g. a small CAC knowledge instead of the build). */
  prepare?: (deps: AppDeps) => void;
  /** Seed the billing demo too (final-coded stays with claims): loads the grouper and code sets first. */
  billing?: boolean;
}): Promise<DemoServer> {
  const isBuilt = opts.isBuilt ?? (() => existsSync(path.join(repoRoot, 'dist', 'web', 'index.html')));
  if (!isBuilt()) execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
  const dir = mkdtempSync(path.join(tmpdir(), 'custodian-browser-'));
  const config = loadConfig({
    CUSTODIAN_VAR_DIR: dir,
    CUSTODIAN_DATABASE_URL: path.join(dir, 'custodian.sqlite'),
    CUSTODIAN_LOG_LEVEL: 'silent',
    CUSTODIAN_PORT: '0',
    CUSTODIAN_HOST: '127.0.0.1',
  });
  const opened = await openAppDeps(config, opts.clock ? { clock: opts.clock } : {});
  const deps = opened.deps;
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;
  const screens = new ScreenTracker();
  const stop = async () => {
    await browser?.close();
    await app?.close();
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const close = async () => {
    await stop();
    const unchecked = screens.unchecked();
    // Issue 26: every screen a browser test visits is checked for WCAG 2.1 AA (test/browser/README.md).
    if (!unchecked.length) return;
    const message = `screens visited but never checked with expectAccessible: ${unchecked.join(', ')}`;
    if (opts.accessibilityCoverage === 'todo') console.warn(message);
    else throw new Error(message);
  };
  try {
    const seeded = await seedDemo(deps, { patients: opts.patients, ...(opts.billing ? { billing: true } : {}) });
    if (opts.withCodeSets) deps.codes.sets();
    opts.prepare?.(deps);
    app = await buildApp(deps);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('server has no TCP address');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    trackNewPages(browser, screens);
    const user = (role: string) => {
      const u = seeded.users.find((x) => x.role === role);
      if (!u) throw new Error(`the demo seed has no ${role}`);
      return u;
    };
    return { deps, app, baseUrl: `http://127.0.0.1:${addr.port}`, browser, seeded, user, screens, close };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Signs `user` in from the start page and waits for the main navigation. The demo administrator also enters the
 * code of its enrolled second factor (`totp`).
 */
export async function signIn(
  page: Page,
  baseUrl: string,
  user: { username: string; password: string },
  opts: { totp?: boolean } = {},
): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (opts.totp) {
    await page.getByLabel('Verification code').fill(totpCode(DEMO_ADMIN_TOTP_SECRET, new Date()));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
  }
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  // Every role's home screen is checked where the tests sign in (issue 26).
  await expectAccessible(page, `${user.username}: home`);
}
