// Evidence for flags: when a medium or high flag is raised (by any detector, on any server process), ask the
// candidate's desktop for a fresh camera frame and keep it with the flag. Thumbnails are never stored otherwise.
// Several processes may run this at once: the first to claim an event (insert into flag_evidence) collects it.
import type { Ctx } from '../context.ts';
import { withAudit } from '../audit.ts';
import type { BlobStore } from '../../adapters/blob/port.ts';
import { EVIDENCE_TYPES } from '@invigil/contracts';

/** Asks a candidate's desktop for a camera frame (JPEG), or null when it is offline or does not answer. */
export interface SnapshotSource {
  snapshot(attemptId: string): Promise<Buffer | null>;
}

/** Events may commit a little after their received_at: look back this far, and skip what was already handled. */
const OVERLAP_MS = 5_000;
const MAX_EVIDENCE_BYTES = 256 * 1024;

export class EvidenceCollector {
  private cursor: number;
  private readonly handled = new Set<string>();
  private running = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly blobs: BlobStore,
    private readonly source: SnapshotSource,
  ) {
    this.cursor = ctx.clock.now() - OVERLAP_MS;
  }

  /** One pass; returns how many frames were kept. */
  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const events = await this.ctx.db
        .selectFrom('attempt_events')
        .select(['id', 'attempt_id', 'received_at'])
        .where('received_at', '>', this.cursor - OVERLAP_MS)
        .where('type', 'in', EVIDENCE_TYPES)
        .orderBy('received_at')
        .limit(200)
        .execute();
      let kept = 0;
      for (const e of events) {
        this.cursor = Math.max(this.cursor, e.received_at);
        if (this.handled.has(e.id)) continue;
        this.handled.add(e.id);
        if (await this.collect(e.id, e.attempt_id)) kept++;
      }
      if (this.handled.size > 10_000) this.handled.clear();
      return kept;
    } finally {
      this.running = false;
    }
  }

  private async collect(eventId: string, attemptId: string): Promise<boolean> {
    const claim = await this.ctx.db
      .insertInto('flag_evidence')
      .values({ event_id: eventId, attempt_id: attemptId, blob_ref: null, at: this.ctx.clock.now() })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .executeTakeFirst();
    if (!Number(claim.numInsertedOrUpdatedRows ?? 0)) return false;
    const jpeg = await this.source.snapshot(attemptId).catch(() => null);
    if (!jpeg || jpeg.length > MAX_EVIDENCE_BYTES || !isJpeg(jpeg)) return false;
    const { ref } = await this.blobs.put(`evidence/${attemptId}/${eventId}.jpg`, jpeg, { contentType: 'image/jpeg' });
    const now = this.ctx.clock.now();
    await withAudit(
      this.ctx.db,
      async (trx) => {
        await trx.updateTable('flag_evidence').set({ blob_ref: ref, at: now }).where('event_id', '=', eventId).execute();
        return { result: null, audit: { actor: 'system', action: 'flag.evidence-stored', target: `attempt:${attemptId}`, data: { eventId } } };
      },
      now,
    );
    return true;
  }

  start(log: { error(o: unknown, m: string): void }, everyMs = 1500): () => void {
    const t = setInterval(() => void this.tick().catch((err) => log.error({ err }, 'evidence collection failed')), everyMs);
    t.unref();
    return () => clearInterval(t);
  }
}

/** A JPEG starts with FF D8 FF: anything else from a browser is not kept. */
export const isJpeg = (b: Buffer) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
