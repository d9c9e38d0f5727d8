#!/usr/bin/env bash
# Starts one Invigil server process: every launcher goes through here (npm start, npm run up, up:scaled, the
# systemd unit in docs/deploy.md, the e2e and fault harnesses), so the Node flags the server runs with live in one
# place. Extra Node flags (a benchmark's --cpu-prof, a preloaded probe) come as arguments.
#
# --max-semi-space-size=32: V8's young generation at 32 MiB a half instead of the default 16. At 1,000 candidates
# the server allocates a short-lived request, promise chain and buffer wrapper for each of 1,000 segments a second;
# with the default, its event loop stalled for seconds while recording (bench/morning, same machine, a minute of
# 1,000 candidates recording: stalls over 50 ms 34.7 s → 9.6 s, longest 3.8 → 0.6 s, segment ack p99 4.9 → 1.5 s,
# proctor events p99 1.66 → 0.62 s; 1.8 s of stalls when the load generator on the same 2 cores has the flag too).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node --max-semi-space-size=32 --import tsx "$@" packages/server/src/main.ts
