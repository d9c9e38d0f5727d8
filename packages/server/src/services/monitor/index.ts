// The in-exam monitor on the server (issue #19). The candidate's browser measures its camera about once a second
// and posts the raw scores (MonitorBatch); here they are stored, turned into episodes by the one shared rule
// (contracts/monitor.ts `monitorEpisodes`, hysteresis) under the session's rules, and each new episode raises its
// event through the one pipeline (services/events.ts) with the browser's frame as evidence. Staff may change the
// rules after the exam: every attempt's monitor events are recomputed from the stored scores (the old ones are
// superseded, not deleted), and the review priority follows.
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_MONITOR_RULES,
  MonitorCondition,
  isInExam,
  monitorEpisodes,
  type MonitorAnswer,
  type MonitorBatch,
  type MonitorConfig,
  type MonitorEpisode,
  type MonitorPreview,
  type MonitorReweightResult,
  type MonitorRules,
  type MonitorSample,
  type SessionMonitorRules,
} from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import type { Bus } from '../bus.ts';
import type { BlobStore } from '../../adapters/blob/port.ts';
import type { Principal } from '../auth.ts';
import { actorOf } from '../auth.ts';
import { AppError, notFound } from '../errors.ts';
import { requireWatch } from '../access.ts';
import { appendAudit } from '../audit.ts';
import { pushEvents, recordEvents, type NewEvent, type RaisedEvent } from '../events.ts';
import { isJpeg } from '../monitoring/evidence.ts';
import { refreshPriority } from './priority.ts';
import { episodeEventId, loadSamples, packSamples, rulesOf } from './store.ts';

export { reviewPriority, refreshPriority } from './priority.ts';

/** Samples per second the browser should analyse (it may go slower when the machine is busy). */
export const SAMPLE_HZ = 1;
/** How far back a batch is evaluated: long enough for any hold time and the release. */
const WINDOW_MS = 15 * 60_000;
/** An evidence frame belongs to an episode when taken this close to its start (or up to when it was raised). */
const FRAME_SLACK_MS = 5_000;
const MAX_FRAME_BYTES = 150 * 1024;
/** Samples are on the server's clock; a batch far outside the attempt is refused, not stored. */
const CLOCK_SLACK_MS = 2 * 60_000;

async function attemptOf(ctx: Ctx, attemptId: string) {
  const a = await ctx.db
    .selectFrom('attempts')
    .innerJoin('candidates', 'candidates.id', 'attempts.candidate_id')
    .select(['attempts.id', 'attempts.session_id', 'attempts.status', 'attempts.entered_at', 'attempts.candidate_id'])
    .where('attempts.id', '=', attemptId)
    .executeTakeFirst();
  if (!a) throw notFound();
  return a;
}

/** GET /api/attempt/monitor/config: the session's rules and the registered face's descriptor. */
export async function monitorConfig(ctx: Ctx, attemptId: string): Promise<MonitorConfig> {
  const a = await attemptOf(ctx, attemptId);
  const { rules } = await rulesOf(ctx.db, a.session_id);
  const reg = await ctx.db.selectFrom('face_registrations').select('descriptor').where('candidate_id', '=', a.candidate_id).where('purged_at', 'is', null).executeTakeFirst();
  let reference: number[] | null = null;
  if (reg?.descriptor) {
    const d: unknown = JSON.parse(reg.descriptor);
    if (Array.isArray(d) && d.length && d.every((x) => typeof x === 'number')) reference = d;
  }
  return { on: MonitorCondition.options.some((c) => rules[c].on), rules, reference, sampleHz: SAMPLE_HZ };
}

/** The raw score behind a condition, kept with its event (what the detector saw, not only the decision). */
function scoreOf(c: MonitorCondition, s: MonitorSample): number | null {
  switch (c) {
    case 'face-absent':
    case 'several-faces':
      return s.faces;
    case 'identity-mismatch':
      return s.match;
    case 'face-covered':
      return s.occlusion;
    case 'camera-covered':
      return s.contrast;
    case 'camera-frozen':
      return s.motion;
    case 'looking-away':
      return s.yaw === null && s.pitch === null ? null : Math.max(Math.abs(s.yaw ?? 0), Math.abs(s.pitch ?? 0));
    case 'phone-in-view':
      return s.phone;
  }
}

const MAX_SCORES = 30;
function eventData(e: MonitorEpisode, rules: MonitorRules, samples: readonly MonitorSample[]) {
  const within = samples.filter((s) => s.t >= e.start && (e.end === null || s.t <= e.end)).slice(0, MAX_SCORES);
  const rule = rules[e.condition];
  return {
    source: 'monitor',
    start: e.start,
    end: e.end,
    raisedAt: e.raisedAt,
    samples: e.samples,
    threshold: rule.threshold,
    holdSec: rule.holdSec,
    scores: within.map((s) => ({ t: s.t, v: scoreOf(e.condition, s) })),
  };
}

/** Stored episodes of an attempt that are current (not superseded). */
function currentEpisodes(db: Ctx['db'], attemptId: string) {
  return db.selectFrom('monitor_episodes').selectAll().where('attempt_id', '=', attemptId).where('superseded_at', 'is', null).execute();
}

/** The stored evidence frame nearest an episode's start, if one was taken near it. */
async function frameFor(db: Ctx['db'], attemptId: string, e: MonitorEpisode): Promise<string | undefined> {
  const frames = await db
    .selectFrom('monitor_frames')
    .select(['t', 'blob_ref'])
    .where('attempt_id', '=', attemptId)
    .where('t', '>=', e.start - FRAME_SLACK_MS)
    .where('t', '<=', e.raisedAt + FRAME_SLACK_MS)
    .execute();
  frames.sort((a, b) => Math.abs(a.t - e.start) - Math.abs(b.t - e.start));
  return frames[0]?.blob_ref;
}

const overlaps = (s: { start_at: number; end_at: number | null }, e: MonitorEpisode) => s.start_at <= (e.end ?? Infinity) && (s.end_at ?? Infinity) >= e.start;

/**
 * POST /api/attempt/monitor: store a batch, raise an event for every episode that became one, record the end of
 * the episodes that ended. Only between entering the exam and its end. Answers the open conditions to tell.
 */
export async function ingestBatch(ctx: Ctx, bus: Bus, blobs: BlobStore, attemptId: string, batch: MonitorBatch): Promise<MonitorAnswer> {
  const a = await attemptOf(ctx, attemptId);
  if (a.status === 'ended') throw new AppError('ATTEMPT_ENDED');
  if (!isInExam(a.status) || a.entered_at === null) throw new AppError('NOT_ENTERED');
  const now = ctx.clock.now();
  const from = a.entered_at - CLOCK_SLACK_MS;
  const bad = batch.samples.find((s) => s.t < from || s.t > now + CLOCK_SLACK_MS);
  if (bad) throw new AppError('VALIDATION_FAILED', { detail: `samples[].t ${bad.t} is outside the exam (server time ${now})` });
  const frames = batch.evidence.map((f) => ({ t: f.t, jpeg: Buffer.from(f.jpeg, 'base64') }));
  for (const f of frames) {
    if (!isJpeg(f.jpeg) || f.jpeg.length > MAX_FRAME_BYTES) throw new AppError('VALIDATION_FAILED', { detail: 'evidence[].jpeg must be a base64 JPEG of at most 150 KB' });
    if (f.t < from || f.t > now + CLOCK_SLACK_MS) throw new AppError('VALIDATION_FAILED', { detail: `evidence[].t ${f.t} is outside the exam` });
  }

  // Store: frames in the blob store first (like every evidence frame), then the rows.
  const stored: Array<{ id: string; t: number; ref: string }> = [];
  for (const f of frames) {
    const id = randomUUID();
    const { ref } = await blobs.put(`evidence/${attemptId}/monitor-${id}.jpg`, f.jpeg, { contentType: 'image/jpeg' });
    stored.push({ id, t: f.t, ref });
  }
  const ts = batch.samples.map((s) => s.t);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('monitor_batches')
      .values({ id: randomUUID(), attempt_id: attemptId, t0: Math.min(...ts), t1: Math.max(...ts), n: batch.samples.length, samples: packSamples(batch.samples), received_at: now })
      .execute();
    for (const f of stored) await trx.insertInto('monitor_frames').values({ id: f.id, attempt_id: attemptId, t: f.t, blob_ref: f.ref, received_at: now }).execute();
  });

  // Evaluate the recent samples (back to the start of any episode still open).
  const { rules, updatedAt: rev } = await rulesOf(ctx.db, a.session_id);
  const known = await currentEpisodes(ctx.db, attemptId);
  const openSince = Math.min(...known.filter((k) => k.end_at === null).map((k) => k.start_at));
  const windowFrom = Math.min(Math.max(...ts) - WINDOW_MS, openSince - 60_000);
  const samples = await loadSamples(ctx.db, attemptId, windowFrom);
  const episodes = monitorEpisodes(samples, rules);

  const fresh: MonitorEpisode[] = [];
  const ended: Array<{ id: string; eventId: string | null; end: number }> = [];
  for (const e of episodes) {
    const k = known.find((s) => s.condition === e.condition && overlaps(s, e));
    if (!k) fresh.push(e);
    else if (k.end_at === null && e.end !== null) ended.push({ id: k.id, eventId: k.event_id, end: e.end });
  }
  const evidence = new Map<MonitorEpisode, string | undefined>();
  for (const e of fresh) evidence.set(e, await frameFor(ctx.db, attemptId, e));

  let raised: RaisedEvent[] = [];
  if (fresh.length || ended.length) {
    raised = await ctx.db.transaction().execute(async (trx) => {
      const events: NewEvent[] = fresh.map((e) => ({
        id: episodeEventId(attemptId, e.condition, e.start, rev),
        attemptId,
        type: e.condition,
        at: e.start,
        data: eventData(e, rules, samples),
        evidenceRef: evidence.get(e),
      }));
      const out = await recordEvents(trx, events, now);
      const ids = new Set(out.map((r) => r.id));
      for (const [i, e] of fresh.entries()) {
        const eventId = events[i]!.id!;
        // A practice attempt raises nothing (recordEvents mutes it); its episode is kept without an event.
        const res = await trx
          .insertInto('monitor_episodes')
          .values({
            id: eventId,
            attempt_id: attemptId,
            condition: e.condition,
            start_at: e.start,
            end_at: e.end,
            raised_at: e.raisedAt,
            samples: e.samples,
            event_id: ids.has(eventId) ? eventId : null,
            created_at: now,
            superseded_at: null,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst();
        void res;
      }
      for (const x of ended) {
        await trx.updateTable('monitor_episodes').set({ end_at: x.end }).where('id', '=', x.id).where('end_at', 'is', null).execute();
        if (x.eventId) {
          const ev = await trx.selectFrom('attempt_events').select('data').where('id', '=', x.eventId).executeTakeFirst();
          if (ev)
            await trx
              .updateTable('attempt_events')
              .set({ data: JSON.stringify({ ...(JSON.parse(ev.data) as object), end: x.end }) })
              .where('id', '=', x.eventId)
              .execute();
        }
      }
      if (ended.some((x) => x.eventId)) await refreshPriority(trx, [attemptId]);
      return out;
    });
  }
  await pushEvents(ctx, bus, raised);
  const open = episodes.filter((e) => e.end === null && rules[e.condition].tell).map((e) => e.condition);
  return { ok: true, open: [...new Set(open)] };
}

// ---- Staff: the session's rules, the preview and the re-weighting.

export async function sessionRules(ctx: Ctx, p: Principal, sessionId: string): Promise<SessionMonitorRules> {
  await requireWatch(ctx, p, sessionId);
  return rulesOf(ctx.db, sessionId);
}

const zeroCounts = () => Object.fromEntries(MonitorCondition.options.map((c) => [c, 0])) as Record<MonitorCondition, number>;
const total = (r: Record<MonitorCondition, number>) => Object.values(r).reduce((a, b) => a + b, 0);

interface Plan {
  preview: MonitorPreview;
  perAttempt: Array<{ attemptId: string; samples: MonitorSample[]; episodes: MonitorEpisode[] }>;
}

/** What the rules would give over every stored sample of the session, attempt by attempt. */
async function plan(ctx: Ctx, sessionId: string, rules: MonitorRules): Promise<Plan> {
  const attempts = await ctx.db
    .selectFrom('attempts')
    .select('id')
    .where('session_id', '=', sessionId)
    .where((eb) => eb.exists(eb.selectFrom('monitor_batches').select('monitor_batches.id').whereRef('monitor_batches.attempt_id', '=', 'attempts.id')))
    .execute();
  const current = zeroCounts();
  const proposed = zeroCounts();
  let n = 0;
  const perAttempt: Plan['perAttempt'] = [];
  for (const { id } of attempts) {
    const samples = await loadSamples(ctx.db, id);
    n += samples.length;
    const episodes = monitorEpisodes(samples, rules);
    for (const e of episodes) proposed[e.condition]++;
    for (const k of await currentEpisodes(ctx.db, id)) {
      const c = MonitorCondition.safeParse(k.condition);
      if (c.success) current[c.data]++;
    }
    perAttempt.push({ attemptId: id, samples, episodes });
  }
  return { preview: { attempts: attempts.length, samples: n, current, proposed, currentTotal: total(current), proposedTotal: total(proposed) }, perAttempt };
}

/** "This rule set would give N events (per condition) in this session", from the stored samples. Changes nothing. */
export async function previewRules(ctx: Ctx, p: Principal, sessionId: string, rules: MonitorRules): Promise<MonitorPreview> {
  await requireWatch(ctx, p, sessionId);
  return (await plan(ctx, sessionId, { ...DEFAULT_MONITOR_RULES, ...rules })).preview;
}

/**
 * Store the session's rules and re-weight: every attempt's current monitor episodes and their events are
 * superseded (kept, marked), the episodes of the new rules raise new events (with the nearest stored frame as
 * evidence), the review priority is recomputed, and one audit row per attempt plus one for the session say so.
 * New events are not pushed live: this is review work, not a live alarm.
 */
export async function applyRules(ctx: Ctx, p: Principal, sessionId: string, input: MonitorRules): Promise<MonitorReweightResult> {
  await requireWatch(ctx, p, sessionId);
  const rules = { ...DEFAULT_MONITOR_RULES, ...input };
  const before = await rulesOf(ctx.db, sessionId);
  const { preview, perAttempt } = await plan(ctx, sessionId, rules);
  const now = ctx.clock.now();
  const actor = actorOf(p);
  let superseded = 0;
  let raisedCount = 0;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('monitor_rules').where('session_id', '=', sessionId).execute();
    await trx
      .insertInto('monitor_rules')
      .values({ session_id: sessionId, rules: JSON.stringify(rules), updated_at: now, updated_by: actor })
      .execute();
    await appendAudit(trx, { actor, action: 'monitor.rules', target: `session:${sessionId}`, data: { before: before.rules, after: rules, preview } }, now);
  });
  for (const x of perAttempt) {
    const old = await currentEpisodes(ctx.db, x.attemptId);
    const evidence = new Map<MonitorEpisode, string | undefined>();
    for (const e of x.episodes) evidence.set(e, await frameFor(ctx.db, x.attemptId, e));
    await ctx.db.transaction().execute(async (trx) => {
      const oldEvents = old.flatMap((k) => (k.event_id ? [k.event_id] : []));
      if (old.length)
        await trx
          .updateTable('monitor_episodes')
          .set({ superseded_at: now })
          .where(
            'id',
            'in',
            old.map((k) => k.id),
          )
          .execute();
      if (oldEvents.length) await trx.updateTable('attempt_events').set({ superseded_at: now }).where('id', 'in', oldEvents).execute();
      // Fresh ids: two rule sets applied within the same millisecond must not collide with the events they supersede.
      const events: NewEvent[] = x.episodes.map((e) => ({
        id: randomUUID(),
        attemptId: x.attemptId,
        type: e.condition,
        at: e.start,
        data: eventData(e, rules, x.samples),
        evidenceRef: evidence.get(e),
      }));
      const out = await recordEvents(trx, events, now, {
        actor,
        action: 'monitor.reweight-events',
        target: `attempt:${x.attemptId}`,
        data: { superseded: oldEvents, raised: events.map((e) => ({ id: e.id, type: e.type })) },
      });
      const ids = new Set(out.map((r) => r.id));
      for (const [i, e] of x.episodes.entries()) {
        const id = events[i]!.id!;
        await trx
          .insertInto('monitor_episodes')
          .values({
            id,
            attempt_id: x.attemptId,
            condition: e.condition,
            start_at: e.start,
            end_at: e.end,
            raised_at: e.raisedAt,
            samples: e.samples,
            event_id: ids.has(id) ? id : null,
            created_at: now,
            superseded_at: null,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      }
      // recordEvents audits only when it raised something; superseding alone is audited here.
      if (!out.length && oldEvents.length) await appendAudit(trx, { actor, action: 'monitor.reweight-events', target: `attempt:${x.attemptId}`, data: { superseded: oldEvents, raised: [] } }, now);
      await refreshPriority(trx, [x.attemptId]);
      superseded += oldEvents.length;
      raisedCount += out.length;
    });
  }
  return { ...preview, superseded, raised: raisedCount };
}
