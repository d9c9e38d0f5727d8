// A session's staff exports (考勤, 上传与佐证, 违纪) read back with exceljs as a person opening the file would:
// the rows say who logged in, entered and ended and when, each stream's upload, the proof deadline only where the
// session has the proof camera, every flag with its zh-CN label and review. Identity never reaches examiners.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCardCheckChar, type Flag } from '@invigil/contracts';
import { cookieOf, makeApp, type TestApp } from './helpers/app.ts';
import { seedDemo } from '../src/services/demo.ts';
import { tick } from '../src/services/timekeeper.ts';
import { MemoryBus } from '../src/realtime/bus.ts';
import { localTime } from '../src/services/export/sheet.ts';
import { defaultProofSettings } from '../src/services/proof/index.ts';
import { chunk, liveWebm, openRec, putSegment, segmentsOf } from './support/recording-fixtures.ts';

let t: TestApp;
let demo: Awaited<ReturnType<typeof seedDemo>>;
let admin: string;
let dir: string;
const TZ = 'Asia/Shanghai';
const times: { loggedIn?: number; entered?: number; ended?: number } = {};
const ENTER = { singleMonitor: true, displaySurface: 'monitor' };
const DEVICE = { camera: 'ok', microphone: 'ok', speaker: 'ok', browser: { ok: true, userAgent: 'test' }, singleMonitor: true, storageFreeMb: 9000, uploadKbps: 4000 };

async function login(i: number) {
  const c = demo.candidates[i]!;
  const res = await t.candidateLogin(c.idNumber, c.ticket, `client-${i}-aaaaaa`);
  expect(res.statusCode, res.body).toBe(200);
  return cookieOf(res);
}

async function sheetOf(url: string, cookie = admin): Promise<ExcelJS.Worksheet> {
  const res = await t.req('GET', url, cookie);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}
const rowsOf = (ws: ExcelJS.Worksheet) => {
  const out: string[][] = [];
  ws.eachRow((r) => out.push((r.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return out;
};
const rowOf = (rows: string[][], ticket: string) => rows.find((r) => r[0] === ticket)!;
const url = (report: string, q = '') => `/api/sessions/${demo.sessionId}/export/${report}?tz=${encodeURIComponent(TZ)}${q}`;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-export-'));
  t = await makeApp('sqlite');
  demo = await seedDemo(t.app.ctx, { startsInSec: 60, durationSec: 120, candidates: 3, kind: 'real', face: false, proof: false, baseUrl: 'http://test' });
  admin = await t.login(demo.admin.username, demo.admin.password);
  const bus = new MemoryBus();
  // Candidate 1 only logs in; candidate 2 never comes.
  await login(1);
  // Candidate 0: logs in, enters, answers (a flag, part of the camera uploaded), is ended by the clock.
  times.loggedIn = t.clock.now();
  const a = await login(0);
  expect((await t.req('POST', '/api/attempt/device-check', a, DEVICE)).statusCode).toBe(200);
  const state = (await t.req('GET', '/api/attempt', a)).json();
  for (const d of state.documents) await t.req('POST', `/api/attempt/documents/${d.id}/read`, a);
  t.clock.advance(5_000);
  times.entered = t.clock.now();
  const entered = await t.req('POST', '/api/attempt/enter', a, ENTER);
  expect(entered.statusCode, entered.body).toBe(200);
  await t.req('POST', '/api/attempt/ready', a);
  // The proof camera is switched on after the entry so this test needs no phone; its deadline applies all the same.
  await t.app.ctx.db.updateTable('sessions').set({ proof_required: 1 }).where('id', '=', demo.sessionId).execute();
  t.clock.advance(60_000);
  await tick(t.app.ctx, bus);
  expect((await t.req('GET', '/api/attempt', a)).json().status).toBe('answering');
  const signal = await t.req('POST', '/api/attempt/events', a, { signals: [{ type: 'page-hidden', at: t.clock.now(), data: {} }] });
  expect(signal.statusCode, signal.body).toBe(200);
  const rec = await openRec(t.app, a, state.attemptId, 'camera');
  const segs = segmentsOf([{ chunks: chunk(await liveWebm(dir, 'cam.webm', 2), 2), seconds: 2 }], t.clock.now());
  expect((await putSegment(t.app, a, rec.id, segs[0]!)).statusCode).toBe(200);
  t.clock.advance(130_000);
  await tick(t.app.ctx, bus);
  times.ended = (await t.app.ctx.db.selectFrom('attempts').select('ended_at').where('id', '=', state.attemptId).executeTakeFirstOrThrow()).ended_at!;
  // The administrator confirms the flag.
  const flags = (await t.req('GET', `/api/sessions/${demo.sessionId}/flags`, admin)).json() as Flag[];
  const hidden = flags.find((f) => f.type === 'page-hidden')!;
  expect((await t.req('POST', `/api/flags/${hidden.id}/review`, admin, { decision: 'confirmed', note: '离开 8 秒' })).statusCode).toBe(200);
}, 60_000);

afterAll(async () => {
  await t?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('session exports', () => {
  it('考勤: who logged in, entered and ended, with the times in the caller’s time zone', async () => {
    const rows = rowsOf(await sheetOf(url('attendance')));
    expect(rows[0]).toEqual(['准考证号', '姓名', '身份证号', '考场', '状态', '登录时间', '进入考试时间', '结束时间', '结束原因', '延时（分钟）']);
    expect(rows).toHaveLength(4);
    const [c0, c1, c2] = demo.candidates;
    expect(rowOf(rows, c0!.ticket).slice(0, 8)).toEqual([
      c0!.ticket,
      c0!.name,
      c0!.idNumber,
      '第1考场',
      '已结束',
      localTime(times.loggedIn, TZ),
      localTime(times.entered, TZ),
      localTime(times.ended, TZ),
    ]);
    expect(localTime(times.loggedIn, TZ)).toMatch(/^2026-06-25 08:0\d:\d\d$/); // 00:00 UTC is 08:00 in Shanghai
    expect(rowOf(rows, c1!.ticket).slice(4, 8)).toEqual(['已登录', expect.stringMatching(/^2026-06-25 /), '', '']);
    expect(rowOf(rows, c2!.ticket).slice(4, 8)).toEqual(['未登录', '', '', '']);
  });

  it('上传与佐证: each stream per candidate and the proof deadline; no proof columns for a session without the proof camera', async () => {
    const rows = rowsOf(await sheetOf(url('uploads')));
    expect(rows[0]).toEqual(['准考证号', '姓名', '身份证号', '摄像头', '屏幕', '佐证视频', '佐证上传截止', '佐证上传状态']);
    const c0 = rowOf(rows, demo.candidates[0]!.ticket);
    expect(c0[3]).toMatch(/^上传中/);
    expect([c0[4], c0[5]]).toEqual(['无', '无']);
    expect(c0[6]).toBe(localTime(times.ended! + defaultProofSettings().uploadDeadlineSec * 1000, TZ));
    expect(rowOf(rows, demo.candidates[2]!.ticket).slice(3)).toEqual(['无', '无', '无', '', '未登录']);

    await t.app.ctx.db.updateTable('sessions').set({ proof_required: 0 }).where('id', '=', demo.sessionId).execute();
    try {
      const without = rowsOf(await sheetOf(url('uploads')));
      expect(without[0]).toEqual(['准考证号', '姓名', '身份证号', '摄像头', '屏幕']);
      expect(without.every((r) => !r.includes('未开始'))).toBe(true);
    } finally {
      await t.app.ctx.db.updateTable('sessions').set({ proof_required: 1 }).where('id', '=', demo.sessionId).execute();
    }
  });

  it('违纪: every flag with its zh-CN label, time, severity and the review', async () => {
    const rows = rowsOf(await sheetOf(url('flags')));
    expect(rows[0]).toEqual(['准考证号', '姓名', '身份证号', '时间', '类型', '类型代码', '严重程度', '处理', '处理说明', '处理人', '处理时间']);
    const hidden = rows.find((r) => r[5] === 'page-hidden')!;
    expect(hidden.slice(0, 3)).toEqual([demo.candidates[0]!.ticket, demo.candidates[0]!.name, demo.candidates[0]!.idNumber]);
    expect(hidden.slice(4, 10)).toEqual(['离开考试页面', 'page-hidden', '中', '已确认违纪', '离开 8 秒', '系统管理员']);
    expect(hidden[3]).toMatch(/^2026-06-25 08:01:\d\d$/);
  });

  it('CSV: the same rows with a BOM; a cell that looks like a formula stays text', async () => {
    const evil = await t.req('POST', `/api/sessions/${demo.sessionId}/candidates`, admin, {
      name: '=HYPERLINK("http://x")',
      idNumber: `11010119900307123${idCardCheckChar('11010119900307123')}`,
      ticket: 'Z9999',
    });
    expect(evil.statusCode, evil.body).toBe(200);
    const res = await t.req('GET', url('attendance', '&format=csv'), admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''%E8%80%83%E5%8B%A4");
    expect(res.body.startsWith('\ufeff准考证号,姓名,身份证号')).toBe(true);
    const lines = res.body.split('\r\n');
    expect(lines.find((l) => l.startsWith(`${demo.candidates[0]!.ticket},`))).toContain(',已结束,');
    expect(lines.find((l) => l.startsWith('Z9999,'))).toContain(`,"'=HYPERLINK(""http://x"")",`);
  });

  it('support exports attendance and uploads, not flags; proctors and examiners none; a bad time zone is a 400', async () => {
    const support = await t.login(demo.support.username, demo.support.password);
    expect((await sheetOf(url('attendance'), support)).rowCount).toBeGreaterThan(3);
    expect((await t.req('GET', url('uploads'), support)).statusCode).toBe(200);
    expect((await t.req('GET', url('flags'), support)).statusCode).toBe(403);
    for (const role of ['proctor', 'examiner'] as const) {
      const c = await t.login(demo[role].username, demo[role].password);
      for (const r of ['attendance', 'uploads', 'flags']) expect((await t.req('GET', url(r), c)).statusCode).toBe(403);
    }
    const bad = await t.req('GET', `/api/sessions/${demo.sessionId}/export/attendance?tz=Mars%2FOlympus`, admin);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect((await t.req('GET', `/api/sessions/${demo.sessionId}/export/ranking`, admin)).statusCode).toBe(400);
    expect((await t.req('GET', `/api/sessions/00000000-0000-4000-8000-000000000000/export/attendance`, admin)).statusCode).toBe(404);
  });
});
