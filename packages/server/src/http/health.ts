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
/**
 * A backing service that is down for the moment (PostgreSQL restarting, the S3 store unreachable): the request was
 * fine and will succeed when it is back, so the answer is 503 with a wait, not a 500 (the fault scripts in
 * scripts/faults/ saw 500s for a 20 s PostgreSQL restart and a 60 s S3 outage). Looks through `cause` chains,
 * which is where the AWS SDK and pg put the socket error.
 */
const DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
const DOWN_MESSAGES = /Connection terminated|connection error|socket hang up|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/i;
export function isBackendDown(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, errors } = e as { code?: unknown; message?: unknown; errors?: unknown };
    if (typeof code === 'string' && DOWN_CODES.has(code)) return true;
    if (typeof message === 'string' && DOWN_MESSAGES.test(message)) return true;
    // Node's connect() to several addresses fails with an AggregateError of socket errors.
    if (Array.isArray(errors) && errors.some((x) => isBackendDown(x))) return true;
  }
  return false;
}

export function isStorageFull(err: { code?: unknown; message?: string }): boolean {
  return err.code === 'SQLITE_FULL' || err.code === 'ENOSPC' || err.code === '53100' || /database or disk is full/i.test(err.message ?? '');
}
