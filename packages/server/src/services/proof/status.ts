// The proof camera's status of one attempt as every screen shows it (desktop, phone, proctor, support), and
// publishing it to all of them at once.
import { endsAt, type PhoneStage, type ProofStatus } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import type { ProofPhoneTable } from '../../adapters/db/schema-proof.ts';
import type { Bus } from '../bus.ts';
import { notFound } from '../errors.ts';
import { staffTargets } from '../access.ts';
import type { ProofSettings } from './settings.ts';
import { connectionOf, uploadDeadline } from './rules.ts';
import { attemptTimeline } from '../sessions.ts';

export interface AttemptFacts {
  attemptId: string;
  status: string;
  enteredAt: number | null;
  endedAt: number | null;
  startsAt: number;
  endsAt: number;
  proofRequired: boolean;
}

export async function attemptFacts(ctx: Ctx, attemptId: string): Promise<AttemptFacts> {
  const a = await ctx.db
    .selectFrom('attempts')
    .innerJoin('sessions', 'sessions.id', 'attempts.session_id')
    .innerJoin('candidates', 'candidates.id', 'attempts.candidate_id')
    .selectAll('sessions')
    .select(['attempts.id as attempt_id', 'attempts.status', 'attempts.entered_at', 'attempts.ended_at', 'candidates.extra_time_sec'])
    .where('attempts.id', '=', attemptId)
    .executeTakeFirst();
  if (!a) throw notFound();
  // The attempt's own timeline: a practice attempt's own start, a candidate's extra time.
  const tl = attemptTimeline(a, a, a.extra_time_sec, ctx.clock.now());
  return { attemptId: a.attempt_id, status: a.status, enteredAt: a.entered_at, endedAt: a.ended_at, startsAt: tl.startsAt, endsAt: endsAt(tl), proofRequired: !!a.proof_required };
}

export const phoneFacts = (p: ProofPhoneTable | undefined | null) => (p ? { stage: p.stage as PhoneStage, lastSeenAt: p.last_seen_at, recording: !!p.recording } : null);

export function composeStatus(settings: ProofSettings, now: number, a: AttemptFacts, phone: ProofPhoneTable | null, rec: { status: string; finalized_at: number | null } | null): ProofStatus {
  const upload = uploadDeadline({
    now,
    examEndAt: a.endedAt ?? a.endsAt,
    deadlineSec: settings.uploadDeadlineSec,
    started: !!phone || !!rec,
    entered: a.proofRequired && a.enteredAt !== null,
    recording: rec ? { status: rec.status, finalizedAt: rec.finalized_at } : null,
  });
  return {
    attemptId: a.attemptId,
    connection: connectionOf(phoneFacts(phone), now, settings.staleSec * 1000),
    stage: (phone?.stage as PhoneStage | undefined) ?? null,
    phoneId: phone?.phone_id ?? null,
    boundAt: phone?.bound_at ?? null,
    lastSeenAt: phone?.last_seen_at ?? null,
    roomScanSeconds: phone?.room_scan_seconds ?? null,
    battery: phone && phone.battery_level !== null ? { level: phone.battery_level, charging: !!phone.charging } : null,
    storageFreeMb: phone?.storage_free_mb ?? null,
    gaps: { count: phone?.gap_count ?? 0, seconds: Math.round(Number(phone?.gap_ms ?? 0) / 100) / 10 },
    upload,
    now,
  };
}

export async function proofStatus(ctx: Ctx, settings: ProofSettings, attemptId: string): Promise<ProofStatus> {
  const a = await attemptFacts(ctx, attemptId);
  const phone = (await ctx.db.selectFrom('proof_phones').selectAll().where('attempt_id', '=', attemptId).executeTakeFirst()) ?? null;
  const rec = (await ctx.db.selectFrom('recordings').select(['status', 'finalized_at']).where('attempt_id', '=', attemptId).where('stream', '=', 'phone').executeTakeFirst()) ?? null;
  return composeStatus(settings, ctx.clock.now(), a, phone, rec);
}

/** To the desktop and the phone (attempt channel) and to the staff watching its session/room. */
export async function publishStatus(ctx: Ctx, settings: ProofSettings, bus: Bus, attemptId: string): Promise<ProofStatus> {
  const status = await proofStatus(ctx, settings, attemptId);
  bus.emit([{ attempt: attemptId }, ...(await staffTargets(ctx, attemptId))], 'proof:status', status);
  return status;
}
