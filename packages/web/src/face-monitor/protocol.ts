// Messages between the candidate page (monitor.ts) and the monitor's Web Worker (worker.ts).
import type { MonitorCondition, MonitorRules, MonitorSample } from '@invigil/contracts';

export type ToWorker =
  | { type: 'start'; rules: MonitorRules; reference: number[] | null; phone: boolean; postUrl: string; sampleHz: number }
  /** One camera frame, transferred; t = when it was grabbed, on the server's clock. */
  | { type: 'frame'; bitmap: ImageBitmap; t: number }
  /** The main thread's long tasks in the last second, ms. */
  | { type: 'busy'; ms: number }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'failed'; reason: string }
  /** A frame was analysed: the next one is wanted in `nextMs` from now. */
  | { type: 'analysed'; sample: MonitorSample | null; ms: number; nextMs: number; parts?: { light: number; full: number; pixels: number; evidence: number } }
  /** Conditions the candidate is told about (local episodes ∪ the server's `open`). */
  | { type: 'tell'; conditions: MonitorCondition[] }
  /** Stop sending: the server refused the monitor (exam over, monitor off, not in the exam). */
  | { type: 'ended'; status: number };
