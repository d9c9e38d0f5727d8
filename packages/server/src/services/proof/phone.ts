// What the bound phone does: read its state, report that it is alive (battery, storage, recording), move
// through its flow (consent → room scan → placing → recording → stopped) and report interruptions.
import { isInExam, type PhoneStage, type PhoneState } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import type { Bus } from '../bus.ts';
import type { Principal } from '../auth.ts';
import { AppError, forbidden } from '../errors.ts';
import { withAudit } from '../audit.ts';
import type { ProofSettings } from './settings.ts';
import { stageMayMove } from './rules.ts';
import { attemptFacts, composeStatus, publishStatus } from './status.ts';
import { raise } from '../events.ts';

/** The bound phone acting: its attempt and its own id (a replaced phone's id no longer matches). */
type Phone = Pick<Extract<Principal, { kind: 'phone' }>, 'attemptId' | 'phoneId'>;

async function currentPhone(ctx: Ctx, p: Phone) {
  const row = await ctx.db.selectFrom('proof_phones').selectAll().where('attempt_id', '=', p.attemptId).executeTakeFirst();
  // Only the phone bound now may act (a revoked one has no session left, but be explicit).
  if (!row || row.phone_id !== p.phoneId) throw forbidden();
  return row;
}

export async function phoneState(ctx: Ctx, settings: ProofSettings, p: Phone): Promise<PhoneState> {
  const row = await currentPhone(ctx, p);
  const a = await attemptFacts(ctx, p.attemptId);
  const info = await ctx.db
    .selectFrom('attempts')
    .innerJoin('candidates', 'candidates.id', 'attempts.candidate_id')
    .innerJoin('sessions', 'sessions.id', 'attempts.session_id')
    .innerJoin('exams', 'exams.id', 'sessions.exam_id')
    .select(['candidates.name', 'candidates.ticket', 'sessions.name as session_name', 'exams.name as exam_name'])
    .where('attempts.id', '=', p.attemptId)
    .executeTakeFirstOrThrow();
  const rec = (await ctx.db.selectFrom('recordings').select(['status', 'finalized_at']).where('attempt_id', '=', p.attemptId).where('stream', '=', 'phone').executeTakeFirst()) ?? null;
  const now = ctx.clock.now();
  return {
    attemptId: p.attemptId,
    phoneId: p.phoneId,
    stage: row.stage as PhoneStage,
    // Enough for the candidate to see it is their own exam, not enough to identify them on a lost phone.
    candidate: { name: info.name, ticketTail: info.ticket.slice(-4) },
    examName: info.exam_name,
    sessionName: info.session_name,
    attemptStatus: a.status,
    startsAt: a.startsAt,
    endsAt: a.endedAt ?? a.endsAt,
    upload: composeStatus(settings, now, a, row, rec).upload,
    settings: { roomScanMinSec: settings.roomScanMinSec, heartbeatSec: settings.heartbeatSec, uploadDeadlineSec: settings.uploadDeadlineSec },
    now,
  };
}

export interface HeartbeatInput {
  recording: boolean;
  battery: { level: number; charging: boolean } | null;
  storageFreeMb: number | null;
  wakeLock: boolean;
}

/** Not audited: the proof_phones row is its record (as segment receipts are for uploads). */
export async function heartbeat(ctx: Ctx, settings: ProofSettings, bus: Bus, p: Phone, hb: HeartbeatInput): Promise<PhoneState> {
  const before = await currentPhone(ctx, p);
  const a = await attemptFacts(ctx, p.attemptId);
  const now = ctx.clock.now();
  await ctx.db
    .updateTable('proof_phones')
    .set({
      last_seen_at: now,
      recording: hb.recording ? 1 : 0,
      wake_lock: hb.wakeLock ? 1 : 0,
      battery_level: hb.battery?.level ?? null,
      charging: hb.battery ? (hb.battery.charging ? 1 : 0) : null,
      storage_free_mb: hb.storageFreeMb,
      silent_since: null,
    })
    .where('attempt_id', '=', p.attemptId)
    .where('phone_id', '=', p.phoneId)
    .execute();
  const silentMs = now - before.last_seen_at;
  const inExam = isInExam(a.status);
  if (before.silent_since !== null) {
    await raise(ctx, bus, { attemptId: p.attemptId, type: 'proof-back', at: now, data: { seconds: silentMs / 1000, fromAt: before.last_seen_at } });
  } else if (inExam && silentMs > settings.silenceFlagSec * 1000) {
    // The watchdog did not see it (not running, or between ticks): flag the silence now that it is over.
    await raise(ctx, bus, { attemptId: p.attemptId, type: 'proof-silent', at: before.last_seen_at, data: { seconds: silentMs / 1000, fromAt: before.last_seen_at, toAt: now } });
  }
  const was = composeStatus(settings, now, a, before, null);
  const after = { ...before, last_seen_at: now, recording: hb.recording ? 1 : 0, battery_level: hb.battery?.level ?? null };
  const is = composeStatus(settings, now, a, after, null);
  const bucket = (l: number | null) => (l === null ? -1 : Math.floor(l * 10));
  if (was.connection !== is.connection || bucket(before.battery_level) !== bucket(after.battery_level)) await publishStatus(ctx, settings, bus, p.attemptId);
  return phoneState(ctx, settings, p);
}

export interface StageInput {
  stage: Exclude<PhoneStage, 'bound'>;
  roomScan?: { startedAt: number; endedAt: number; degrees: number | null };
}

export async function setStage(ctx: Ctx, settings: ProofSettings, bus: Bus, p: Phone, input: StageInput): Promise<PhoneState> {
  const row = await currentPhone(ctx, p);
  const a = await attemptFacts(ctx, p.attemptId);
  const now = ctx.clock.now();
  const from = row.stage as PhoneStage;
  if (!stageMayMove(from, input.stage)) throw new AppError('CONFLICT', { detail: `the proof camera cannot go from ${from} back to ${input.stage}` });
  let scanSeconds: number | null = null;
  if (input.stage === 'placing' && from !== 'placing') {
    if (!input.roomScan) throw new AppError('VALIDATION_FAILED', { detail: 'roomScan is required when the room scan ends' });
    scanSeconds = Math.max(0, (input.roomScan.endedAt - input.roomScan.startedAt) / 1000);
    // One second of slack for the clock of a phone that measured the scan itself.
    if (scanSeconds + 1 < settings.roomScanMinSec) throw new AppError('VALIDATION_FAILED', { detail: `the room scan must last at least ${settings.roomScanMinSec} s` });
  }
  await withAudit(
    ctx.db,
    async (trx) => {
      await trx
        .updateTable('proof_phones')
        .set({ stage: input.stage, last_seen_at: now, ...(scanSeconds !== null ? { room_scan_seconds: scanSeconds } : {}) })
        .where('attempt_id', '=', p.attemptId)
        .where('phone_id', '=', p.phoneId)
        .execute();
      return { result: null, audit: { actor: `phone:${p.phoneId}`, action: 'proof.stage', target: `attempt:${p.attemptId}`, data: { from, to: input.stage, roomScan: input.roomScan ?? null } } };
    },
    now,
  );
  if (scanSeconds !== null) await raise(ctx, bus, { attemptId: p.attemptId, type: 'proof-room-scan', at: input.roomScan!.startedAt, data: { seconds: scanSeconds, degrees: input.roomScan!.degrees } });
  // Stopping the proof camera while the exam still runs is what the rules call 中断拍摄.
  if (input.stage === 'stopped' && a.status !== 'ended' && now < a.endsAt && a.enteredAt !== null) await raise(ctx, bus, { attemptId: p.attemptId, type: 'proof-stopped-early', at: now });
  await publishStatus(ctx, settings, bus, p.attemptId);
  return phoneState(ctx, settings, p);
}

export interface GapInput {
  fromAt: number;
  toAt: number;
  reason: 'hidden' | 'reload' | 'camera-lost';
}

/** A stretch without frames (call, background, reload): a flag with its length. Re-sending the same gap is harmless. */
export async function reportGap(ctx: Ctx, settings: ProofSettings, bus: Bus, p: Phone, g: GapInput): Promise<void> {
  await currentPhone(ctx, p);
  const now = ctx.clock.now();
  // A phone clock a little ahead of ours is normal; a gap in the future or longer than a day is not a gap.
  if (g.toAt < g.fromAt || g.toAt > now + 120_000 || g.toAt - g.fromAt > 24 * 3600_000) throw new AppError('VALIDATION_FAILED', { detail: 'the interruption times are not plausible' });
  const ms = g.toAt - g.fromAt;
  const fresh = await raise(ctx, bus, {
    attemptId: p.attemptId,
    type: 'proof-gap',
    at: g.fromAt,
    data: { reason: g.reason, seconds: ms / 1000, fromAt: g.fromAt, toAt: g.toAt },
    id: `proof-gap:${p.attemptId}:${g.fromAt}`,
  });
  if (!fresh.length) return; // the same gap again (a retried report)
  await withAudit(
    ctx.db,
    async (trx) => {
      await trx
        .updateTable('proof_phones')
        .set((eb) => ({ gap_count: eb('gap_count', '+', 1), gap_ms: eb('gap_ms', '+', ms) }))
        .where('attempt_id', '=', p.attemptId)
        .execute();
      return { result: null, audit: { actor: `phone:${p.phoneId}`, action: 'proof.gap', target: `attempt:${p.attemptId}`, data: g } };
    },
    now,
  );
  await publishStatus(ctx, settings, bus, p.attemptId);
}
