// Binding a phone to an attempt: the desktop asks for a single-use code; the phone redeems it (scanned or typed)
// and becomes the attempt's proof camera. Redeeming revokes whichever phone was bound before, so a candidate whose
// phone broke simply binds another one.
import { randomBytes, createHash, randomUUID } from 'node:crypto';
import type { Ctx } from '../context.ts';
import { AppError } from '../errors.ts';
import { withAudit } from '../audit.ts';
import type { Bus } from '../bus.ts';
import { pushEvents, recordEvents } from '../events.ts';
import type { ProofSettings } from './settings.ts';
import { bindCodeHash, newBindCode } from './codes.ts';
import { attemptFacts } from './status.ts';
import { dashboardTouched } from '../dashboard.ts';

/** The phone's session lasts past the exam until the upload deadline, with room for a slow upload. */
const PHONE_SESSION_MARGIN_MS = 6 * 3600_000;

export interface IssuedCode {
  code: string;
  expiresAt: number;
}

export async function issueBindCode(ctx: Ctx, settings: ProofSettings, actor: string, attemptId: string): Promise<IssuedCode> {
  const a = await attemptFacts(ctx, attemptId);
  const now = ctx.clock.now();
  if (a.status === 'ended' || now >= a.endsAt) throw new AppError('ATTEMPT_ENDED');
  const code = newBindCode();
  const expiresAt = now + settings.bindCodeTtlSec * 1000;
  await withAudit(
    ctx.db,
    async (trx) => {
      // One live code per attempt: a code on a screen the candidate no longer looks at should not stay usable.
      await trx.updateTable('proof_bind_codes').set({ used_at: now, outcome: 'replaced' }).where('attempt_id', '=', attemptId).where('used_at', 'is', null).execute();
      await trx
        .insertInto('proof_bind_codes')
        .values({ code_hash: bindCodeHash(code)!, attempt_id: attemptId, created_at: now, expires_at: expiresAt, used_at: null, outcome: null, phone_id: null })
        .execute();
      return { result: null, audit: { actor, action: 'proof.bind-code', target: `attempt:${attemptId}`, data: { expiresAt } } };
    },
    now,
  );
  return { code, expiresAt };
}

export interface BoundPhone {
  token: string;
  attemptId: string;
  phoneId: string;
  revokedPhoneId: string | null;
}

export async function bindPhone(ctx: Ctx, settings: ProofSettings, bus: Bus, input: { code: string; userAgent: string | null }): Promise<BoundPhone> {
  const hash = bindCodeHash(input.code);
  const row = hash ? await ctx.db.selectFrom('proof_bind_codes').selectAll().where('code_hash', '=', hash).executeTakeFirst() : undefined;
  const now = ctx.clock.now();
  if (!row) throw new AppError('BIND_CODE_INVALID');
  if (row.outcome === 'used') throw new AppError('BIND_CODE_USED');
  // A code replaced by a newer one on the desktop is, for the person holding the phone, simply out of date.
  if (row.outcome === 'replaced' || row.expires_at <= now) throw new AppError('BIND_CODE_EXPIRED');
  const a = await attemptFacts(ctx, row.attempt_id);
  if (a.status === 'ended' || now >= a.endsAt) throw new AppError('ATTEMPT_ENDED');
  const candidate = await ctx.db.selectFrom('attempts').select('candidate_id').where('id', '=', a.attemptId).executeTakeFirstOrThrow();

  const token = randomBytes(32).toString('base64url');
  const phoneId = randomUUID();
  const { revokedPhoneId, events } = await ctx.db.transaction().execute(async (trx) => {
    // The conditional update is the single-use guarantee: of two phones racing with one code, one wins.
    const used = await trx
      .updateTable('proof_bind_codes')
      .set({ used_at: now, outcome: 'used', phone_id: phoneId })
      .where('code_hash', '=', row.code_hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) === 0) throw new AppError('BIND_CODE_USED');
    const previous = await trx.selectFrom('proof_phones').select(['phone_id', 'gap_count', 'gap_ms']).where('attempt_id', '=', a.attemptId).executeTakeFirst();
    // Revoke: the old phone's session rows go, so its next request is 401 and it stops acting for this attempt.
    await trx.deleteFrom('auth_sessions').where('kind', '=', 'phone').where('candidate_id', '=', candidate.candidate_id).execute();
    await trx
      .insertInto('auth_sessions')
      .values({
        id: createHash('sha256').update(token).digest('hex'),
        kind: 'phone',
        user_id: null,
        candidate_id: candidate.candidate_id,
        attempt_id: a.attemptId,
        client_id: phoneId,
        created_at: now,
        expires_at: a.endsAt + settings.uploadDeadlineSec * 1000 + PHONE_SESSION_MARGIN_MS,
        last_seen_at: now,
      })
      .execute();
    await trx.deleteFrom('proof_phones').where('attempt_id', '=', a.attemptId).execute();
    await trx
      .insertInto('proof_phones')
      .values({
        attempt_id: a.attemptId,
        phone_id: phoneId,
        stage: 'bound',
        bound_at: now,
        user_agent: input.userAgent?.slice(0, 400) ?? null,
        last_seen_at: now,
        recording: 0,
        battery_level: null,
        charging: null,
        storage_free_mb: null,
        wake_lock: 0,
        room_scan_seconds: null,
        // Interruptions belong to the attempt's proof video, not to one phone: a re-pair keeps the count.
        gap_count: previous?.gap_count ?? 0,
        gap_ms: previous?.gap_ms ?? 0,
        silent_since: null,
        overdue_flagged_at: null,
      })
      .execute();
    const data = { phoneId, revokedPhoneId: previous?.phone_id ?? null };
    const events = await recordEvents(trx, [{ attemptId: a.attemptId, type: previous ? 'proof-rebound' : 'proof-bound', at: now, data }], now, {
      actor: `phone:${phoneId}`,
      action: previous ? 'proof.rebind' : 'proof.bind',
      target: `attempt:${a.attemptId}`,
      data,
    });
    return { revokedPhoneId: previous?.phone_id ?? null, events };
  });
  await pushEvents(ctx, bus, events);
  dashboardTouched(ctx, bus, a.attemptId);
  return { token, attemptId: a.attemptId, phoneId, revokedPhoneId };
}
