// The entry gate of 【进入考试】: when the session requires a proof video, the phone must be bound and recording
// continuously (room scan done, placed behind the candidate) before the candidate may enter.
import type { EntryGate } from '../attempts.ts';
import { AppError } from '../errors.ts';
import type { ProofSettings } from './settings.ts';
import { proofStatus } from './status.ts';

export function proofGate(settings: ProofSettings): EntryGate {
  return {
    name: 'proof',
    advisoryInPractice: true,
    async check(ctx, attemptId) {
      const session = await ctx.db
        .selectFrom('attempts')
        .innerJoin('sessions', 'sessions.id', 'attempts.session_id')
        .select('sessions.proof_required')
        .where('attempts.id', '=', attemptId)
        .executeTakeFirst();
      if (!session?.proof_required) return null;
      const s = await proofStatus(ctx, settings, attemptId);
      if (s.connection === 'recording' && s.stage === 'recording') return null;
      return new AppError('STEP_REQUIRED', { step: '佐证绑定' }, { step: 'proof', connection: s.connection, stage: s.stage });
    },
  };
}
