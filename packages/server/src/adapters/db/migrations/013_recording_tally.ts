// Each recording's stored bytes and segments as a running total (issue #18). The session dashboard (pushed to
// admin and support at most every 500 ms while candidates move) and the per-attempt upload quota summed the
// segments table, which grows with the exam: at the end of a 25-minute exam of 1,000 candidates that is 1.5 M rows
// and one dashboard push held SQLite — and so the event loop — for 155 ms (bench/morning/long-exam.ts). Now they
// sum ≤ 3 rows per attempt.
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
  // Recordings stored before this migration.
  await sql`UPDATE recordings SET
      bytes_stored = COALESCE((SELECT SUM(bytes) FROM segments WHERE segments.recording_id = recordings.id), 0),
      segments_stored = (SELECT COUNT(*) FROM segments WHERE segments.recording_id = recordings.id)`.execute(db);
  if (isPostgres(db)) {
    await sql`CREATE FUNCTION recording_tally() RETURNS trigger AS $$
      BEGIN
        UPDATE recordings SET bytes_stored = bytes_stored + NEW.bytes, segments_stored = segments_stored + 1 WHERE id = NEW.recording_id;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER segments_tally AFTER INSERT ON segments FOR EACH ROW EXECUTE FUNCTION recording_tally()`.execute(db);
  } else {
    await sql`CREATE TRIGGER segments_tally AFTER INSERT ON segments FOR EACH ROW BEGIN
        UPDATE recordings SET bytes_stored = bytes_stored + NEW.bytes, segments_stored = segments_stored + 1 WHERE id = NEW.recording_id;
      END`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('down migrations are not supported: restore from backup');
}
