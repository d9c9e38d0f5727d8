// What every service needs, chosen once in main.ts (or a test) and passed down.
import type { Db, DbKind } from '../adapters/db/database.ts';
import type { Config } from '../config.ts';

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

export interface Ctx {
  db: Db;
  dbKind: DbKind;
  config: Config;
  clock: Clock;
}
