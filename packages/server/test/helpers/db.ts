// Databases for tests: a temp SQLite file, and — when TEST_DATABASE_URL is set — a throwaway PostgreSQL
// database created for this test file and dropped afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, migrate, type OpenedDb } from '../../src/adapters/db/database.ts';

export type DialectName = 'sqlite' | 'postgres';

export const PG_URL = process.env.TEST_DATABASE_URL;

/** The dialects to run a suite on; PostgreSQL only when configured (and the skip says why). */
export const dialects: DialectName[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
if (!PG_URL) console.warn('[tests] PostgreSQL suites skipped: TEST_DATABASE_URL is not set (.ci/run sets it)');

export async function freshDb(kind: DialectName): Promise<OpenedDb & { cleanup(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-test-'));
    const db = await openDatabase({ kind: 'sqlite', file: path.join(dir, 'test.db') });
    await migrate(db.db);
    return {
      ...db,
      cleanup: async () => {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `invigil_t_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: 'postgres', url: url.toString() });
  await migrate(db.db);
  return {
    ...db,
    cleanup: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      // The pool has ended; a connection may still be closing, so retry briefly rather than forcing.
      for (let i = 0; ; i++) {
        try {
          await c.query(`DROP DATABASE IF EXISTS ${name}`);
          break;
        } catch (e) {
          if (i > 20) throw e;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await c.end();
    },
  };
}
