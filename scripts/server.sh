#!/usr/bin/env bash
# Starts one Invigil server process: every launcher goes through here (npm start, npm run up, up:scaled, the
# systemd unit in docs/deploy.md, the e2e and fault harnesses), so the Node flags the server runs with live in one
# place. Extra Node flags (a benchmark's --cpu-prof, a preloaded probe) come as arguments.
#
# --max-semi-space-size=32: V8's young generation at 32 MiB a half instead of the default 16. At 1,000 candidates
# the server allocates a short-lived request, promise chain and buffer wrapper for 1,000 segments a second, and with
# the default the scavenges that survive this were most of why the event loop stalled for seconds while recording
# (bench/morning, same machine: server stalls over 50 ms 36.6 s → 1.8 s in a minute of recording, segment ack p99
# 4.4 s → 0.3 s, proctor events p99 1.75 s → 0.15 s).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node --max-semi-space-size=32 --import tsx "$@" packages/server/src/main.ts
