// Each recording's stored segments as running totals — count, bytes, recorded milliseconds, highest seq (issue #18).
// The session dashboard (pushed to admin and support at most every 500 ms while candidates move), the support
// view's recordings table (polled every 10 s by each support user) and the per-attempt upload quota summed the
// segments table, which grows with the exam: at the end of a 25-minute exam of 1,000 candidates that is 1.5 M rows,
// and one dashboard push held SQLite — and so the event loop — for 155 ms (bench/morning/long-exam.ts). Now they
// read one row per recording.
//
// The totals are kept by a trigger on segments, in the same statement as the insert: no code path can store a
// segment and forget the total, and a crash cannot split them. Segments are never deleted on their own (only with
// their recording, by cascade), so only inserts are counted.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('recordings')
    .addColumn('bytes_stored', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('recordings')
    .addColumn('segments_stored', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('recordings')
    .addColumn('ms_stored', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('recordings').addColumn('max_seq_stored', 'integer').execute(); // null: none yet
  // Recordings stored before this migration.
  await sql`UPDATE recordings SET
      bytes_stored = COALESCE((SELECT SUM(bytes) FROM segments WHERE segments.recording_id = recordings.id), 0),
      segments_stored = (SELECT COUNT(*) FROM segments WHERE segments.recording_id = recordings.id),
      ms_stored = COALESCE((SELECT SUM(duration_ms) FROM segments WHERE segments.recording_id = recordings.id), 0),
      max_seq_stored = (SELECT MAX(seq) FROM segments WHERE segments.recording_id = recordings.id)`.execute(db);
  // The same update in each dialect; only the two-argument maximum is spelled differently.
  const update = (greatest: string) =>
    `UPDATE recordings SET bytes_stored = bytes_stored + NEW.bytes, segments_stored = segments_stored + 1,
       ms_stored = ms_stored + NEW.duration_ms, max_seq_stored = ${greatest}(COALESCE(max_seq_stored, -1), NEW.seq)
     WHERE id = NEW.recording_id;`;
  if (isPostgres(db)) {
    await sql.raw(`CREATE FUNCTION recording_tally() RETURNS trigger AS $$ BEGIN ${update('GREATEST')} RETURN NEW; END $$ LANGUAGE plpgsql`).execute(db);
    await sql`CREATE TRIGGER segments_tally AFTER INSERT ON segments FOR EACH ROW EXECUTE FUNCTION recording_tally()`.execute(db);
  } else {
    await sql.raw(`CREATE TRIGGER segments_tally AFTER INSERT ON segments FOR EACH ROW BEGIN ${update('MAX')} END`).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('down migrations are not supported: restore from backup');
}
