// The assembly job's state as the API shows it (Recording.assembly, SessionRecordingRow.assembly).
import type { Assembly } from '@invigil/contracts';
import type { RecordingTable } from '../../adapters/db/schema-recordings.ts';

export function assemblyOf(rec: Pick<RecordingTable, 'assembly_state' | 'assembly_attempts' | 'assembly_error' | 'assembly_at'>): Assembly | null {
  if (!rec.assembly_state) return null;
  return { state: rec.assembly_state as Assembly['state'], attempts: rec.assembly_attempts ?? 0, error: rec.assembly_error, at: rec.assembly_at };
}
