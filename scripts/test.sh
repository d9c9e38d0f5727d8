#!/usr/bin/env bash
# `npm test`: fresh clone → every tier: type-check and lint, unit + integration (vitest), end-to-end (Playwright + Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/ensure-system.sh --with-browser
echo "==> Type-check"
npx tsc -p tsconfig.json --noEmit
echo "==> Lint"
npx eslint . --max-warnings=0
echo "==> Format (prettier --check; npm run format writes it)"
npx prettier --check . --log-level warn
echo "==> Unit + integration tests"
npx vitest run
echo "==> Building the web apps"
npx vite build packages/web --logLevel error
echo "==> End-to-end tests (headless Chromium)"
npx playwright test -c e2e/playwright.config.ts
