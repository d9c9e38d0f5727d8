// The demo exam: one session, one room, the three documents, a question, one staff user per role and N candidates.
// Used by `npm run up` and by every end-to-end test (through `invigil seed-demo`).
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { idCardCheckChar, type SessionKind } from '@invigil/contracts';
import type { Ctx } from './context.ts';
import { createExam, createStaff, saveDocument, saveQuestion, saveRoom, savePanel, newAnonymousNumber } from './admin.ts';
import { createSession } from './sessions.ts';
import { withAudit } from './audit.ts';
import { saveRubric } from './review/rubric.ts';

export interface DemoOptions {
  startsInSec: number;
  durationSec: number;
  candidates: number;
  kind: SessionKind;
  face: boolean;
  proof: boolean;
  baseUrl: string;
  /** mock-self: how long the self-test window stays open (from the start) and the practice lead. */
  windowSec?: number;
  leadSec?: number;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞'];

/** A random ID number with a correct check digit, so demo data passes the same validation as real imports. */
export function demoIdNumber(draw: (max: number) => number = randomInt): string {
  const body = `110101${1990 + draw(10)}${String(1 + draw(12)).padStart(2, '0')}${String(1 + draw(28)).padStart(2, '0')}${String(draw(1000)).padStart(3, '0')}`;
  return body + idCardCheckChar(body);
}

/** `n` different demo ID numbers: drawn at random, a repeat is drawn again (3.36 million possible numbers, so a
 *  large demo still finishes at once). A repeat used to abort seed-demo on the unique index from ~200 candidates. */
export function demoIdNumbers(n: number, draw: (max: number) => number = randomInt): string[] {
  const taken = new Set<string>();
  while (taken.size < n) taken.add(demoIdNumber(draw));
  return [...taken];
}

const pw = () => randomBytes(9).toString('base64url');

export const PROCESS_TEXT = `本次面试流程有设备准备、人脸登录、佐证绑定、阅读考试附件、进入考试、设备确认、开始答题、结束考试等 8 个环节。
一、设备准备：确认面试环境（房间）、设备和网络正常，摄像、收音、录音功能运行正常。
二、登录：开考前按规定时间登录系统。
三、佐证绑定：用手机扫描二维码，开启佐证视频录制，环拍考试环境后将手机固定在侧后方 45 度位置。
四、阅读考试附件：点击每个文件的【已阅】按钮后方可进入下一环节。
五、进入考试：开考前 15 分钟【进入考试】按钮自动激活；如未激活，请点击【刷新】。进入后系统自动录屏并实时上传。
六、设备确认：可点击【刷新设备】更新设备列表，选择摄像头和麦克风，然后点击【进入待考】。
七、开始答题：倒计时结束后自动显示试题并开始答题倒计时。开考后、作答前，请在镜头前正反面展示空白 A4 纸。
八、结束考试：答题完毕请说“回答完毕”，可点击【结束考试】提前结束；时间到系统自动结束。待提示“上传成功”后方可关闭页面。`;
export const COMMITMENT_TEXT = `我已仔细阅读考试招聘公告、职位相关要求和考试相关说明，清楚并理解各项内容，在此我郑重承诺：本人所提供的个人信息、证明材料、证件等相关材料真实、准确，并充分了解本次考试的要求，自觉遵守本次考试的相关纪律，诚实守信，认真履行报考人员义务。如在考试过程中存在弄虚作假、违反考试纪律的行为，本人自愿承担相应的责任。`;
export const RULES_TEXT = `第一条 考生须在封闭、安静、光线充足的房间独立完成面试，房间内不得有其他人员。
第二条 考生桌面只允许摆放一张空白 A4 纸和一支黑色中性笔。
第三条 面试全程录像、录音、录屏，不得切屏、截屏，不得离开摄像头拍摄范围。
第四条 不得遮挡面部、耳部，不得佩戴口罩、帽子、耳机，不得使用滤镜、美颜。
第五条 佐证视频须全程拍摄，不得中断，面试结束后 60 分钟内完成上传。
第六条 不得抄录、复制或外泄试题，不得以任何方式透露姓名等个人信息。
第七条 违反以上纪律的，取消面试资格，并记入诚信档案。`;

export async function seedDemo(ctx: Ctx, o: DemoOptions) {
  const now = ctx.clock.now();
  const actor = 'cli:seed-demo';
  // Demo times are whole seconds so every printed time is exact.
  const startsAt = Math.ceil((now + o.startsInSec * 1000) / 1000) * 1000;
  const loginOpensAt = Math.min(now, startsAt - 60 * 60_000);
  const exam = await createExam(ctx, actor, { name: '2026年度公开招聘线上面试（演示）', description: 'Invigil 演示项目' });
  const session = await createSession(ctx, actor, exam.id, {
    name: o.kind === 'real' ? '第一场' : o.kind === 'mock-self' ? '自助试测' : '集中试测',
    kind: o.kind,
    startsAt,
    durationSec: o.durationSec,
    loginOpensAt,
    entryOpensAt: Math.max(loginOpensAt, startsAt - 15 * 60_000), // the seed: 【进入考试】 activates 15 min before start
    entryCutoff: { mode: 'at-start' },
    faceRequired: o.face,
    proofRequired: o.proof,
    ...(o.kind === 'mock-self' ? { windowClosesAt: startsAt + (o.windowSec ?? 2 * 86400) * 1000, practiceLeadSec: o.leadSec ?? 60 } : {}),
  });
  // Usernames must be unique across runs of seed-demo on the same database.
  const suffix = (await ctx.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirst()) ? `-${randomBytes(2).toString('hex')}` : '';
  const staff: Record<'admin' | 'proctor' | 'examiner' | 'support', { id: string; username: string; password: string }> = {} as never;
  const names = { admin: '系统管理员', proctor: '监考员', examiner: '考官', support: '技术支持' } as const;
  for (const role of ['admin', 'proctor', 'examiner', 'support'] as const) {
    const password = pw();
    const u = await createStaff(ctx, actor, { username: `${role}${suffix}`, displayName: names[role], role, password });
    staff[role] = { id: u.id, username: u.username, password };
  }
  const room = await saveRoom(ctx, actor, session.id, null, { name: '第1考场', proctorIds: [staff.proctor.id] });
  const panel = await savePanel(ctx, actor, session.id, null, { name: '第1评委组', examinerIds: [staff.examiner.id] });
  await saveDocument(ctx, actor, session.id, null, { kind: 'process', title: '线上面试流程', body: PROCESS_TEXT, position: 1 });
  await saveDocument(ctx, actor, session.id, null, { kind: 'commitment', title: '考生诚信承诺书', body: COMMITMENT_TEXT, position: 2 });
  await saveDocument(ctx, actor, session.id, null, { kind: 'rules', title: '考试须知', body: RULES_TEXT, position: 3 });
  await saveQuestion(ctx, actor, session.id, null, {
    title: '第一题',
    body: '请结合你的工作经历，谈谈你如何在紧急情况下协调多个部门完成一项任务。（答题完毕请说“回答完毕”）',
    position: 1,
  });
  // The examiner of the panel scores by this rubric (评分要素) at /review.
  await saveRubric(ctx, actor, session.id, {
    criteria: [
      { name: '综合分析', maxPoints: 20, step: 0.5 },
      { name: '组织协调', maxPoints: 20, step: 0.5 },
      { name: '言语表达', maxPoints: 10, step: 0.5 },
    ],
    aggregation: 'mean',
    deviationThreshold: 8,
  });
  const candidates: Array<{ name: string; idNumber: string; ticket: string; anonymousNumber: string }> = [];
  await withAudit(ctx.db, async (trx) => {
    const taken = new Set<string>();
    const ticketBase = String(startsAt).slice(-6);
    const idNumbers = demoIdNumbers(o.candidates);
    for (let i = 0; i < o.candidates; i++) {
      const c = {
        id: randomUUID(),
        session_id: session.id,
        room_id: room.id,
        panel_id: panel.id,
        name: SURNAMES[i % SURNAMES.length]! + GIVEN[(i * 7) % GIVEN.length]!,
        id_number: idNumbers[i]!,
        ticket: `${ticketBase}${String(i + 1).padStart(4, '0')}`,
        anonymous_number: newAnonymousNumber(taken),
        photo_key: null,
        created_at: now,
      };
      await trx.insertInto('candidates').values(c).execute();
      candidates.push({ name: c.name, idNumber: c.id_number, ticket: c.ticket, anonymousNumber: c.anonymous_number });
    }
    return { result: null, audit: { actor, action: 'candidate.seed', target: `session:${session.id}`, data: { count: o.candidates } } };
  });
  return {
    baseUrl: o.baseUrl,
    examId: exam.id,
    sessionId: session.id,
    roomId: room.id,
    startsAt,
    endsAt: startsAt + o.durationSec * 1000,
    admin: { username: staff.admin.username, password: staff.admin.password },
    proctor: { username: staff.proctor.username, password: staff.proctor.password },
    examiner: { username: staff.examiner.username, password: staff.examiner.password },
    support: { username: staff.support.username, password: staff.support.password },
    candidates,
  };
}
