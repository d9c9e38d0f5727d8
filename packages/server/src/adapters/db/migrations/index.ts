// One list of migrations for both dialects, in order. Add new ones at the end; never edit a shipped one.
import type { Migration } from 'kysely';
import * as m001 from './001_foundation.ts';
import * as m002 from './002_recordings.ts';
import * as m003 from './003_face.ts';
import * as m004 from './004_proof.ts';
import * as m005 from './005_monitoring.ts';
import * as m006 from './006_security.ts';
import * as m007 from './007_review.ts';
import * as m008 from './008_mock.ts';
import * as m009 from './009_jobs.ts';
import * as m010 from './010_event_evidence.ts';
import * as m011 from './011_monitor.ts';
import * as m012 from './012_run_start.ts';
import * as m013 from './013_recording_tally.ts';

export const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_recordings': m002,
  '003_face': m003,
  '004_proof': m004,
  '005_monitoring': m005,
  '006_security': m006,
  '007_review': m007,
  '008_mock': m008,
  '009_jobs': m009,
  '010_event_evidence': m010,
  '011_monitor': m011,
  '012_run_start': m012,
  '013_recording_tally': m013,
};
