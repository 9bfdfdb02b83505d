import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'eslint-rules/**/*.test.ts'],
    exclude: ['node_modules', 'web/**', 'test/e2e/**'],
    setupFiles: ['test/setup/fail-on-console.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // every API answer is checked against its route's response schema (docs/api.md "Response schemas")
    env: { KEEL_VALIDATE_RESPONSES: '1' },
  },
});
