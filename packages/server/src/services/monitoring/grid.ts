// The proctor's room grid: one tile per candidate with phase, proof camera, flag counts and an open 求助.
// Live facts (thumbnails, presence, upload backlog) arrive over the socket; this is the snapshot they update.
import { severityOf, worse, isFlag, type FlagSeverity, type MonitorTile, type ProofConnection, type SessionMonitor } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import { candidateFacts, scopedCandidates, type Staff } from './scope.ts';
import { connectionOf } from '../proof/rules.ts';
import { phoneFacts } from '../proof/status.ts';
import { defaultProofSettings } from '../proof/settings.ts';

/** The phone counts as gone after the same silence as on the proof camera's own screens. */
const PHONE_STALE_MS = defaultProofSettings().staleSec * 1000;

export async function sessionMonitor(ctx: Ctx, p: Staff, sessionId: string): Promise<SessionMonitor> {
  const now = ctx.clock.now();
  const rows = await scopedCandidates(ctx, p, sessionId);
  // Without a required proof camera an unbound phone is the normal case, not something to show on every tile.
  const session = await ctx.db.selectFrom('sessions').select('proof_required').where('id', '=', sessionId).executeTakeFirst();
  const unbound: ProofConnection | null = session?.proof_required ? 'unbound' : null;
  const ids = rows.map((r) => r.attemptId).filter((x): x is string => !!x);
  const flags = new Map<string, MonitorTile['flags']>();
  const phones = new Map<string, ProofConnection>();
  const help = new Map<string, string>();
  for (const chunk of chunks(ids, 500)) {
    const events = await ctx.db
      .selectFrom('attempt_events')
      .leftJoin('flag_reviews', 'flag_reviews.event_id', 'attempt_events.id')
      .select(['attempt_events.attempt_id', 'attempt_events.type', 'attempt_events.at', 'flag_reviews.decision'])
      .where('attempt_events.attempt_id', 'in', chunk)
      .where('attempt_events.superseded_at', 'is', null)
      .execute();
    for (const e of events) {
      if (!isFlag(e.type) || e.decision === 'dismissed') continue;
      const f = flags.get(e.attempt_id) ?? { total: 0, open: 0, worst: null, lastAt: null };
      f.total++;
      if (!e.decision) {
        f.open++;
        f.worst = worse(f.worst as FlagSeverity | null, severityOf(e.type));
      }
      f.lastAt = Math.max(f.lastAt ?? 0, e.at);
      flags.set(e.attempt_id, f);
    }
    for (const ph of await ctx.db.selectFrom('proof_phones').selectAll().where('attempt_id', 'in', chunk).execute()) phones.set(ph.attempt_id, connectionOf(phoneFacts(ph), now, PHONE_STALE_MS));
    // The last message of each thread decides whether it waits for an answer.
    for (const m of await ctx.db.selectFrom('help_messages').select(['attempt_id', 'from_kind', 'at']).where('attempt_id', 'in', chunk).orderBy('at').execute()) help.set(m.attempt_id, m.from_kind);
  }
  const tiles: MonitorTile[] = rows.map((r) => ({
    ...candidateFacts(r),
    roomId: r.roomId,
    endReason: r.end_reason ?? null,
    proof: r.attemptId ? (phones.get(r.attemptId) ?? unbound) : null,
    flags: (r.attemptId && flags.get(r.attemptId)) || { total: 0, open: 0, worst: null, lastAt: null },
    helpUnanswered: !!r.attemptId && help.get(r.attemptId) === 'candidate',
    priority: r.review_priority ?? 0,
  }));
  return { sessionId, now, tiles };
}

export function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
