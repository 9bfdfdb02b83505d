import { defineConfig } from 'vitest/config';

/** Browser end-to-end tests (playwright-core + Debian's Chromium); `npm run test:e2e`. */
// eslint-disable-next-line no-restricted-syntax -- vitest reads the config's default export
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
    // the dashboard is built once for every file (global-setup.ts)
    globalSetup: ['test/e2e/global-setup.ts'],
    // every API answer is checked against its route's response schema (docs/api.md "Response schemas")
    env: { KEEL_VALIDATE_RESPONSES: '1' },
  },
});
