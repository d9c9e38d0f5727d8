// 试测情况 (readiness): per candidate of a session, what their mock tests showed — self-tests started and
// succeeded, the last device check, whether the proof camera was used, the 集中试测 attended and how far it got.
// The same person is matched across the exam's sessions by ID-card number (candidate rows are per session).
import { CENTRAL_STEP_LABELS, PRACTICE_PROBLEM_LABELS, type DeviceCheck, type Readiness, type ReadinessRow } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { practiceAttemptsOf } from './attempts.ts';
import type { Sheet } from '../export/sheet.ts';

type Step = ReadinessRow['centralSteps'][number];

export async function readiness(ctx: Ctx, sessionId: string, filter: 'all' | 'not-done' | 'failed' = 'all'): Promise<Readiness> {
  const session = await ctx.db.selectFrom('sessions').select(['id', 'exam_id']).where('id', '=', sessionId).executeTakeFirst();
  if (!session) throw notFound();
  const own = await ctx.db.selectFrom('candidates').select(['id', 'name', 'ticket', 'id_number']).where('session_id', '=', sessionId).orderBy('ticket').execute();
  // Every candidate row of the same people in the exam's mock sessions (and this session itself).
  const related = await ctx.db
    .selectFrom('candidates')
    .innerJoin('sessions', 'sessions.id', 'candidates.session_id')
    .select(['candidates.id', 'candidates.id_number', 'sessions.kind', 'sessions.starts_at'])
    .where('sessions.exam_id', '=', session.exam_id)
    .where('candidates.id_number', 'in', own.length ? own.map((c) => c.id_number) : [''])
    .execute();
  const selfRows = related.filter((r) => r.kind === 'mock-self');
  const centralRows = related.filter((r) => r.kind === 'mock-central');
  const practice = await practiceAttemptsOf(
    ctx,
    selfRows.map((r) => r.id),
  );
  const allIds = [...new Set([...related.map((r) => r.id), ...own.map((c) => c.id)])];
  const attempts = await ctx.db
    .selectFrom('attempts')
    .select(['id', 'candidate_id', 'status', 'logged_in_at', 'entered_at', 'ended_at', 'device_check', 'device_checked_at'])
    .where('candidate_id', 'in', allIds)
    .execute();
  const recs = attempts.length
    ? await ctx.db
        .selectFrom('recordings')
        .select(['attempt_id', 'stream', 'status'])
        .where(
          'attempt_id',
          'in',
          attempts.map((a) => a.id),
        )
        .execute()
    : [];
  const phones = attempts.length
    ? new Set(
        (
          await ctx.db
            .selectFrom('proof_phones')
            .select('attempt_id')
            .where(
              'attempt_id',
              'in',
              attempts.map((a) => a.id),
            )
            .execute()
        ).map((p) => p.attempt_id),
      )
    : new Set<string>();
  const recsOf = (attemptId: string) => recs.filter((r) => r.attempt_id === attemptId);

  const rows: ReadinessRow[] = own.map((c) => {
    const mine = new Set(
      related
        .filter((r) => r.id_number === c.id_number)
        .map((r) => r.id)
        .concat(c.id),
    );
    const selfIds = selfRows.filter((r) => r.id_number === c.id_number).map((r) => r.id);
    const tries = selfIds.flatMap((id) => practice.get(id) ?? []).filter((a) => a.enteredAt !== null);
    const myAttempts = attempts.filter((a) => mine.has(a.candidate_id));
    const lastCheck = myAttempts.filter((a) => a.device_check).sort((a, b) => (b.device_checked_at ?? 0) - (a.device_checked_at ?? 0))[0];
    const centralIds = new Set(centralRows.filter((r) => r.id_number === c.id_number).map((r) => r.id));
    const central = myAttempts.filter((a) => centralIds.has(a.candidate_id)).sort((a, b) => (b.logged_in_at ?? 0) - (a.logged_in_at ?? 0))[0];
    const steps: Step[] = [];
    if (central?.logged_in_at) steps.push('logged-in');
    if (central?.entered_at) steps.push('entered');
    if (central && (central.status === 'answering' || (central.status === 'ended' && central.entered_at))) steps.push('answering');
    if (central?.status === 'ended' && central.entered_at) steps.push('ended');
    const cr = central ? recsOf(central.id) : [];
    if (['camera', 'screen'].every((s) => cr.some((r) => r.stream === s && (r.status === 'verified' || r.status === 'complete')))) steps.push('uploaded');
    if (cr.some((r) => r.stream === 'phone' && (r.status === 'verified' || r.status === 'complete'))) steps.push('proof-uploaded');
    const mockAttempts = myAttempts.filter((a) => centralIds.has(a.candidate_id) || selfIds.includes(a.candidate_id));
    return {
      candidateId: c.id,
      name: c.name,
      ticket: c.ticket,
      idNumber: c.id_number,
      selfTestsStarted: tries.length,
      selfTestsSucceeded: tries.filter((a) => a.verdict.success).length,
      lastProblems: tries.at(-1)?.verdict.problems ?? [],
      lastDeviceCheck: lastCheck ? (JSON.parse(lastCheck.device_check!) as DeviceCheck) : null,
      lastDeviceCheckAt: lastCheck?.device_checked_at ?? null,
      proofCameraUsed: mockAttempts.some((a) => phones.has(a.id) || recsOf(a.id).some((r) => r.stream === 'phone' && r.status !== 'missing')),
      centralAttended: !!central?.logged_in_at,
      centralSteps: steps,
    };
  });
  const filtered = rows.filter((r) => (filter === 'not-done' ? r.selfTestsSucceeded === 0 : filter === 'failed' ? r.selfTestsStarted > 0 && r.selfTestsSucceeded === 0 : true));
  return { sessionId, hasSelfTest: selfRows.length > 0, hasCentral: centralRows.length > 0, rows: filtered };
}

// ---- export: the same rows, in words staff can phone candidates with (zh-CN headers, as the staff UI)
const HEADERS = [
  '准考证号',
  '姓名',
  '身份证号',
  '自助试测次数',
  '试测成功次数',
  '最近问题',
  '浏览器',
  '摄像头',
  '麦克风',
  '屏幕',
  '网速(kbps)',
  '可用存储(MB)',
  '使用佐证端',
  '参加集中试测',
  '集中试测完成步骤',
];
const yes = (b: boolean) => (b ? '是' : '否');
export function readinessTable(r: Readiness): Sheet {
  return {
    name: '试测情况',
    header: HEADERS,
    rows: r.rows.map((x) => {
      const d = x.lastDeviceCheck;
      return [
        x.ticket,
        x.name,
        x.idNumber,
        String(x.selfTestsStarted),
        String(x.selfTestsSucceeded),
        x.lastProblems.map((p) => PRACTICE_PROBLEM_LABELS[p]['zh-CN']).join('；'),
        d ? (d.browser.ok ? '正常' : '不支持') : '',
        d?.camera ?? '',
        d?.microphone ?? '',
        d ? (d.singleMonitor ? '单屏' : '多屏') : '',
        d?.uploadKbps == null ? '' : String(Math.round(d.uploadKbps)),
        d?.storageFreeMb == null ? '' : String(Math.round(d.storageFreeMb)),
        yes(x.proofCameraUsed),
        yes(x.centralAttended),
        x.centralSteps.map((s) => CENTRAL_STEP_LABELS[s]['zh-CN']).join('→'),
      ];
    }),
  };
}
