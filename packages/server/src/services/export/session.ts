// A session's exports for staff (issue #17 item 6), beside 试测情况 (practice/readiness.ts) and 成绩 (review/export.ts):
//   考勤 attendance       who logged in, entered and ended, with the times
//   上传 uploads          per candidate each stream's upload state and the proof video's deadline
//   违纪 flags            every flag with its zh-CN label, time, severity and review
// They carry names and ID-card numbers, so only admin and support reach them (never examiners, who see anonymous
// numbers only): the route table says so and the service checks again. Times are written in the caller's zone.
import { EVENT_LABELS, type Flag, type ProofStatus, type SessionRecordingRow, type Stream } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import type { Principal } from '../auth.ts';
import { notFound } from '../errors.ts';
import { recordingsStatus } from '../recordings/status.ts';
import { sessionProof } from '../proof/session.ts';
import { allFlags } from '../monitoring/flags.ts';
import { localTime, type Sheet } from './sheet.ts';

export const SessionReport = ['attendance', 'uploads', 'flags'] as const;
export type SessionReport = (typeof SessionReport)[number];

const STATUS_WORDS: Record<string, string> = { 'not-started': '未登录', 'logged-in': '已登录', entered: '已进入', waiting: '待考', answering: '答题中', ended: '已结束' };
const STREAM_WORDS: Record<Stream, string> = { camera: '摄像头', screen: '屏幕', phone: '佐证视频' };
const REC_WORDS: Record<SessionRecordingRow['status'], string> = { complete: '已完整上传', partial: '已上传（有中断）', verified: '已上传，合成中', uploading: '上传中', missing: '无' };
const DEADLINE_WORDS: Record<ProofStatus['upload']['state'], string> = { 'not-started': '未开始', recording: '录制中', uploading: '上传中', complete: '已上传', overdue: '逾期未上传' };
const SEVERITY_WORDS = { info: '提示', low: '低', medium: '中', high: '高' } as const;
const DECISION_WORDS = { confirmed: '已确认违纪', dismissed: '已排除' } as const;

export interface ExportDeps {
  proof: Parameters<typeof sessionProof>[1];
}

function requireExporter(p: Principal): void {
  if (p.kind !== 'staff' || (p.role !== 'admin' && p.role !== 'support')) throw notFound();
}

async function candidatesOf(ctx: Ctx, sessionId: string) {
  const session = await ctx.db.selectFrom('sessions').select(['id', 'name', 'proof_required']).where('id', '=', sessionId).executeTakeFirst();
  if (!session) throw notFound();
  const rows = await ctx.db
    .selectFrom('candidates')
    // the current attempt only (earlier practice attempts are replaced ones)
    .leftJoin('attempts', (j) => j.onRef('attempts.candidate_id', '=', 'candidates.id').on('attempts.replaced_at', 'is', null))
    .leftJoin('rooms', 'rooms.id', 'candidates.room_id')
    .select([
      'candidates.id',
      'candidates.name',
      'candidates.ticket',
      'candidates.id_number',
      'candidates.extra_time_sec',
      'rooms.name as room',
      'attempts.id as attemptId',
      'attempts.status',
      'attempts.logged_in_at',
      'attempts.entered_at',
      'attempts.ended_at',
      'attempts.end_reason',
    ])
    .where('candidates.session_id', '=', sessionId)
    .orderBy('candidates.ticket')
    .execute();
  return { session, rows };
}

async function attendance(ctx: Ctx, sessionId: string, tz: string): Promise<Sheet> {
  const { rows } = await candidatesOf(ctx, sessionId);
  return {
    name: '考勤',
    header: ['准考证号', '姓名', '身份证号', '考场', '状态', '登录时间', '进入考试时间', '结束时间', '结束原因', '延时（分钟）'],
    rows: rows.map((c) => [
      c.ticket,
      c.name,
      c.id_number,
      c.room ?? '',
      STATUS_WORDS[c.status ?? 'not-started'] ?? c.status ?? '',
      localTime(c.logged_in_at, tz),
      localTime(c.entered_at, tz),
      localTime(c.ended_at, tz),
      c.end_reason ?? '',
      c.extra_time_sec ? Math.round(c.extra_time_sec / 6) / 10 : '',
    ]),
  };
}

async function uploads(ctx: Ctx, deps: ExportDeps, p: Principal, sessionId: string, tz: string): Promise<Sheet> {
  const { session, rows } = await candidatesOf(ctx, sessionId);
  const recs = await recordingsStatus(ctx, sessionId);
  const proof = await sessionProof(ctx, deps.proof, p, sessionId);
  const streams: Stream[] = session.proof_required ? ['camera', 'screen', 'phone'] : ['camera', 'screen'];
  const cell = (r: SessionRecordingRow | undefined) => {
    if (!r) return '无';
    const size = r.bytes ? ` · ${(r.bytes / 1024 / 1024).toFixed(1)} MB` : '';
    const holes = r.missingSeqs.length ? ` · 缺片段 ${r.missingSeqs.join(',')}` : '';
    const asm = r.status === 'verified' && r.assembly?.state === 'failed' ? ` · 合成失败：${r.assembly.error ?? ''}` : '';
    return `${REC_WORDS[r.status]}${r.seconds ? ` · ${Math.round(r.seconds)} 秒` : ''}${size}${holes}${asm}`;
  };
  return {
    name: '上传与佐证',
    width: 22,
    header: ['准考证号', '姓名', '身份证号', ...streams.map((s) => STREAM_WORDS[s]), ...(session.proof_required ? ['佐证上传截止', '佐证上传状态'] : [])],
    rows: rows.map((c) => {
      const mine = recs.rows.filter((r) => r.candidateId === c.id);
      // A session without the proof camera has no proof deadline: the columns are left out, not shown as 未开始.
      const up = proof.rows.find((r) => r.candidateId === c.id)?.status?.upload ?? null;
      const deadline = session.proof_required ? [localTime(up?.deadlineAt, tz), up ? DEADLINE_WORDS[up.state] + (up.late ? '（逾期后上传）' : '') : '未登录'] : [];
      return [c.ticket, c.name, c.id_number, ...streams.map((s) => cell(mine.find((r) => r.stream === s))), ...deadline];
    }),
  };
}

async function flags(ctx: Ctx, p: Principal, sessionId: string, tz: string): Promise<Sheet> {
  const { rows } = await candidatesOf(ctx, sessionId);
  const byAttempt = new Map(rows.filter((c) => c.attemptId).map((c) => [c.attemptId!, c]));
  if (p.kind !== 'staff') throw notFound();
  const list: Flag[] = await allFlags(ctx, p, sessionId);
  return {
    name: '违纪',
    header: ['准考证号', '姓名', '身份证号', '时间', '类型', '类型代码', '严重程度', '处理', '处理说明', '处理人', '处理时间'],
    rows: list.map((f) => [
      f.ticket,
      f.candidateName,
      byAttempt.get(f.attemptId)?.id_number ?? '',
      localTime(f.at, tz),
      (EVENT_LABELS as Record<string, { 'zh-CN': string }>)[f.type]?.['zh-CN'] ?? f.type,
      f.type,
      SEVERITY_WORDS[f.severity],
      f.review ? DECISION_WORDS[f.review.decision] : '未处理',
      f.review?.note ?? '',
      f.review?.by ?? '',
      localTime(f.review?.at, tz),
    ]),
  };
}

/** One report of a session as a table (written as .xlsx or CSV by export/sheet.ts). */
export async function sessionReport(ctx: Ctx, deps: ExportDeps, p: Principal, sessionId: string, report: SessionReport, tz: string): Promise<Sheet> {
  requireExporter(p);
  switch (report) {
    case 'attendance':
      return attendance(ctx, sessionId, tz);
    case 'uploads':
      return uploads(ctx, deps, p, sessionId, tz);
    case 'flags':
      return flags(ctx, p, sessionId, tz);
  }
}
