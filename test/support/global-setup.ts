/**
 * vitest global setup: a tag for this run's PostgreSQL test schemas (t_<tag>_...), passed to the test processes in
 * the environment, and a teardown that drops them all. Test processes keep their schemas for reuse (see
 * createTestDatabase), so they are dropped here, once, at the end.
 */
import { randomBytes } from 'node:crypto';
import { dropRunSchemas } from './databases.js';

export function setup(): () => Promise<void> {
  const tag = randomBytes(3).toString('hex');
  process.env.CUSTODIAN_TEST_RUN = tag;
  return async () => {
    const url = process.env.TEST_DATABASE_URL;
    if (url) await dropRunSchemas(url, tag);
  };
}
