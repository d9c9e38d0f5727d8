// Batching of monitor samples for POST /api/attempt/monitor (issue #19), pure: the worker feeds it every sample
// and asks whether to send now. A batch goes every `everyMs` and at once when what holds locally changes — a
// condition begins or stops holding, or its hold time is reached (the server raises the event on that batch, so a
// face-absent reaches the proctor about holdSec after it began, not a whole period later). Evidence: a JPEG is
// taken when a condition begins and kept until its episode is raised; it goes with the batch that raises it (the
// server stores the one nearest the episode start), and is dropped if the condition ends before that.
import { MonitorCondition, holds, monitorEpisodes, type MonitorBatch, type MonitorRules, type MonitorSample } from '@invigil/contracts';

export interface BatcherOptions {
  everyMs?: number;
  /** Recent samples kept to decide episodes locally (for the hint and for when to send). */
  windowMs?: number;
  maxSamples?: number;
}

export interface AddResult {
  /** Send a batch now. */
  flush: boolean;
  /** Conditions that began holding with this sample: the caller encodes this frame and calls `evidence`. */
  began: MonitorCondition[];
}

export class MonitorBatcher {
  private pending: MonitorSample[] = [];
  private recent: MonitorSample[] = [];
  private held = new Set<MonitorCondition>();
  private raised = new Set<MonitorCondition>();
  private frames = new Map<MonitorCondition, { t: number; jpeg: string }>();
  private ready: Array<{ t: number; jpeg: string }> = [];
  private lastFlush: number | null = null;
  private readonly everyMs: number;
  private readonly windowMs: number;
  private readonly maxSamples: number;

  constructor(
    private rules: MonitorRules,
    o: BatcherOptions = {},
  ) {
    this.everyMs = o.everyMs ?? 5000;
    this.windowMs = o.windowMs ?? 60_000;
    this.maxSamples = o.maxSamples ?? 60;
  }

  setRules(rules: MonitorRules) {
    this.rules = rules;
  }

  add(s: MonitorSample): AddResult {
    this.pending.push(s);
    this.recent.push(s);
    while (this.recent.length && this.recent[0]!.t < s.t - this.windowMs) this.recent.shift();
    this.lastFlush ??= s.t;
    const now = new Set(MonitorCondition.options.filter((c) => this.rules[c].on && holds(c, s, this.rules)));
    const began = [...now].filter((c) => !this.held.has(c));
    const stopped = [...this.held].filter((c) => !now.has(c));
    this.held = now;
    // Conditions with an open (raised, not ended) episode in the recent window; a new one is a newly raised event.
    const open = new Set(
      monitorEpisodes(this.recent, this.rules)
        .filter((e) => e.end === null)
        .map((e) => e.condition),
    );
    let newlyRaised = false;
    for (const c of open) {
      if (this.raised.has(c)) continue;
      newlyRaised = true;
      const f = this.frames.get(c);
      if (f) this.ready.push(f);
      this.frames.delete(c);
    }
    const ended = [...this.raised].some((c) => !open.has(c));
    this.raised = open;
    // A frame kept for a condition that stopped before it was raised is no evidence of anything.
    for (const c of stopped) this.frames.delete(c);
    const flush = began.length > 0 || stopped.length > 0 || newlyRaised || ended || s.t - this.lastFlush >= this.everyMs || this.pending.length >= this.maxSamples;
    return { flush, began };
  }

  /** The frame of a condition that just began (JPEG, base64); sent with the batch that raises its episode. */
  evidence(condition: MonitorCondition, t: number, jpeg: string) {
    if (this.held.has(condition) && !this.frames.has(condition)) this.frames.set(condition, { t, jpeg });
    // The hold time may be 0: the episode was raised by the very sample that began it.
    if (this.rules[condition].holdSec === 0) {
      const f = this.frames.get(condition);
      if (f) this.ready.push(f);
      this.frames.delete(condition);
    }
  }

  /** The batch to send now (null when empty); the samples leave the batcher. */
  take(): MonitorBatch | null {
    if (this.pending.length === 0) return null;
    const samples = this.pending;
    this.pending = [];
    this.lastFlush = samples[samples.length - 1]!.t;
    const evidence = this.ready.slice(0, 3);
    this.ready = this.ready.slice(3);
    return { samples, evidence };
  }

  /** A batch that could not be sent goes back in front (kept at most `maxSamples * 2` samples). */
  putBack(b: MonitorBatch) {
    this.pending = [...b.samples, ...this.pending].slice(-this.maxSamples * 2);
    this.ready = [...b.evidence, ...this.ready].slice(0, 3);
  }

  /** Conditions whose episode is open in the recent samples and whose rule tells the candidate. */
  tell(): MonitorCondition[] {
    const open = monitorEpisodes(this.recent, this.rules).filter((e) => e.end === null && this.rules[e.condition].tell);
    return [...new Set(open.map((e) => e.condition))];
  }
}
