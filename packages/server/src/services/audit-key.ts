// The audit chain's HMAC key and the request origin of audit rows. The key lives outside the database
// (AUDIT_HMAC_KEY, or DATA_DIR/audit.key generated once with mode 0600), so someone who can write the database
// but not read the server's files cannot recompute a valid chain after rewriting rows.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

let key: Buffer | null = null;

/** Loads (or creates) the key once per process; later calls keep the first (one server, one DATA_DIR per process). */
export function useAuditKey(o: { auditHmacKey: string | null; dataDir: string }): Buffer {
  if (key) return key;
  if (o.auditHmacKey) return (key = Buffer.from(o.auditHmacKey, 'utf8'));
  const file = path.join(o.dataDir, 'audit.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(o.dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process created it first
    }
  }
  return (key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'utf8'));
}

export const auditKey = () => key;

/** Where the current request came from; set by the HTTP edge, read when an audit row is written. */
export const auditOrigin = new AsyncLocalStorage<{ ip: string | null; userAgent: string | null }>();
