// Simulated candidates: each uploads three streams (camera, screen, phone) the way the browser uploader does —
// one segment per timeslice, PUT with its SHA-256 over keep-alive HTTP, the next one only after the ack.
// Paced mode produces segments in real time (the load of N real candidates); saturation mode sends back to
// back (the capacity of the server). Bodies are random and hashed once up front, so the client's CPU goes to HTTP.
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';

export const STREAMS = [
  { stream: 'camera', kbps: 530 },
  { stream: 'screen', kbps: 330 },
  { stream: 'phone', kbps: 530 },
] as const;

interface Body {
  buf: Buffer;
  sha: string;
  ms: number;
}

/** One body per stream and timeslice (2, 3, 4 s) at the stream's bitrate. */
function bodies(): Map<string, Body> {
  const m = new Map<string, Body>();
  for (const s of STREAMS)
    for (const sec of [2, 3, 4]) {
      const buf = randomBytes(Math.round((s.kbps * 1000 * sec) / 8));
      m.set(`${s.stream}:${sec}`, { buf, sha: createHash('sha256').update(buf).digest('hex'), ms: sec * 1000 });
    }
  return m;
}

export interface LoadResult {
  seconds: number;
  acked: number;
  failed: number;
  bytes: number;
  latenciesMs: number[];
  /** When each acknowledged request was sent, ms after the window started (same order as latenciesMs). */
  sentAtMs: number[];
  errors: Map<string, number>;
  /** `recordingId:seq` of every acknowledged segment, to check each one is really stored. */
  ackedKeys: string[];
  /** This load generator's own CPU during the window, % of one core: it shares the machine with the server. */
  clientCpuPercent: number;
}

function request(agent: http.Agent, base: URL, method: string, path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: base.hostname, port: base.port, method, path, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface LoadOptions {
  base: string;
  candidates: { attemptId: string; cookie: string; phoneCookie?: string }[];
  seconds: number;
  paced: boolean;
  /** Saturation mode: how many streams upload at once (the rest wait). */
  concurrency?: number;
  /** Called when the measured window starts (after the recordings are open). */
  onStart?: () => void;
  /** Requests still unanswered this long after the window are abandoned and counted as failed. */
  drainSeconds?: number;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const base = new URL(o.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const pool = bodies();
  const result: LoadResult = { seconds: 0, acked: 0, failed: 0, bytes: 0, latenciesMs: [], sentAtMs: [], errors: new Map(), ackedKeys: [], clientCpuPercent: 0 };
  const fail = (why: string) => {
    result.failed++;
    result.errors.set(why, (result.errors.get(why) ?? 0) + 1);
  };

  // Open every recording first (as the browser does when the exam starts); not part of the measured window.
  const streams: { cookie: string; recordingId: string; key: string }[] = [];
  const opens = o.candidates.flatMap((c) => STREAMS.map((s) => ({ c, s })));
  for (let i = 0; i < opens.length; i += 64) {
    await Promise.all(
      opens.slice(i, i + 64).map(async ({ c, s }) => {
        const cookie = s.stream === 'phone' ? (c.phoneCookie ?? c.cookie) : c.cookie;
        const res = await request(
          agent,
          base,
          'POST',
          `/api/attempts/${c.attemptId}/recordings`,
          { cookie, 'content-type': 'application/json' },
          Buffer.from(JSON.stringify({ stream: s.stream, mimeType: 'video/webm;codecs=vp8,opus' })),
        );
        if (res.status !== 200) throw new Error(`open recording: ${res.status} ${res.text}`);
        streams.push({ cookie, recordingId: (JSON.parse(res.text) as { id: string }).id, key: `${s.stream}:${2 + Math.floor(Math.random() * 3)}` });
      }),
    );
  }

  o.onStart?.();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const until = t0 + o.seconds * 1000;
  let abandoned = false;
  const hardStop = setTimeout(
    () => {
      abandoned = true;
      agent.destroy(); // an overloaded server must not stretch the bench without bound
    },
    (o.seconds + (o.drainSeconds ?? 15)) * 1000,
  );
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

  async function upload(s: (typeof streams)[number]) {
    const body = pool.get(s.key)!;
    // Paced: a recorder starts at a random moment and then emits one chunk per timeslice.
    let due = t0 + (o.paced ? Math.random() * body.ms : 0);
    for (let seq = 0; ; seq++) {
      if (o.paced) {
        due += body.ms;
        await sleep(due - performance.now());
      }
      if (performance.now() >= until) return;
      const started = performance.now();
      try {
        const res = await request(
          agent,
          base,
          'PUT',
          `/api/recordings/${s.recordingId}/segments/${seq}`,
          {
            cookie: s.cookie,
            'content-type': 'application/octet-stream',
            'x-segment-sha256': body.sha,
            'x-segment-run': '0',
            'x-segment-recorded-at': String(Date.now()),
            'x-segment-duration-ms': String(body.ms),
          },
          body.buf,
        );
        if (res.status === 200) {
          result.acked++;
          result.bytes += body.buf.length;
          result.latenciesMs.push(performance.now() - started);
          result.sentAtMs.push(started - t0);
          result.ackedKeys.push(`${s.recordingId}:${seq}`);
        } else fail(`HTTP ${res.status} ${res.text.slice(0, 80)}`);
      } catch (e) {
        fail(abandoned ? `no answer ${o.drainSeconds ?? 15} s after the window` : (e as Error).message);
        if (abandoned) return;
      }
    }
  }

  // Saturation: a fixed number of streams upload back to back; the others stay idle.
  await Promise.all((o.paced ? streams : streams.slice(0, o.concurrency ?? 64)).map(upload));
  clearTimeout(hardStop);
  // Until the last answer: an overloaded server that answers late gets no credit for the wait.
  result.seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  result.clientCpuPercent = (cpu.user + cpu.system) / 1e4 / result.seconds;
  agent.destroy();
  return result;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
