// The live session dashboard (issue #17 item 5): where every candidate of a session stands in the funnel
// 未登录 → 已登录 → 人脸通过 → 佐证已绑定 → 已进入 → 待考 → 答题中 → 已结束 → 已上传 → 佐证已上传 / 佐证逾期,
// the funnel over time, and the upload of the whole session.
//
// One pure function, stageAt(), decides a candidate's step at any time T from the timestamps of their attempt;
// the counts now and the chart over time are the same function at different T. The chart is rebuilt from the
// attempts' own timestamps on every request, so it survives a restart without a table of samples.
//
// Pushed live: every service that moves a candidate calls dashboardTouched(); the pushes of one session are
// coalesced (at most one per PUSH_MS) and go to the session's channel, which only admin and support join.
import type { Dashboard, FunnelStage } from '@invigil/contracts';
import type { Ctx } from './context.ts';
import type { Bus } from './bus.ts';
import { notFound } from './errors.ts';
import { attemptTimeline } from './sessions.ts';

export interface FunnelOptions {
  face: boolean;
  proof: boolean;
  /** The proof video is due this long after the candidate's exam ended. */
  proofDeadlineMs: number;
}

/** When a candidate reached each step (null: not yet). */
export interface CandidateFacts {
  loggedInAt: number | null;
  facePassedAt: number | null;
  proofBoundAt: number | null;
  enteredAt: number | null;
  waitingAt: number | null;
  answeringAt: number | null;
  endedAt: number | null;
  /** Every desktop stream (camera, screen) verified: the last one's time. */
  uploadedAt: number | null;
  /** The phone's proof video verified. */
  proofUploadedAt: number | null;
}

const ALL: readonly FunnelStage[] = ['not-logged-in', 'logged-in', 'face-passed', 'proof-bound', 'entered', 'waiting', 'answering', 'ended', 'uploaded', 'proof-uploaded', 'proof-overdue'];

/** The steps of a session, in order: 人脸通过 only with face login, the proof steps only with the proof camera. */
export function funnelStages(o: Pick<FunnelOptions, 'face' | 'proof'>): FunnelStage[] {
  return ALL.filter((s) => (s !== 'face-passed' || o.face) && (!['proof-bound', 'proof-uploaded', 'proof-overdue'].includes(s) || o.proof));
}

const by = (at: number | null, t: number) => at !== null && at <= t;

/** The step a candidate stands at, at time t: the furthest one reached by then. */
export function stageAt(f: CandidateFacts, o: FunnelOptions, t: number): FunnelStage {
  if (by(f.endedAt, t)) {
    const proofDone = by(f.proofUploadedAt, t);
    // An overdue proof video is the one thing staff must chase after the end, whatever the desktop upload does.
    if (o.proof && !proofDone && f.enteredAt !== null && t > f.endedAt! + o.proofDeadlineMs) return 'proof-overdue';
    if (!by(f.uploadedAt, t)) return 'ended';
    return o.proof && proofDone ? 'proof-uploaded' : 'uploaded';
  }
  if (by(f.answeringAt, t)) return 'answering';
  if (by(f.waitingAt, t)) return 'waiting';
  if (by(f.enteredAt, t)) return 'entered';
  if (!by(f.loggedInAt, t)) return 'not-logged-in';
  const faceDone = !o.face || by(f.facePassedAt, t);
  if (o.proof && faceDone && by(f.proofBoundAt, t)) return 'proof-bound';
  if (o.face && faceDone) return 'face-passed';
  return 'logged-in';
}

/** How many candidates stand at each step at time t (every step present, 0 for those left out). */
export function funnelAt(facts: CandidateFacts[], o: FunnelOptions, t: number): Record<FunnelStage, number> {
  const counts = Object.fromEntries(ALL.map((s) => [s, 0])) as Record<FunnelStage, number>;
  for (const f of facts) counts[stageAt(f, o, t)]++;
  return counts;
}

/**
 * Sample times for the chart: every minute (coarser for long windows, at most `max` points), ending at now, plus
 * the moments something changed (`changes`) while there are few of them — so a step taken within one minute shows.
 */
export function sampleTimes(from: number | null, now: number, max = 120, changes: number[] = []): number[] {
  if (from === null || from >= now) return [now];
  const minute = 60_000;
  const step = Math.max(minute, Math.ceil((now - from) / (max - 1) / minute) * minute);
  const out: number[] = [];
  for (let t = Math.floor(from / minute) * minute; t < now; t += step) out.push(t);
  const inside = [...new Set(changes)].filter((t) => t >= out[0]! && t < now);
  if (inside.length <= 4 * max) out.push(...inside);
  out.push(now);
  return [...new Set(out)].sort((a, b) => a - b);
}

interface Loaded {
  options: FunnelOptions;
  rows: Array<{ candidateId: string; attemptId: string | null; name: string; ticket: string; roomId: string | null; facts: CandidateFacts }>;
  upload: Dashboard['upload'];
}

const DESKTOP = ['camera', 'screen'];
const UPLOADED = ['verified', 'complete'];

/** Every candidate of a session with their current attempt's timestamps (one query per table). */
async function load(ctx: Ctx, sessionId: string): Promise<Loaded> {
  const session = await ctx.db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
  if (!session) throw notFound();
  const proofDeadlineMs = ctx.config.proof.uploadDeadlineSec * 1000;
  const options: FunnelOptions = { face: !!session.face_required, proof: !!session.proof_required, proofDeadlineMs };
  const candidates = await ctx.db.selectFrom('candidates').select(['id', 'name', 'ticket', 'room_id', 'extra_time_sec']).where('session_id', '=', sessionId).orderBy('ticket').execute();
  // The current attempt of each candidate (a 自助试测's earlier practice attempts are history).
  const attempts = await ctx.db.selectFrom('attempts').selectAll().where('session_id', '=', sessionId).where('replaced_at', 'is', null).execute();
  // By subquery, not a list of ids: a session of thousands stays one short statement per table.
  const some = ctx.db.selectFrom('attempts').select('id').where('session_id', '=', sessionId).where('replaced_at', 'is', null);
  const faces = await ctx.db.selectFrom('face_attempts').select(['attempt_id', 'passed_at']).where('attempt_id', 'in', some).execute();
  const phones = await ctx.db.selectFrom('proof_phones').select(['attempt_id', 'bound_at']).where('attempt_id', 'in', some).execute();
  // Bytes from each recording's running total (migration 013), not a sum over its segments: that grew with the exam
  // (155 ms of a blocked event loop per push at the end of 25 minutes × 1,000 candidates).
  const recs = await ctx.db.selectFrom('recordings').select(['id', 'attempt_id', 'stream', 'status', 'finalized_at', 'bytes_stored']).where('attempt_id', 'in', some).execute();

  const face = new Map(faces.map((r) => [r.attempt_id, r.passed_at]));
  const phone = new Map(phones.map((r) => [r.attempt_id, r.bound_at]));
  const recsOf = new Map<string, typeof recs>();
  for (const r of recs) recsOf.set(r.attempt_id, [...(recsOf.get(r.attempt_id) ?? []), r]);
  const attemptOf = new Map(attempts.map((a) => [a.candidate_id, a]));
  const now = ctx.clock.now();
  const streams = options.proof ? [...DESKTOP, 'phone'] : DESKTOP;
  let verified = 0;
  let expected = 0;

  const rows = candidates.map((c) => {
    const a = attemptOf.get(c.id);
    const mine = (a && recsOf.get(a.id)) ?? [];
    const doneAt = (stream: string) => {
      const r = mine.find((x) => x.stream === stream && UPLOADED.includes(x.status));
      return r ? (r.finalized_at ?? now) : null;
    };
    const desktop = DESKTOP.map(doneAt);
    if (a?.entered_at != null) {
      expected += streams.length;
      verified += streams.filter((s) => doneAt(s) !== null).length;
    }
    // Waiting → answering has no timestamp of its own: it happens at the attempt's start (the timekeeper), or at
    // 【已阅】 when that is after the start. Derived only once the status says it happened.
    const startsAt = a ? attemptTimeline(session, a, c.extra_time_sec, now).startsAt : 0;
    const answered = a && a.waiting_at !== null && (a.status === 'answering' || (a.status === 'ended' && (a.ended_at ?? now) >= startsAt));
    const facts: CandidateFacts = {
      loggedInAt: a?.logged_in_at ?? null,
      facePassedAt: a ? (face.get(a.id) ?? null) : null,
      proofBoundAt: a ? (phone.get(a.id) ?? null) : null,
      enteredAt: a?.entered_at ?? null,
      waitingAt: a?.waiting_at ?? null,
      answeringAt: answered ? Math.min(Math.max(a.waiting_at ?? startsAt, startsAt), a.ended_at ?? now) : null,
      endedAt: a?.status === 'ended' ? (a.ended_at ?? now) : null,
      uploadedAt: desktop.every((d) => d !== null) ? Math.max(...(desktop as number[])) : null,
      proofUploadedAt: doneAt('phone'),
    };
    return { candidateId: c.id, attemptId: a?.id ?? null, name: c.name, ticket: c.ticket, roomId: c.room_id, facts };
  });
  const bytes = recs.reduce((n, r) => n + Number(r.bytes_stored), 0);
  return { options, rows, upload: { bytes, verified, expected } };
}

/** The dashboard of a session now: counts, the funnel over time, the upload. */
export async function dashboard(ctx: Ctx, sessionId: string): Promise<Dashboard> {
  const { options, rows, upload } = await load(ctx, sessionId);
  const now = ctx.clock.now();
  const stages = funnelStages(options);
  const facts = rows.map((r) => r.facts);
  const first = facts.reduce<number | null>((m, f) => (f.loggedInAt !== null && (m === null || f.loggedInAt < m) ? f.loggedInAt : m), null);
  const changes = facts.flatMap((f) => Object.values(f).filter((v): v is number => v !== null));
  const series = sampleTimes(first === null ? null : first - 60_000, now, 120, changes).map((t) => {
    const c = funnelAt(facts, options, t);
    return { at: t, counts: stages.map((s) => c[s]) };
  });
  return { sessionId, at: now, candidates: rows.length, stages, counts: funnelAt(facts, options, now), series, upload };
}

/** The candidates standing at one step now (a count clicked on the dashboard). */
export async function stageCandidates(ctx: Ctx, sessionId: string, stage: FunnelStage) {
  const { options, rows } = await load(ctx, sessionId);
  const now = ctx.clock.now();
  const since = (f: CandidateFacts): number | null => {
    const at: Record<FunnelStage, number | null> = {
      'not-logged-in': null,
      'logged-in': f.loggedInAt,
      'face-passed': f.facePassedAt,
      'proof-bound': f.proofBoundAt,
      entered: f.enteredAt,
      waiting: f.waitingAt,
      answering: f.answeringAt,
      ended: f.endedAt,
      uploaded: f.uploadedAt,
      'proof-uploaded': f.proofUploadedAt,
      'proof-overdue': f.endedAt === null ? null : f.endedAt + options.proofDeadlineMs,
    };
    return at[stage];
  };
  const items = rows
    .filter((r) => stageAt(r.facts, options, now) === stage)
    .map((r) => ({ candidateId: r.candidateId, attemptId: r.attemptId, name: r.name, ticket: r.ticket, roomId: r.roomId, since: since(r.facts) }));
  return { stage, items };
}

// ---- Live push ---------------------------------------------------------------------------------------------

/** At most one push per session per this many milliseconds: a burst of logins at 08:00 is one push. */
export const PUSH_MS = 500;
const pending = new WeakMap<Bus, Map<string, ReturnType<typeof setTimeout>>>();

/** A candidate of this session moved: push the session's dashboard to its admin and support, coalesced. */
export function dashboardChanged(ctx: Ctx, bus: Bus, sessionId: string): void {
  let timers = pending.get(bus);
  if (!timers) pending.set(bus, (timers = new Map()));
  if (timers.has(sessionId)) return;
  const timer = setTimeout(() => {
    timers.delete(sessionId);
    dashboard(ctx, sessionId).then(
      (d) => bus.emit({ session: sessionId }, 'dashboard:changed', d),
      () => {
        // The session is gone or the database closed (shutdown): nothing to show; the next change pushes again.
      },
    );
  }, PUSH_MS);
  timer.unref?.();
  timers.set(sessionId, timer);
}

/** Like dashboardChanged, by one of the session's attempts. Never throws: a lost push is not the caller's failure. */
export function dashboardTouched(ctx: Ctx, bus: Bus, attemptId: string): void {
  ctx.db
    .selectFrom('attempts')
    .select('session_id')
    .where('id', '=', attemptId)
    .executeTakeFirst()
    .then(
      (a) => a && dashboardChanged(ctx, bus, a.session_id),
      () => {},
    );
}
