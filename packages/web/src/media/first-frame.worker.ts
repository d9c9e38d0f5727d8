// Reads a video track's frames (a MediaStreamTrackProcessor's readable, handed over by first-frame.ts) off the main
// thread, so a busy page cannot delay or drop what it sees, and answers with the wall-clock time of the first frame.
// A frame's timestamp is on the capture clock, not ours: the offset between the two is the smallest (read time −
// frame timestamp) over the first few frames, i.e. the frame that was read most promptly.
interface Frame {
  timestamp: number; // µs, capture clock
  close(): void;
}
interface Start {
  readable: ReadableStream<Frame>;
  settleMs: number;
  maxFrames: number;
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<Start>) => void) | null; postMessage(m: unknown): void };

scope.onmessage = (e) => void watch(e.data);

async function watch({ readable, settleMs, maxFrames }: Start) {
  const reader = readable.getReader();
  let firstTs: number | null = null;
  let offset = Infinity;
  let frames = 0;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    scope.postMessage({ at: firstTs === null ? null : firstTs + offset });
    void reader.cancel().catch(() => undefined);
  };
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      const wall = performance.timeOrigin + performance.now();
      const ts = r.value.timestamp / 1000;
      r.value.close(); // at once: a held frame would hold the capturer's buffer pool and the recorder with it
      if (done) continue;
      offset = Math.min(offset, wall - ts);
      if (firstTs === null) {
        firstTs = ts;
        setTimeout(finish, settleMs);
      }
      if (++frames >= maxFrames) finish();
    }
  } catch {
    // the track ended or the stream was cancelled
  }
  finish();
}
