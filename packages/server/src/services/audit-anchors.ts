// Periodic audit anchors: the head of the chain (seq, hash) written to the server log and appended to
// DATA_DIR/audit-anchors.jsonl. Copied somewhere the database's writers cannot reach (log shipping, a printout),
// an anchor lets `invigil audit verify --anchor-file` detect rows deleted from the end of the log.
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Ctx } from './context.ts';
import { auditAnchor, type AuditAnchor } from './audit.ts';

export const ANCHOR_FILE = 'audit-anchors.jsonl';

export async function writeAnchor(ctx: Ctx, log: { info(o: unknown, m: string): void }): Promise<AuditAnchor | null> {
  const a = await auditAnchor(ctx.db);
  if (!a) return null;
  log.info({ auditAnchor: a }, 'audit anchor');
  await fsp.appendFile(path.join(ctx.config.dataDir, ANCHOR_FILE), `${JSON.stringify(a)}\n`);
  return a;
}

export function startAuditAnchors(ctx: Ctx, log: { info(o: unknown, m: string): void; error(o: unknown, m: string): void }, everyMs = 10 * 60_000): () => void {
  let last = -1;
  const tick = () =>
    void auditAnchor(ctx.db)
      .then((a) => (a && a.seq !== last ? writeAnchor(ctx, log).then((w) => (last = w?.seq ?? last)) : null))
      .catch((err) => log.error({ err }, 'audit anchor failed'));
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return () => clearInterval(timer);
}

/** Anchors from a file of JSON lines (as written above) or a single JSON object. */
export function parseAnchors(text: string): AuditAnchor[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditAnchor)
    .filter((a) => Number.isInteger(a.seq) && typeof a.hash === 'string');
}
