// Review priority (issue #19): one 0–100 number per attempt saying which to look at first, from its events.
// Pure `reviewPriority` (table-tested in test/monitor-priority.test.ts) and `refreshPriority`, which recordEvents
// and re-weighting call so the stored number follows the events.
import type { Kysely, Transaction } from 'kysely';
import { severityOf, type FlagSeverity } from '@invigil/contracts';
import type { Database } from '../../adapters/db/schema.ts';

export interface PriorityEvent {
  type: string;
  /** Seconds the condition lasted (monitor episodes); 0 for a moment's event. */
  durationSec: number;
  /** A reviewer's decision on the flag: a dismissed flag no longer counts, a confirmed one counts double. */
  decision?: string | null;
}

/**
 * Why these weights: a `high` event (another person, a phone, a second login) is on its own worth a look, so one
 * brings an attempt to 39, far above five `low` events (22). `medium` (absent, covered) counts 0.4 of high, `low`
 * (looking away, copy) a tenth; `info` nothing. Lasting longer makes an event weigh more, up to three times at two
 * minutes (a 2 s absence is a glance, a 2-minute one is not). The sum saturates (1 − e^(−x/60)) so the scale stays
 * 0–100 and still grows with every event: one high 39, two highs 63, one medium 18, ten lows 39 (as one high).
 */
export const SEVERITY_WEIGHT: Record<FlagSeverity, number> = { info: 0, low: 3, medium: 12, high: 30 };
const DURATION_CAP_SEC = 120;
const SCALE = 60;

export function reviewPriority(events: readonly PriorityEvent[]): number {
  let raw = 0;
  for (const e of events) {
    if (e.decision === 'dismissed') continue;
    const d = Math.min(DURATION_CAP_SEC, Math.max(0, Number.isFinite(e.durationSec) ? e.durationSec : 0));
    raw += SEVERITY_WEIGHT[severityOf(e.type)] * (1 + d / 60) * (e.decision === 'confirmed' ? 2 : 1);
  }
  return Math.round(100 * (1 - Math.exp(-raw / SCALE)));
}

/** Duration of a stored event: its data's start/end (monitor episodes), else 0. */
export function durationOf(data: string): number {
  try {
    const d = JSON.parse(data) as { start?: unknown; end?: unknown };
    return typeof d.start === 'number' && typeof d.end === 'number' && d.end > d.start ? (d.end - d.start) / 1000 : 0;
  } catch {
    return 0;
  }
}

type Db = Transaction<Database> | Kysely<Database>;

/** Recompute and store the priority of these attempts from their current (not superseded) events. */
export async function refreshPriority(db: Db, attemptIds: Iterable<string>): Promise<void> {
  for (const attemptId of new Set(attemptIds)) {
    const rows = await db
      .selectFrom('attempt_events')
      .leftJoin('flag_reviews', 'flag_reviews.event_id', 'attempt_events.id')
      .select(['attempt_events.type', 'attempt_events.data', 'flag_reviews.decision'])
      .where('attempt_events.attempt_id', '=', attemptId)
      .where('attempt_events.superseded_at', 'is', null)
      .execute();
    const score = reviewPriority(rows.map((r) => ({ type: r.type, durationSec: durationOf(r.data), decision: r.decision })));
    await db.updateTable('attempts').set({ review_priority: score }).where('id', '=', attemptId).execute();
  }
}
