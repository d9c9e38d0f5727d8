// The server is the only clock. We keep offset = serverNow − local midpoint from the sample with the smallest
// round trip (REST responses and socket time:ping/pong) and count down from serverNow(); the browser never
// decides anything with it, it only displays.
import { useEffect, useState } from 'react';

let offset = 0;
let bestRtt = Infinity;
let sampledAt = 0;

export function noteServerTime(serverNow: number, t0: number, t1: number) {
  const rtt = t1 - t0;
  // Old samples age out so a laptop whose clock jumps (sleep, NTP) re-syncs.
  const stale = Date.now() - sampledAt > 60_000;
  if (rtt <= bestRtt || stale) {
    bestRtt = rtt;
    offset = serverNow - (t0 + t1) / 2;
    sampledAt = Date.now();
  }
}

export function serverNow(): number {
  return Date.now() + offset;
}

/** Server time, re-rendered every `everyMs`. */
export function useServerNow(everyMs = 500): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const t = setInterval(() => setNow(serverNow()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "11月23日 09:00:00" / "23 Nov 09:00:00": unambiguous in each language (no 11/23 vs 23/11 question). */
export function formatClock(at: number, lang: string): string {
  const d = new Date(at);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return lang === 'en' ? `${d.getDate()} ${MONTHS[d.getMonth()]} ${time}` : `${d.getMonth() + 1}月${d.getDate()}日 ${time}`;
}
