// Who is asking about a recording, and the one lookup that enforces it: a candidate only ever sees the
// recordings of their own attempt; another attempt's recording is "not found", so ids cannot be probed.
import type { Recording, Stream } from '@invigil/contracts';
import type { Transaction } from 'kysely';
import type { Database } from '../../adapters/db/schema.ts';
import type { RecordingTable } from '../../adapters/db/schema-recordings.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { assemblyOf } from './assembly-state.ts';

/** `device`: the candidate's exam computer or their bound phone — each may only write its own streams. */
export type RecordingCaller = { kind: 'candidate'; attemptId: string; actor: string; device: UploadDevice } | { kind: 'staff'; actor: string };
export type UploadDevice = 'desktop' | 'phone';

// Upload rights per stream (issue #13): a bound phone once could PUT into, and finalize, the desktop's camera and
// screen recordings — a finalize with a low lastSeq then refused every later desktop segment.
const STREAMS: Record<UploadDevice, readonly Stream[]> = { desktop: ['camera', 'screen'], phone: ['phone'] };
export const mayWriteStream = (device: UploadDevice, stream: string) => (STREAMS[device] as readonly string[]).includes(stream);

/**
 * Upload bounds per attempt. MediaRecorder chunks are a few seconds (~200 kB–2 MB at our bitrates); a three-hour
 * exam at a 4 s timeslice is ~2,700 segments per stream and ~5 GB in all. The bounds are generous to honest
 * clients and stop one candidate from filling the server's disk.
 */
export const UPLOAD_LIMITS = {
  segmentMaxBytes: 16 * 1024 * 1024,
  maxSeq: 50_000,
  attemptMaxBytes: 12 * 1024 ** 3,
  attemptMaxSegments: 60_000,
};

/** The EBML magic every WebM file starts with; the first segment of each run carries the file header. */
export const isWebmHeader = (b: Buffer) => b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3;

const EBML_ID = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);
/**
 * A run's first segment may hold only the first 1–3 bytes of that magic: a recorder's timeslice can end inside the
 * header (seen from Chromium under load: a first chunk of the single byte 0x1A), and the next segment carries the
 * rest. Current clients hold such a start back, but journals written before keep it, and a refusal would be
 * retried forever. Such a segment starts the file correctly; assembly joins it with the rest of its run.
 */
export const isWebmHeaderStart = (b: Buffer) => isWebmHeader(b) || (b.length > 0 && b.length < EBML_ID.length && EBML_ID.subarray(0, b.length).equals(b));

/** May this caller finalize this recording now? Its own recorder at any time; the other device only after the attempt ended. */
export async function mayFinalize(ctx: Ctx, caller: RecordingCaller, rec: RecordingTable): Promise<boolean> {
  if (caller.kind !== 'candidate') return false;
  if (mayWriteStream(caller.device, rec.stream)) return true;
  const a = await ctx.db.selectFrom('attempts').select('status').where('id', '=', rec.attempt_id).executeTakeFirst();
  return a?.status === 'ended';
}

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
  const segments = await ctx.db.selectFrom('segments').select(['seq', 'run', 'sha256', 'bytes']).where('recording_id', '=', rec.id).orderBy('seq').execute();
  return {
    id: rec.id,
    attemptId: rec.attempt_id,
    stream: rec.stream as Stream,
    status: rec.status as Recording['status'],
    mimeType: rec.mime_type,
    segments: segments.map((s) => ({ seq: s.seq, run: s.run, sha256: s.sha256, bytes: Number(s.bytes) })),
    lastSeq: rec.last_seq,
    report: rec.report ? JSON.parse(rec.report) : null,
    assembly: assemblyOf(rec),
  };
}
