// Storage of the monitor's raw scores and rules. Samples are kept as JSON tuples, one row per posted batch:
// [t, faces, match, yaw, pitch, occlusion, luma, contrast, motion, phone], scores rounded to 3 decimals and angles
// to 0.1°. A sample is ~50 bytes that way (an object with names is ~150), so 25 minutes at 1 Hz (1,500 samples,
// ~300 batches of 5 s) is ~75 KB of JSON per attempt plus ~300 small row headers.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { DEFAULT_MONITOR_RULES, MonitorRules, type MonitorSample } from '@invigil/contracts';
import type { Database } from '../../adapters/db/schema.ts';

type Db = Transaction<Database> | Kysely<Database>;
type Tuple = [number, number, number | null, number | null, number | null, number | null, number, number, number, number | null];

const r3 = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
const r1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

export function packSamples(samples: readonly MonitorSample[]): string {
  return JSON.stringify(samples.map((s): Tuple => [s.t, s.faces, r3(s.match), r1(s.yaw), r1(s.pitch), r3(s.occlusion), r1(s.luma)!, r1(s.contrast)!, r1(s.motion)!, r3(s.phone)]));
}

export function unpackSamples(json: string): MonitorSample[] {
  return (JSON.parse(json) as Tuple[]).map(([t, faces, match, yaw, pitch, occlusion, luma, contrast, motion, phone]) => ({ t, faces, match, yaw, pitch, occlusion, luma, contrast, motion, phone }));
}

/** Every stored sample of an attempt from `from` on, in time order, one per instant (a retried batch repeats some). */
export async function loadSamples(db: Db, attemptId: string, from = 0): Promise<MonitorSample[]> {
  const rows = await db.selectFrom('monitor_batches').select('samples').where('attempt_id', '=', attemptId).where('t1', '>=', from).execute();
  const byT = new Map<number, MonitorSample>();
  for (const r of rows) for (const s of unpackSamples(r.samples)) if (s.t >= from) byT.set(s.t, s);
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

export interface StoredRules {
  rules: MonitorRules;
  custom: boolean;
  updatedAt: number | null;
}

/** A session's rules; the defaults where none were stored (or a stored set no longer parses). */
export async function rulesOf(db: Db, sessionId: string): Promise<StoredRules> {
  const row = await db.selectFrom('monitor_rules').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
  if (!row) return { rules: DEFAULT_MONITOR_RULES, custom: false, updatedAt: null };
  const parsed = MonitorRules.safeParse(JSON.parse(row.rules));
  return parsed.success ? { rules: { ...DEFAULT_MONITOR_RULES, ...parsed.data }, custom: true, updatedAt: row.updated_at } : { rules: DEFAULT_MONITOR_RULES, custom: false, updatedAt: null };
}

/**
 * The event id of an episode: the same episode under the same rule set is the same event, so two batches
 * processed at once cannot raise it twice (recordEvents skips a known id). A new rule set gives new ids.
 */
export function episodeEventId(attemptId: string, condition: string, start: number, rulesRev: number | null): string {
  const h = createHash('sha256')
    .update(`${attemptId}|${condition}|${start}|${rulesRev ?? 0}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
