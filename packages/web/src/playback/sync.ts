// Pure time mapping for synchronized playback. Each stream's assembled file is its runs joined end to end (the
// gaps cut out); a run knows its recorded wall-clock start. Playback runs on one wall-clock position, and each
// stream is placed at the file time that was recorded at that moment — or shows the gap it has there.
export interface Run {
  startAt: number; // epoch ms
  offsetSec: number; // where the run begins in the file
  seconds: number;
}

const endOf = (r: Run) => r.startAt + r.seconds * 1000;

/** File time (s) that was recorded at wall-clock `at`, or null when the stream has nothing there. */
export function fileTimeAt(runs: readonly Run[], at: number): number | null {
  for (const r of runs) if (at >= r.startAt && at < endOf(r)) return r.offsetSec + (at - r.startAt) / 1000;
  return null;
}

/** Wall-clock time of a file position (s), or null past the end. */
export function wallAt(runs: readonly Run[], fileSec: number): number | null {
  for (const r of runs) if (fileSec >= r.offsetSec && fileSec < r.offsetSec + r.seconds) return r.startAt + (fileSec - r.offsetSec) * 1000;
  return null;
}

export interface Hole {
  fromAt: number;
  toAt: number;
  /** 'gap' between two runs (an interruption); 'before' / 'after' the stream's recording. */
  kind: 'gap' | 'before' | 'after';
}

/** The stretch without recording around `at`, when `at` falls outside every run. */
export function holeAt(runs: readonly Run[], at: number, span: { startAt: number; endAt: number }): Hole | null {
  if (fileTimeAt(runs, at) !== null) return null;
  const sorted = [...runs].sort((a, b) => a.startAt - b.startAt);
  if (!sorted.length || at < sorted[0]!.startAt) return { fromAt: span.startAt, toAt: sorted[0]?.startAt ?? span.endAt, kind: 'before' };
  for (let i = 1; i < sorted.length; i++) if (at < sorted[i]!.startAt) return { fromAt: endOf(sorted[i - 1]!), toAt: sorted[i]!.startAt, kind: 'gap' };
  return { fromAt: endOf(sorted.at(-1)!), toAt: span.endAt, kind: 'after' };
}

/** The gaps between runs, for drawing them grey on the timeline. */
export function gapsOf(runs: readonly Run[]): Hole[] {
  const sorted = [...runs].sort((a, b) => a.startAt - b.startAt);
  const out: Hole[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const fromAt = endOf(sorted[i - 1]!);
    if (sorted[i]!.startAt > fromAt) out.push({ fromAt, toAt: sorted[i]!.startAt, kind: 'gap' });
  }
  return out;
}

/** The span every stream's runs cover together: the timeline's start and end. */
export function spanOf(streams: ReadonlyArray<readonly Run[]>): { startAt: number; endAt: number } | null {
  const all = streams.flat();
  if (!all.length) return null;
  return { startAt: Math.min(...all.map((r) => r.startAt)), endAt: Math.max(...all.map(endOf)) };
}

export const SPEEDS = [1, 1.5, 2] as const;
export const nextSpeed = (s: number, dir: 1 | -1) => SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, SPEEDS.indexOf(s as 1) + dir))]!;

/** "1:05" / "1:02:03" for a duration in ms. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
