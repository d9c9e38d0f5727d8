// Preloaded into each Invigil process a benchmark starts (BENCH_LOOP_WATCH=dir, scripts/faults/lib.ts): one line per
// stall of the process's event loop over 50 ms — "<wall-clock start ms> <ms>" — so the bench can say whether the
// proctor events it saw late were held by the server or by the bench's own process (which reads the proctor's socket).
import fs from 'node:fs';

const file = process.env.BENCH_LOOP_WATCH_FILE;
const TICK = 10;
if (file) {
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const stall = now - last - TICK;
    last = now;
    if (stall > 50) fs.appendFileSync(file, `${Math.round(Date.now() - stall)} ${Math.round(stall)}\n`);
  }, TICK).unref();
}
