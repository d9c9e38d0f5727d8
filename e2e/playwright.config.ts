import { defineConfig } from '@playwright/test';

// One worker: 2 cores, and several specs run real recorders. Browsers are launched by the helpers
// (each test may need its own fake-device flags), always Debian's /usr/bin/chromium.
export default defineConfig({
  testDir: './specs',
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: '../test-results',
  use: { trace: 'off', screenshot: 'only-on-failure' },
});
