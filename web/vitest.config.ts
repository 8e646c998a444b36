import { defineConfig } from 'vitest/config';

/**
 * Unit tests of the web app's logic (no DOM needed): `npx vitest run --config web/vitest.config.ts`.
 * They also run with `npm test` once the root vitest.config.ts includes `web/src/**\/*.test.ts`.
 */
export default defineConfig({
  test: { include: ['web/src/**/*.test.ts'], root: new URL('..', import.meta.url).pathname },
});
