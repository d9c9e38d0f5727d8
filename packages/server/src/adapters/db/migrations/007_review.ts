// Examiner review and scoring (issue #16). Panels, panel_examiners and candidates.anonymous_number already exist
// (001): a candidate reaches a panel through candidates.panel_id. Points are doubles (steps such as 0.5).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One rubric per session, with the aggregation and the publication lock of its results.
  await db.schema
    .createTable('rubrics')
    .addColumn('session_id', 'text', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
    .addColumn('aggregation', 'text', (c) => c.notNull())
    .addColumn('deviation_threshold', 'double precision', (c) => c.notNull())
    .addColumn('published_at', 'bigint')
    .addColumn('published_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('rubric_criteria')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('max_points', 'double precision', (c) => c.notNull())
    .addColumn('step', 'double precision', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rubric_criteria_session').on('rubric_criteria').columns(['session_id', 'position']).execute();
  // One examiner's score for one attempt: draft until submitted; an admin unlock returns it to draft (audited).
  await db.schema
    .createTable('scores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('submitted_at', 'bigint')
    .addColumn('unlocked_at', 'bigint')
    .addColumn('unlock_reason', 'text')
    .addUniqueConstraint('scores_attempt_user', ['attempt_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('score_marks')
    .addColumn('score_id', 'text', (c) => c.notNull().references('scores.id').onDelete('cascade'))
    .addColumn('criterion_id', 'text', (c) => c.notNull().references('rubric_criteria.id').onDelete('cascade'))
    .addColumn('points', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('score_marks_pk', ['score_id', 'criterion_id'])
    .execute();
  // The 违纪 decision on an attempt (none / warning / cancel), with the rule and the reason.
  await db.schema
    .createTable('conduct_decisions')
    .addColumn('attempt_id', 'text', (c) => c.primaryKey().references('attempts.id').onDelete('cascade'))
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('rule', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('down migrations are not supported: restore from backup');
}
