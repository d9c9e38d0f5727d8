// What a practice attempt (自助试测) may not do: count as a violation or reach examiners. One predicate each, so
// the flag pipeline (one raise() at merge) and the examiners' queries ask the same question the same way.
import type { Kysely } from 'kysely';
import type { Database } from '../../adapters/db/schema.ts';

/** Session kinds whose attempts are practice: repeated at will, never flagged, never scored. */
export const PRACTICE_KINDS = ['mock-self'] as const;

export const isPracticeKind = (kind: string) => (PRACTICE_KINDS as readonly string[]).includes(kind);

/** Examiners see attempts of real sessions only (a rehearsal is not scored either). */
export const reachesExaminers = (kind: string) => kind === 'real';

/**
 * True when nothing raised for this attempt may become a flag (no row, no push to proctors).
 * Every insert of an attempt event calls this first.
 */
export async function flagsMuted(db: Kysely<Database>, attemptId: string): Promise<boolean> {
  const r = await db.selectFrom('attempts').innerJoin('sessions', 'sessions.id', 'attempts.session_id').select('sessions.kind').where('attempts.id', '=', attemptId).executeTakeFirst();
  return !!r && isPracticeKind(r.kind);
}
