// The attempt's face row (face_attempts: consent, the open challenge, how identity was established, in-exam check
// misses), created empty on first use by whichever comes first: face login or an in-exam identity check.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../adapters/db/schema.ts';

export async function faceAttemptRow(db: Kysely<Database> | Transaction<Database>, c: { attemptId: string; candidateId: string }) {
  // Two tabs, or a check and a login, may race to create it. ON CONFLICT keeps the first row and fails neither —
  // also inside a transaction, which a failed insert would abort on PostgreSQL.
  await db
    .insertInto('face_attempts')
    .values({
      attempt_id: c.attemptId,
      candidate_id: c.candidateId,
      consent: null,
      consent_at: null,
      consent_version: null,
      challenge_id: null,
      challenge_action: null,
      challenge_expires_at: null,
      passed_via: null,
      passed_at: null,
      check_misses: 0,
    })
    .onConflict((oc) => oc.column('attempt_id').doNothing())
    .execute();
  return db.selectFrom('face_attempts').selectAll().where('attempt_id', '=', c.attemptId).executeTakeFirstOrThrow();
}
