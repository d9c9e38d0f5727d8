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

export interface RelayOptions {
  everyMs: number;
  thumbBytes: number;
}

function connect(base: string, cookie: string, query: Record<string, string>, localAddress?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(base, { path: '/socket.io', transports: ['websocket'], reconnection: false, query, extraHeaders: cookie ? { cookie } : {}, ...(localAddress ? { localAddress } : {}) });
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

/**
 * The live-monitoring traffic, started socket by socket and measured in named phases: each candidate socket sends
 * a heartbeat and a thumbnail every `everyMs` from its own offset, proctor sockets receive them. A payload counts
 * in the phase that was current when it was sent (`phase = null`: not counted), however late it arrives.
 * bench/realtime connects everything at once and measures one window; bench/morning connects candidates as they
 * log in and measures the whole morning, phase by phase.
 */
export class RelayLoad {
  /** Payloads sent from now on count in this phase; null: not measured. */
  phase: string | null = null;
  readonly results = new Map<string, LoadResult>();
  /** Events that arrived later than `lateMs`: when they were sent (performance.now()), to find where a phase stalls. */
  readonly late: { phase: string; sentAt: number; ms: number }[] = [];
  lateMs = 150;
  private readonly sent = new Map<number, { t: number; phase: string }>();
  private seq = 0;
  private readonly sockets: Socket[] = [];
  private readonly timers: Array<ReturnType<typeof setTimeout>> = [];

  constructor(private readonly o: RelayOptions) {}

  private bucket(phase: string): LoadResult {
    let r = this.results.get(phase);
    if (!r) this.results.set(phase, (r = { status: [], thumbs: [], sentStatus: 0, sentThumbs: 0 }));
    return r;
  }

  private received(n: number, kind: 'status' | 'thumbs') {
    const s = this.sent.get(n);
    if (!s) return;
    const ms = performance.now() - s.t;
    this.bucket(s.phase)[kind].push(ms);
    if (ms > this.lateMs) this.late.push({ phase: s.phase, sentAt: s.t, ms });
  }

  /** A proctor socket (cookie of a staff login, or none for the baseline) watching `sessionId`. */
  async proctor(base: string, cookie: string, sessionId: string, query: Record<string, string> = {}, localAddress?: string): Promise<void> {
    const p = await connect(base, cookie, query, localAddress);
    this.sockets.push(p);
    const ack = (await p.emitWithAck('staff:watch', { sessionId })) as { ok: boolean };
    if (!ack.ok) throw new Error('staff:watch refused');
    p.on('monitor:status', (s: { backlogBytes: number }) => this.received(s.backlogBytes, 'status'));
    p.on('monitor:thumb', (m: { jpeg: ArrayBuffer }) => this.received(Buffer.from(m.jpeg).readUInt32BE(4), 'thumbs'));
  }

  /** A candidate's desktop socket: its first heartbeat and thumbnail after `offsetMs`, then every `everyMs`. */
  async candidate(base: string, cookie: string, query: Record<string, string>, offsetMs: number, localAddress?: string): Promise<Socket> {
    const s = await connect(base, cookie, query, localAddress);
    this.sockets.push(s);
    const tick = () => {
      if (!s.connected) return;
      const phase = this.phase;
      const a = ++this.seq;
      const b = ++this.seq;
      if (phase) {
        this.sent.set(a, { t: performance.now(), phase });
        this.sent.set(b, { t: performance.now(), phase });
        this.bucket(phase).sentStatus++;
        this.bucket(phase).sentThumbs++;
      }
      s.emit('monitor:status', { backlogBytes: a, backlogSegments: 0, camera: true, screen: true });
      s.emit('monitor:thumb', { at: Date.now(), jpeg: thumb(this.o.thumbBytes, b) });
    };
    this.timers.push(
      setTimeout(() => {
        tick();
        this.timers.push(setInterval(tick, this.o.everyMs));
      }, offsetMs),
    );
    return s;
  }

  /** Candidate sockets that lost their connection. */
  dropped(): number {
    return this.sockets.filter((s) => !s.connected).length;
  }

  /** Stops sending, waits a second for late arrivals (they still count), disconnects everything. */
  async stop(): Promise<void> {
    this.phase = null;
    this.timers.forEach((t) => clearInterval(t));
    await new Promise((r) => setTimeout(r, 1000));
    this.sockets.forEach((s) => s.disconnect());
  }
}

export async function runLoad(seed: Seeded, o: LoadOptions): Promise<LoadResult> {
  const load = new RelayLoad(o);
  for (const [r, token] of seed.proctors.entries()) await load.proctor(seed.base, token ? `invigil_sid=${token}` : '', seed.sessionId, { room: String(r) });
  // Each candidate ticks at its own offset in the interval, as real clients started at different times would.
  for (let i = 0; i < seed.candidates.length; i += 50)
    await Promise.all(
      seed.candidates
        .slice(i, i + 50)
        .map((c, j) => load.candidate(seed.base, c.token ? `invigil_sid=${c.token}` : '', { room: String(c.room), attempt: c.attemptId }, ((i + j) / seed.candidates.length) * o.everyMs)),
    );
  await new Promise((r) => setTimeout(r, o.warmupSeconds * 1000));
  load.phase = 'window';
  await new Promise((r) => setTimeout(r, o.seconds * 1000));
  await load.stop();
  return load.results.get('window') ?? { status: [], thumbs: [], sentStatus: 0, sentThumbs: 0 };
}

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
