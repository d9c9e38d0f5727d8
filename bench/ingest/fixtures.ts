// Bench data, written straight into the database before the server starts: one session, N candidates with
// attempts, and a candidate login (auth_sessions row, id = SHA-256 of the cookie token) for each.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { openDatabase, migrate } from '../../packages/server/src/adapters/db/database.ts';
import { attemptRow } from '../../packages/server/src/adapters/db/rows.ts';

export interface BenchCandidate {
  attemptId: string;
  cookie: string;
  phoneCookie: string;
}

export async function seedCandidates(dbFile: string, n: number): Promise<BenchCandidate[]> {
  const { db, close } = await openDatabase({ kind: 'sqlite', file: dbFile });
  try {
    await migrate(db);
    const now = Date.now();
    const examId = randomUUID();
    const sessionId = randomUUID();
    const out: BenchCandidate[] = [];
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('exams').values({ id: examId, name: 'Bench', description: '', created_at: now }).execute();
      await trx
        .insertInto('sessions')
        .values({
          id: sessionId,
          exam_id: examId,
          name: 'Bench',
          kind: 'real',
          login_opens_at: now - 3600_000,
          entry_opens_at: now - 1800_000,
          waiting_cutoff_at: null,
          starts_at: now - 60_000,
          duration_sec: 7200,
          entry_cutoff_mode: 'at-start',
          entry_cutoff_minutes: 0,
          face_required: 0,
          proof_required: 1,
          created_at: now,
        })
        .execute();
      for (let i = 0; i < n; i++) {
        const candidateId = randomUUID();
        const attemptId = randomUUID();
        const token = randomBytes(32).toString('base64url');
        await trx
          .insertInto('candidates')
          .values({
            id: candidateId,
            session_id: sessionId,
            room_id: null,
            panel_id: null,
            name: `Bench ${i}`,
            id_number: `B${i}`,
            ticket: `T${i}`,
            anonymous_number: `A${i}`,
            photo_key: null,
            created_at: now,
          })
          .execute();
        await trx
          .insertInto('attempts')
          .values(
            attemptRow({
              id: attemptId,
              candidate_id: candidateId,
              session_id: sessionId,
              status: 'in-progress',
              logged_in_at: now,
              entered_at: now,
              live_client_id: 'bench',
              live_seen_at: now,
            }),
          )
          .execute();
        await trx
          .insertInto('auth_sessions')
          .values({
            id: createHash('sha256').update(token).digest('hex'),
            kind: 'candidate',
            user_id: null,
            candidate_id: candidateId,
            attempt_id: attemptId,
            client_id: 'bench',
            created_at: now,
            expires_at: now + 6 * 3600_000,
            last_seen_at: now,
          })
          .execute();
        // The phone uploads the proof video with its own (bound phone) session, as in production.
        const phoneToken = randomBytes(32).toString('base64url');
        await trx
          .insertInto('auth_sessions')
          .values({
            id: createHash('sha256').update(phoneToken).digest('hex'),
            kind: 'phone',
            user_id: null,
            candidate_id: candidateId,
            attempt_id: attemptId,
            client_id: 'bench-phone',
            created_at: now,
            expires_at: now + 6 * 3600_000,
            last_seen_at: now,
          })
          .execute();
        out.push({ attemptId, cookie: `invigil_sid=${token}`, phoneCookie: `invigil_sid=${phoneToken}` });
      }
    });
    return out;
  } finally {
    await close();
  }
}

/**
 * How many of the acknowledged segments (`recordingId:seq`) have a row. Requests the load generator gave up on
 * may still have been stored; only the acknowledged ones must all be there.
 */
export async function countStoredOf(dbFile: string, ackedKeys: string[]): Promise<number> {
  const { db, close } = await openDatabase({ kind: 'sqlite', file: dbFile });
  try {
    const rows = await db.selectFrom('segments').select(['recording_id', 'seq']).execute();
    const stored = new Set(rows.map((r) => `${r.recording_id}:${r.seq}`));
    return ackedKeys.filter((k) => stored.has(k)).length;
  } finally {
    await close();
  }
}
