// One list of migrations for both dialects, in order. Add new ones at the end; never edit a shipped one.
import type { Migration } from 'kysely';
import * as m001 from './001_foundation.ts';

export const migrations: Record<string, Migration> = {
  '001_foundation': m001,
};
