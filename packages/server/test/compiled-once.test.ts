// The hot-path query helpers of the data layer, on both dialects: queries compiled once give the same answers as
// the builder, and the SQLite statement cache survives streaming and schema changes.
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { dialects, freshDb } from './helpers/db.ts';
import { compiledOnce } from '../src/adapters/db/compiled-once.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const examById = compiledOnce((db, p: { id: string; name: string }) =>
  db
    .selectFrom('exams')
    .select(['id', 'name'])
    .where('id', '=', p.id)
    .where((w) => w.or([w('name', '=', p.name), w('name', 'is', null)])),
);

describe.each(dialects)('compiledOnce on %s', (kind) => {
  it('runs one compiled query with each call’s values, and inserts report affected rows', async () => {
    const { db, cleanup } = await freshDb(kind);
    cleanups.push(cleanup);
    const ids = [randomUUID(), randomUUID()];
    const insert = compiledOnce((d, p: { id: string; name: string; now: number }) =>
      d
        .insertInto('exams')
        .values({ id: p.id, name: p.name, description: '', created_at: p.now })
        .onConflict((oc) => oc.column('id').doNothing()),
    );
    for (const [i, id] of ids.entries()) expect(Number((await insert.execute(db, { id, name: `考试${i}`, now: Date.now() })).numAffectedRows)).toBe(1);
    expect(Number((await insert.execute(db, { id: ids[0]!, name: 'again', now: Date.now() })).numAffectedRows)).toBe(0);
    expect(await examById.first(db, { id: ids[1]!, name: '考试1' })).toEqual({ id: ids[1], name: '考试1' });
    expect(await examById.first(db, { id: ids[0]!, name: '考试1' })).toBeUndefined();
    expect(await examById.first(db, { id: ids[0]!, name: '考试0' })).toEqual({ id: ids[0], name: '考试0' });
  });

  it('refuses a builder that does not bind a value as a parameter (it would be frozen into the SQL)', async () => {
    const { db, cleanup } = await freshDb(kind);
    cleanups.push(cleanup);
    const inlined = compiledOnce((d, p: { id: string }) => d.selectFrom('exams').select('id').where('id', '=', sql.lit(p.id)));
    await expect(inlined.first(db, { id: 'x' })).rejects.toThrow(/id did not become bound parameters/);
  });

  // The statement cache is SQLite's (PostgreSQL's driver prepares nothing here, and streams need a cursor).
  it.runIf(kind === 'sqlite')('keeps cached statements usable after a stream and after the schema changes', async () => {
    const { db, cleanup } = await freshDb(kind);
    cleanups.push(cleanup);
    for (let i = 0; i < 5; i++)
      await db
        .insertInto('exams')
        .values({ id: randomUUID(), name: `e${i}`, description: '', created_at: i })
        .execute();
    const seen: string[] = [];
    for await (const row of db.selectFrom('exams').select('name').orderBy('created_at').stream()) seen.push(row.name);
    expect(seen).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    const count = () =>
      db
        .selectFrom('exams')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
    expect(Number((await count()).n)).toBe(5);
    await sql`create table scratch_cache_test (x integer)`.execute(db);
    await sql`drop table scratch_cache_test`.execute(db);
    expect(Number((await count()).n)).toBe(5);
  });
});
