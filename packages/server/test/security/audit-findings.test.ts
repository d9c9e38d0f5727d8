// Issue #13, audit: rows carry the client address and user agent; an HMAC under a key outside the database
// detects a row rewritten with a recomputed chain; an exported anchor detects rows deleted from the end; and the
// state changes that wrote no audit row now do (listed below).
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditAnchor, verifyAudit } from '../../src/services/audit.ts';
import { tick } from '../../src/services/timekeeper.ts';
import { raise } from '../../src/services/events.ts';
import { EvidenceCollector } from '../../src/services/monitoring/evidence.ts';
import { LocalBlobStore } from '../../src/adapters/blob/local.ts';
import { MemoryBus } from '../../src/realtime/bus.ts';
import { world, type World } from './world.ts';

let w: World;
beforeAll(async () => {
  w = await world({ startsIn: 120 });
});
afterAll(() => w?.close());

const rows = () => w.t.app.ctx.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
const actions = async () => (await rows()).map((r) => r.action);

describe('audit rows', () => {
  it('record the client address and user agent, and carry a MAC', async () => {
    await w.t.req('POST', '/api/auth/login', undefined, w.demo.support, { 'user-agent': 'Mozilla/5.0 audit-test' });
    const last = (await rows()).at(-1)!;
    expect(last.action).toBe('staff.login');
    expect(last.ip).toBe('127.0.0.1');
    expect(last.user_agent).toBe('Mozilla/5.0 audit-test');
    expect(last.mac).toMatch(/^[0-9a-f]{64}$/);
  });

  // Each state change that used to write no audit row, how it is caused here, and the row it writes now.
  const STATE_CHANGES: Array<{ change: string; action: string; cause: () => Promise<unknown> }> = [
    {
      change: 'device check stored',
      action: 'attempt.device-check',
      cause: () =>
        w.t.req('POST', '/api/attempt/device-check', w.cookies.candidate, {
          camera: 'ok',
          microphone: 'ok',
          speaker: 'ok',
          browser: { ok: true, userAgent: 'x' },
          singleMonitor: true,
          storageFreeMb: 1000,
          uploadKbps: 1000,
        }),
    },
    {
      change: 'waiting → answering at the start',
      action: 'attempt.answering',
      cause: async () => {
        await w.t.app.ctx.db.updateTable('attempts').set({ status: 'waiting' }).where('id', '=', w.attemptId).execute();
        w.t.clock.advance(121_000);
        return tick(w.t.app.ctx, new MemoryBus());
      },
    },
    {
      change: 'watchdog flag raised',
      action: 'event.raise',
      cause: () => raise(w.t.app.ctx, new MemoryBus(), { attemptId: w.attemptId, type: 'proof-silent', at: w.t.clock.now(), data: { seconds: 30 } }),
    },
    {
      change: 'flag evidence stored',
      action: 'flag.evidence-stored',
      cause: async () => {
        const blobs = await LocalBlobStore.create(path.join(w.t.app.ctx.config.dataDir, 'evidence-test'));
        const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0xff, 0xd9]);
        const collector = new EvidenceCollector(w.t.app.ctx, blobs, { snapshot: async () => jpeg });
        await raise(w.t.app.ctx, new MemoryBus(), { attemptId: w.attemptId, type: 'several-faces', at: w.t.clock.now() });
        return collector.tick();
      },
    },
  ];
  for (const s of STATE_CHANGES)
    it(`writes an audit row for: ${s.change} (${s.action})`, async () => {
      const before = (await actions()).filter((a) => a === s.action).length;
      await s.cause();
      // At least one: the evidence pass also collects for the flag raised by the case before it.
      expect((await actions()).filter((a) => a === s.action).length).toBeGreaterThanOrEqual(before + 1);
    });
});

describe('audit verify', () => {
  it('detects a row rewritten with the whole chain recomputed (no key) by its MAC', async () => {
    const db = w.t.app.ctx.db;
    expect((await verifyAudit(db)).ok).toBe(true);
    const all = await rows();
    const victim = all.at(-5)!;
    // The attacker edits the row and recomputes every later hash, exactly as the chain is defined.
    let prev = victim.prev_hash;
    for (const r of all.filter((x) => x.seq >= victim.seq)) {
      const data = r.seq === victim.seq ? JSON.stringify({ rewritten: true }) : r.data;
      const hash = createHash('sha256')
        .update(JSON.stringify([prev, Number(r.at), r.actor, r.action, r.target, data]))
        .digest('hex');
      await db.updateTable('audit_log').set({ data, prev_hash: prev, hash }).where('seq', '=', r.seq).execute();
      prev = hash;
    }
    const v = await verifyAudit(db);
    expect([v.ok, v.firstBrokenSeq, v.reason]).toEqual([false, victim.seq, 'mac']);
    // Dropping the MACs does not help either: a row without one after rows with one is refused.
    await db.updateTable('audit_log').set({ mac: null }).where('seq', '>=', victim.seq).execute();
    expect((await verifyAudit(db)).reason).toBe('missing-mac');
    // Restore for the next test: delete from the victim on (the chain before it is intact).
    await db.deleteFrom('audit_log').where('seq', '>=', victim.seq).execute();
  });

  it('detects rows deleted from the end with an exported anchor', async () => {
    const db = w.t.app.ctx.db;
    await w.t.req('POST', '/api/auth/login', undefined, w.demo.support);
    const anchor = (await auditAnchor(db))!;
    expect((await verifyAudit(db, { anchors: [anchor] })).ok).toBe(true);
    await db
      .deleteFrom('audit_log')
      .where('seq', '>=', anchor.seq - 1)
      .execute();
    // The chain that is left is intact; only the anchor shows what is missing.
    expect((await verifyAudit(db)).ok).toBe(true);
    const v = await verifyAudit(db, { anchors: [anchor] });
    expect([v.ok, v.reason]).toEqual([false, 'anchor']);
  });
});
