// What /api/health can tell beyond "the process answers": whether DATA_DIR takes writes. A read-only or full
// DATA_DIR used to report ok while every write answered 500 (issue #13). Probed at most every few seconds.
import fsp from 'node:fs/promises';
import path from 'node:path';

const PROBE_EVERY_MS = 5000;

export function dataDirProbe(dataDir: string): () => Promise<boolean> {
  let last = 0;
  let ok = true;
  return async () => {
    const now = Date.now();
    if (now - last < PROBE_EVERY_MS) return ok;
    last = now;
    const file = path.join(dataDir, 'tmp', `.health-${process.pid}`);
    try {
      await fsp.mkdir(path.dirname(file), { recursive: true });
      await fsp.writeFile(file, String(now));
      await fsp.rm(file, { force: true });
      ok = true;
    } catch {
      ok = false;
    }
    return ok;
  };
}

/** A database or filesystem error that means "no space left": answered 507 STORAGE_FULL, not 500. */
export function isStorageFull(err: { code?: unknown; message?: string }): boolean {
  return err.code === 'SQLITE_FULL' || err.code === 'ENOSPC' || err.code === '53100' || /database or disk is full/i.test(err.message ?? '');
}
