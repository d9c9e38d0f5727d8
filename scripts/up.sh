#!/usr/bin/env bash
# `npm run up`: fresh clone → running demo on SQLite + local disk, with URLs and logins printed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/ensure-system.sh
echo "==> Building the web apps"
npx vite build packages/web --logLevel error
export DATA_DIR="${DATA_DIR:-./data}"
export PORT="${PORT:-8080}"
node --import tsx scripts/print-demo.ts
exec bash scripts/server.sh
