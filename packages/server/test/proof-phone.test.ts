// The bound phone through its flow, its liveness on every screen, interruptions, the entry gate, the watchdog's
// flags and the upload deadline — on the real app with the server clock moved by the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proofGate, proofWatchdogTick, renderProofUploads } from '../src/services/proof/index.ts';
import { dialects } from './helpers/db.ts';
import { errorCode, proofWorld, type ProofWorld } from './proof-world.ts';

const hb = (recording = true, level = 0.8) => ({ recording, battery: { level, charging: false }, storageFreeMb: 2048, wakeLock: true });

describe.each(dialects)('the phone’s flow, status and flags (%s)', (kind) => {
  let w: ProofWorld;
  let phone: string;
  let attemptId: string;
  const status = async () => (await w.t.req('GET', '/api/proof/status', w.candidates[0]!.cookie)).json();
  const events = async (type: string) =>
    (await w.t.app.ctx.db.selectFrom('attempt_events').selectAll().where('attempt_id', '=', attemptId).where('type', '=', type).execute()).map((e) => JSON.parse(e.data));

  beforeAll(async () => {
    w = await proofWorld({ kind, settings: { roomScanMinSec: 30, staleSec: 15, silenceFlagSec: 60, uploadDeadlineSec: 3600 }, startsIn: 300, duration: 600 });
    attemptId = w.candidates[0]!.attemptId;
    phone = await w.bindPhone(0);
  });
  afterAll(() => w.close());

  it('the entry gate refuses until the phone records continuously after its room scan', async () => {
    const gate = proofGate(w.settings);
    const refuse = await gate.check(w.t.app.ctx, attemptId);
    expect(refuse?.code).toBe('STEP_REQUIRED');
    expect((await w.t.req('POST', '/api/proof/stage', phone, { stage: 'consented' })).statusCode).toBe(200);
    expect((await w.t.req('POST', '/api/proof/stage', phone, { stage: 'scanning' })).statusCode).toBe(200);
    await w.t.req('POST', '/api/proof/heartbeat', phone, hb());
    expect((await status()).connection).toBe('recording');
    expect(await gate.check(w.t.app.ctx, attemptId)).not.toBeNull(); // still scanning

    const now = w.t.clock.now();
    const short = await w.t.req('POST', '/api/proof/stage', phone, { stage: 'placing', roomScan: { startedAt: now - 10_000, endedAt: now, degrees: null } });
    expect([short.statusCode, errorCode(short)]).toEqual([400, 'VALIDATION_FAILED']);
    const ok = await w.t.req('POST', '/api/proof/stage', phone, { stage: 'placing', roomScan: { startedAt: now - 31_000, endedAt: now, degrees: 360 } });
    expect(ok.statusCode).toBe(200);
    expect(await events('proof-room-scan')).toEqual([{ seconds: 31, degrees: 360 }]);
    expect((await w.t.req('POST', '/api/proof/stage', phone, { stage: 'recording' })).json().stage).toBe('recording');
    expect(await gate.check(w.t.app.ctx, attemptId)).toBeNull();
    expect((await w.t.req('POST', '/api/proof/stage', phone, { stage: 'scanning' })).statusCode).toBe(409);
  });

  it('silence shows as disconnected everywhere, and during the exam becomes one flag; coming back is flagged with its length', async () => {
    await w.t.app.ctx.db.updateTable('attempts').set({ status: 'answering', entered_at: w.t.clock.now() }).where('id', '=', attemptId).execute();
    w.t.clock.advance(16_000);
    expect((await status()).connection).toBe('disconnected');
    w.bus.sent.length = 0;
    expect((await proofWatchdogTick(w.t.app.ctx, w.settings, w.bus)).disconnected).toBe(1);
    expect(w.bus.sent.find((m) => m.event === 'proof:status')?.payload).toMatchObject({ connection: 'disconnected' });
    expect(await proofGate(w.settings).check(w.t.app.ctx, attemptId)).not.toBeNull();

    w.t.clock.advance(50_000);
    expect((await proofWatchdogTick(w.t.app.ctx, w.settings, w.bus)).silent).toBe(1);
    expect((await proofWatchdogTick(w.t.app.ctx, w.settings, w.bus)).silent).toBe(0); // once
    expect(w.bus.sent.some((m) => m.event === 'attempt:signal' && (m.payload as { type: string }).type === 'proof-silent' && m.to.includes(`room:${w.roomId}`))).toBe(true);

    w.t.clock.advance(4_000);
    await w.t.req('POST', '/api/proof/heartbeat', phone, hb());
    expect(await events('proof-back')).toEqual([expect.objectContaining({ seconds: 70 })]);
    expect((await status()).connection).toBe('recording');
  });

  it('an interruption (reload, call) is recorded with its length, once, and counted on the status', async () => {
    const toAt = w.t.clock.now();
    const gap = { fromAt: toAt - 15_500, toAt, reason: 'reload' };
    expect((await w.t.req('POST', '/api/proof/gaps', phone, gap)).statusCode).toBe(200);
    expect((await w.t.req('POST', '/api/proof/gaps', phone, gap)).statusCode).toBe(200); // a retry after a lost reply
    expect(await events('proof-gap')).toEqual([{ reason: 'reload', seconds: 15.5, fromAt: gap.fromAt, toAt }]);
    expect((await status()).gaps).toEqual({ count: 1, seconds: 15.5 });
    const future = await w.t.req('POST', '/api/proof/gaps', phone, { fromAt: toAt, toAt: toAt + 3_600_000, reason: 'hidden' });
    expect(future.statusCode).toBe(400);
  });

  it('battery and storage reach the desktop; stopping before the end of the exam is flagged', async () => {
    await w.t.req('POST', '/api/proof/heartbeat', phone, hb(true, 0.15));
    expect((await status()).battery).toEqual({ level: 0.15, charging: false });
    expect((await w.t.req('POST', '/api/proof/stage', phone, { stage: 'stopped' })).statusCode).toBe(200);
    expect(await events('proof-stopped-early')).toHaveLength(1);
    expect((await status()).connection).toBe('stopped');
  });

  it('upload deadline: uploading after the exam, overdue after the deadline (flagged once), complete once verified', async () => {
    const s0 = await status();
    expect(s0.upload.state).toBe('recording');
    const endsAt = w.demo.endsAt;
    w.t.clock.t = endsAt + 1000;
    expect((await status()).upload).toMatchObject({ state: 'uploading', deadlineAt: endsAt + 3_600_000 });
    w.t.clock.t = endsAt + 3_600_001;
    expect((await status()).upload.state).toBe('overdue');
    expect((await proofWatchdogTick(w.t.app.ctx, w.settings, w.bus)).overdue).toBe(1);
    expect((await proofWatchdogTick(w.t.app.ctx, w.settings, w.bus)).overdue).toBe(0);
    expect(await events('proof-upload-overdue')).toHaveLength(1);

    const support = await w.staff('support');
    const view = (await w.t.req('GET', `/api/sessions/${w.sessionId}/proof`, support)).json();
    expect(view.rows.find((r: { attemptId: string }) => r.attemptId === attemptId).status.upload.state).toBe('overdue');
    expect(renderProofUploads(view)).toMatch(/OVERDUE[\s\S]*1 overdue/);

    await w.t.app.ctx.db
      .insertInto('recordings')
      .values({
        id: 'rec-phone',
        attempt_id: attemptId,
        stream: 'phone',
        mime_type: 'video/webm',
        status: 'complete',
        last_seq: 3,
        report: null,
        assembled_ref: null,
        created_at: endsAt,
        finalized_at: w.t.clock.now() + 1000,
        bytes_stored: 0,
        segments_stored: 0,
        ms_stored: 0,
        max_seq_stored: null,
      })
      .execute();
    w.t.clock.advance(2000);
    expect((await status()).upload).toMatchObject({ state: 'complete', late: true });
    expect(renderProofUploads((await w.t.req('GET', `/api/sessions/${w.sessionId}/proof`, support)).json())).toMatch(/complete \(late\)/);
  });
});
