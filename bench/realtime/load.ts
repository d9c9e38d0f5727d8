// The simulated room load, in this process: N candidate sockets sending a status heartbeat and a JPEG thumbnail
// every `everyMs` (spread evenly), and one proctor socket per room receiving them. Each payload carries a
// sequence number so the proctor side can measure send → receive latency on the same clock.
import { io, type Socket } from 'socket.io-client';

export interface Seeded {
  base: string;
  sessionId: string;
  proctors: string[]; // session tokens (empty for the baseline)
  candidates: Array<{ token: string; room: number; attemptId: string }>;
}

export interface LoadOptions {
  everyMs: number;
  thumbBytes: number;
  seconds: number;
  warmupSeconds: number;
  invigil: boolean;
}

export interface LoadResult {
  status: number[]; // latencies (ms) of heartbeats, candidate → proctor
  thumbs: number[];
  sentStatus: number;
  sentThumbs: number;
}

function connect(base: string, token: string, query: Record<string, string>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(base, { path: '/socket.io', transports: ['websocket'], reconnection: false, query, extraHeaders: token ? { cookie: `invigil_sid=${token}` } : {} });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

/** A JPEG-looking buffer (FF D8 FF …) with the sequence number at bytes 4..7. */
function thumb(bytes: number, seq: number): Buffer {
  const b = Buffer.alloc(bytes, 0x55);
  b[0] = 0xff;
  b[1] = 0xd8;
  b[2] = 0xff;
  b.writeUInt32BE(seq, 4);
  return b;
}

export async function runLoad(seed: Seeded, o: LoadOptions): Promise<LoadResult> {
  const sent = new Map<number, number>();
  const inWindow = new Set<number>(); // sent while measuring: only these count, however late they arrive
  let seq = 0;
  const result: LoadResult = { status: [], thumbs: [], sentStatus: 0, sentThumbs: 0 };
  let measuring = false;
  const proctors: Socket[] = [];
  for (const [r, token] of seed.proctors.entries()) {
    const p = await connect(seed.base, token, { room: String(r) });
    const ack = (await p.emitWithAck('staff:watch', { sessionId: seed.sessionId })) as { ok: boolean };
    if (!ack.ok) throw new Error('staff:watch refused');
    p.on('monitor:status', (s: { backlogBytes: number }) => {
      if (inWindow.has(s.backlogBytes)) result.status.push(performance.now() - sent.get(s.backlogBytes)!);
    });
    p.on('monitor:thumb', (m: { jpeg: ArrayBuffer }) => {
      const n = Buffer.from(m.jpeg).readUInt32BE(4);
      if (inWindow.has(n)) result.thumbs.push(performance.now() - sent.get(n)!);
    });
    proctors.push(p);
  }
  const candidates: Socket[] = [];
  for (let i = 0; i < seed.candidates.length; i += 50)
    candidates.push(...(await Promise.all(seed.candidates.slice(i, i + 50).map((c) => connect(seed.base, c.token, { room: String(c.room), attempt: c.attemptId })))));

  // Each candidate ticks at its own offset in the interval, as real clients started at different times would.
  const timers = candidates.map((s, i) =>
    setTimeout(
      () => {
        const tick = () => {
          const a = ++seq;
          sent.set(a, performance.now());
          s.emit('monitor:status', { backlogBytes: a, backlogSegments: 0, camera: true, screen: true });
          const b = ++seq;
          sent.set(b, performance.now());
          s.emit('monitor:thumb', { at: Date.now(), jpeg: thumb(o.thumbBytes, b) });
          if (measuring) {
            inWindow.add(a).add(b);
            result.sentStatus++;
            result.sentThumbs++;
          }
        };
        tick();
        timers[i] = setInterval(tick, o.everyMs);
      },
      (i / candidates.length) * o.everyMs,
    ),
  );
  await new Promise((r) => setTimeout(r, o.warmupSeconds * 1000));
  measuring = true;
  await new Promise((r) => setTimeout(r, o.seconds * 1000));
  measuring = false;
  timers.forEach((t) => clearInterval(t));
  await new Promise((r) => setTimeout(r, 1000)); // late arrivals of the window still count
  [...candidates, ...proctors].forEach((s) => s.disconnect());
  return result;
}

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
