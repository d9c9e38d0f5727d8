import { defineConfig } from 'vitest/config';

// Unit + integration tiers (server through app.inject, real SQLite, PostgreSQL when TEST_DATABASE_URL is set).
// End-to-end specs live in e2e/ and run under Playwright.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
