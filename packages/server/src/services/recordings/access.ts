// Who is asking about a recording, and the one lookup that enforces it: a candidate only ever sees the
// recordings of their own attempt; another attempt's recording is "not found", so ids cannot be probed.
import type { Recording, Stream } from '@invigil/contracts';
import type { Transaction } from 'kysely';
import type { Database } from '../../adapters/db/schema.ts';
import type { RecordingTable } from '../../adapters/db/schema-recordings.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';

export type RecordingCaller = { kind: 'candidate'; attemptId: string; actor: string } | { kind: 'staff'; actor: string };

export async function recordingFor(ctx: Ctx, caller: RecordingCaller, recordingId: string): Promise<RecordingTable> {
  const rec = await ctx.db.selectFrom('recordings').selectAll().where('id', '=', recordingId).executeTakeFirst();
  if (!rec || (caller.kind === 'candidate' && rec.attempt_id !== caller.attemptId)) throw notFound();
  return rec;
}

/** Re-reads the recording inside a transaction; on PostgreSQL the row lock orders segment PUTs against finalize. */
export async function lockRecording(ctx: Ctx, trx: Transaction<Database>, recordingId: string): Promise<RecordingTable> {
  return trx
    .selectFrom('recordings')
    .selectAll()
    .where('id', '=', recordingId)
    .$if(ctx.dbKind === 'postgres', (q) => q.forUpdate())
    .executeTakeFirstOrThrow();
}

export async function toRecording(ctx: Ctx, rec: RecordingTable): Promise<Recording> {
  const segments = await ctx.db
    .selectFrom('segments')
    .select(['seq', 'run', 'sha256', 'bytes'])
    .where('recording_id', '=', rec.id)
    .orderBy('seq')
    .execute();
  return {
    id: rec.id,
    attemptId: rec.attempt_id,
    stream: rec.stream as Stream,
    status: rec.status as Recording['status'],
    mimeType: rec.mime_type,
    segments: segments.map((s) => ({ seq: s.seq, run: s.run, sha256: s.sha256, bytes: Number(s.bytes) })),
    lastSeq: rec.last_seq,
    report: rec.report ? JSON.parse(rec.report) : null,
  };
}
