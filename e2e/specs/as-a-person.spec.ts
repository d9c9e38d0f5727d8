// "As a person" (issue #15): a nervous candidate on an ordinary laptop. The desktop page runs 4× CPU-throttled;
// the candidate types at human speed with long pauses; the proof phone starts recording well before the start of
// a long-enough exam; the network drops for 20 s mid-exam, the page is reloaded, the phone drops for a while,
// full screen is left once. Each of the items is asserted where a person would notice it.
// The same journey checks every candidate and phone screen with axe-core as it is reached, in zh-CN and en
// (item 10; e2e/screenshots/a11y-*.png), so no second journey is walked for accessibility.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type CDPSession, type Locator, type Page } from '@playwright/test';
import { launch } from '../helpers/browser.ts';
import { attemptIdOf, eventTypes, keepCameraTracks, passDeviceCheck, readAllDocuments, SHOTS, shot, staffApi, unplugCamera, VIEWPORT } from '../helpers/candidate.ts';
import { openPhone, phoneShot, qrUrl, startPhoneServer, type Phone } from '../helpers/phone-fixture.ts';
import { axeSerious, throttleCpu, typeLikeAPerson, type AxeFinding } from '../helpers/person.ts';
import { ROOT, type Demo, type TestServer } from '../helpers/server.ts';
import { animationsDone } from '../helpers/waits.ts';

// The exam's start is set when the journey reaches the waiting room (however long a loaded machine took to get
// there), at least START_AFTER_PHONE after the phone began recording: no minute is spent waiting for a start
// chosen for the slowest machine. The phone then records 40+ s before the exam; the old phone arithmetic said
// "ended" within the first minute of it. DURATION fits the exam's steps (network cut, reload, camera lost).
const SEEDED_STARTS_IN = 900;
const START_AFTER_PHONE = 40_000;
const START_AFTER_WAITING_ROOM = 20_000; // the desktop refetches its attempt every 15 s
const DURATION = 130;

// PERSON_SOFT=1 (with WEB_DIST=<an older build>) lists every item that fails instead of stopping at the first,
// with short waits: how each item was shown to fail on the main branch before the fixes.
const SOFT = process.env.PERSON_SOFT === '1';
const check = SOFT ? expect.configure({ soft: true, timeout: 5_000 }) : expect;
/** An action on a control the fixed build has; an older build without it skips the action (soft mode only). */
const has = async (l: Locator) => !SOFT || (await l.count()) > 0;

let server: TestServer;
let demo: Demo;
let browser: Browser;
let phone: Phone;
let context: BrowserContext;

test.beforeAll(async () => {
  server = await startPhoneServer({ PROOF_ROOM_SCAN_SEC: '5', PROOF_HEARTBEAT_SEC: '2', PROOF_STALE_SEC: '6', PROOF_SILENCE_FLAG_SEC: '30' });
  demo = server.seedDemo({ startsIn: SEEDED_STARTS_IN, duration: DURATION, candidates: 1, face: false, proof: true });
  browser = await launch();
});
test.afterAll(async () => {
  await phone?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

const untilServer = (at: number) => Math.max(0, at - Date.now());
/** Where the journey is against the exam's start, in the test's output: a slow step shows up at once. */
const began = Date.now();
const step = (what: string) => console.log(`[as-a-person] +${((Date.now() - began) / 1000).toFixed(1)} s, ${((Date.now() - demo.startsAt) / 1000).toFixed(1)} s from the start: ${what}`);

async function toggleLang(page: Page) {
  await page.getByRole('button', { name: 'language' }).click();
}
let cpu: CDPSession | null = null;
/**
 * A picture of the state in both languages, zh-CN first. The test's own photography (two language switches, two
 * screenshots) runs at full speed, so it does not eat the exam's time; the candidate's page is slow again after.
 */
async function bothLangs(page: Page, name: string, take: (p: Page, n: string) => Promise<void> = shot, axeScreen?: string) {
  if (SOFT) return; // an older build's pictures must not replace the current ones
  const throttled = page === desktop && cpu;
  if (throttled) await cpu!.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await take(page, `${name}-zh`);
  if (axeScreen) found.push(...(await axeSerious(page, axeScreen)));
  await toggleLang(page);
  await take(page, `${name}-en`);
  if (axeScreen) found.push(...(await axeSerious(page, axeScreen)));
  await toggleLang(page);
  if (throttled) await cpu!.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}
let desktop: Page | null = null;

const found: AxeFinding[] = [];
test.afterAll(() => {
  fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'test-results/axe-findings.json'), JSON.stringify(found, null, 1));
});
/**
 * axe on the screen as it is, in zh-CN then en, with a picture of each (a11y-<screen>-<lang>.png); the page is
 * left in zh-CN. At full CPU speed, like the photographs. Under an open modal the header's language button is
 * behind the mask: such a screen is checked in the language it is in.
 */
async function a11y(page: Page, screen: string, o: { modal?: boolean } = {}) {
  if (SOFT) return;
  const throttled = page === desktop && cpu;
  if (throttled) await cpu!.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  for (const lang of o.modal ? ['zh'] : ['zh', 'en']) {
    await animationsDone(page); // contrast is measured on the final colours
    // animationsDone gives up on the live microphone meter (it never stops); a toast that is still fading in would
    // be measured half-transparent, so wait for the toasts themselves.
    await page
      .waitForFunction(() => [...document.querySelectorAll('.ant-message-notice-wrapper')].every((el) => el.getAnimations({ subtree: true }).every((a) => a.playState !== 'running')), null, {
        timeout: 5_000,
      })
      .catch(() => undefined);
    found.push(...(await axeSerious(page, screen)));
    await page.screenshot({ path: path.join(SHOTS, `a11y-${screen}-${lang}.png`) });
    if (lang === 'zh' && !o.modal) await toggleLang(page);
  }
  if (!o.modal) await toggleLang(page);
  if (throttled) await cpu!.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}
/** Waits out what is left of a person's pause that began at `since` (the test's own checks ran inside it). */
const pauseUntil = (page: Page, since: number, ms: number) => page.waitForTimeout(Math.max(0, since + ms - Date.now()));

async function phoneState(p: Page) {
  const el = p.getByTestId('exam-state');
  return {
    phase: await el.getAttribute('data-phase'),
    text: await el.textContent(),
    countdown: await p
      .getByTestId('exam-countdown')
      .textContent({ timeout: 5_000 })
      .catch(() => null),
  };
}

/**
 * The phone during the exam, at whatever moment the journey has reached (a loaded machine decides when): 考试进行中,
 * and the answer countdown within a few seconds of the server's remaining time.
 */
async function expectPhoneRunning(p: Page, moment: string) {
  // The phone learns the start from its own heartbeat and clock: at the very second the desktop shows the question,
  // the phone may still be a heartbeat behind. Wait for its state (a few seconds at most), then look.
  await p
    .locator('[data-testid="exam-state"][data-phase="running"]')
    .waitFor({ timeout: 8_000 })
    .catch(() => undefined);
  const left = (demo.endsAt - Date.now()) / 1000;
  if (left < 4) return step(`${moment}: too close to the end to look (a loaded machine), not checked`);
  const ps = await phoneState(p);
  const at = `${moment} (start + ${Math.round((Date.now() - demo.startsAt) / 1000)} s)`;
  check(ps.phase, at).toBe('running');
  check(ps.text, at).toContain('考试进行中');
  const [, mm, ss] = ps.countdown?.match(/答题剩余 (\d\d):(\d\d)/) ?? [];
  check(ps.countdown, at).toBeTruthy();
  check(Math.abs(Number(mm) * 60 + Number(ss) - left), `${at}: countdown ${ps.countdown} vs ${left.toFixed(0)} s left`).toBeLessThan(4);
}

/** Moves the exam's start (and so its end) as an administrator would; the browsers learn it from the server. */
async function moveStart(startsAt: number) {
  const staff = await staffApi(server.baseUrl, demo.admin);
  const cur = await (await staff.get(`/api/sessions/${demo.sessionId}`)).json();
  const { id: _i, examId: _e, candidateCount: _c, ...input } = cur;
  const r = await staff.put(`/api/sessions/${demo.sessionId}`, { data: { ...input, startsAt } });
  expect(r.ok(), await r.text()).toBeTruthy();
  await staff.dispose();
  demo.startsAt = startsAt;
  demo.endsAt = startsAt + DURATION * 1000;
}

test('a whole exam as a person on a slow laptop: slow typing, phone long before the start, network cut, reload, phone drop, full screen; axe on every screen', async () => {
  // A ceiling, not a budget: about 4 min on an idle machine; the helpers' machine (load 30–40) needs far longer.
  test.setTimeout(900_000);
  context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', baseURL: server.baseUrl });
  const page = await context.newPage();
  desktop = page;
  await keepCameraTracks(page);
  await page.goto('/');
  cpu = await throttleCpu(page);
  const c = demo.candidates[0]!;
  phone = await openPhone(server.baseUrl);
  const p = phone.page;

  step('1. The login form keeps what was typed (the attempt query re');
  // ── 1. The login form keeps what was typed (the attempt query refetched every 15 s while logged out). ──
  const id = page.getByLabel('身份证号');
  const ticket = page.getByLabel('准考证号');
  await typeLikeAPerson(id, c.idNumber);
  // 20 s: the candidate finds the admission ticket in a bag. Meanwhile the test looks at the login screen and at
  // the phone's bind screen, where a refused code must leave 【绑定】 its name (item 9).
  let pause = Date.now();
  await a11y(page, 'login');
  await p.goto('/m');
  await expect(p.getByLabel('绑定码')).toBeVisible();
  await a11y(p, 'phone-bind');
  await p.getByLabel('绑定码').fill('ABCD-EFGH');
  await p.getByRole('button', { name: '绑定' }).click();
  await check(p.getByTestId('bind-error')).toBeVisible();
  await check(p.getByTestId('bind-submit')).toHaveAccessibleName('绑定');
  await check(p.getByRole('button', { name: 'loading' })).toHaveCount(0);
  await a11y(p, 'phone-bind-error');
  await pauseUntil(page, pause, 20_000);
  await check(id).toHaveValue(c.idNumber);
  await typeLikeAPerson(ticket, 'X' + c.ticket.slice(1));
  await page.getByRole('button', { name: '登录' }).click();
  await check(page.getByTestId('login-error')).toBeVisible();
  pause = Date.now(); // 16 s: reads the message, checks the ticket again
  await a11y(page, 'login-error');
  await pauseUntil(page, pause, 16_000);
  await check(page.getByTestId('login-error')).toBeVisible();
  await check(id).toHaveValue(c.idNumber);
  await ticket.fill('');
  await typeLikeAPerson(ticket, c.ticket);
  // A person who finds the number gone types it again (only an older build gets here with an empty field).
  if ((await id.inputValue()) !== c.idNumber) await id.fill(c.idNumber);
  await page.getByRole('button', { name: '登录' }).click();

  // Device check, then the phone: bound and recording from well before the start.
  await expect(page.getByTestId('check-camera')).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await a11y(page, 'device-check');
  await passDeviceCheck(page);
  await check(page.getByTestId('proof-binding-panel')).toBeVisible();
  await a11y(page, 'proof-binding');
  await p.goto(await qrUrl(page));
  await expect(p.getByRole('button', { name: '我已了解，同意并继续' })).toBeVisible();
  await a11y(p, 'phone-consent');
  await p.getByRole('button', { name: '我已了解，同意并继续' }).click();
  await expect(p.getByTestId('camera-allow')).toBeVisible();
  await a11y(p, 'phone-camera');
  await p.getByTestId('camera-allow').click();
  await expect(p.getByTestId('scan-start')).toBeVisible();
  await a11y(p, 'phone-scan');
  await p.getByTestId('scan-start').click();
  const phoneStartedAt = Date.now();
  await expect(p.getByTestId('scan-done')).toBeEnabled({ timeout: 30_000 });
  await p.getByTestId('scan-done').click();
  await expect(p.getByTestId('placed')).toBeVisible();
  await a11y(p, 'phone-place');
  await p.getByTestId('placed').click();
  await expect(p.getByTestId('stop')).toBeVisible();

  await page.getByTestId('proof-next').click();
  await expect(page.getByTestId('document-process')).toBeVisible();
  await a11y(page, 'documents');
  await page.getByTestId('document-commitment').getByRole('button').click();
  await expect(page.getByTestId('document-body')).toBeVisible();
  await a11y(page, 'document-open', { modal: true });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('document-body')).toBeHidden();
  await readAllDocuments(page);
  await expect(page.getByRole('button', { name: '进入考试' })).toBeVisible();
  await a11y(page, 'enter');

  step('7. Before the start the phone says so and counts down to the');
  // ── 7. Before the start the phone says so and counts down to the start. ──
  const ps = await phoneState(p);
  check(ps.phase).toBe('before');
  check(ps.countdown).toContain('距离开考');
  await bothLangs(p, 'countdown-before', phoneShot, 'phone-recording');

  // 【进入考试】 → 设备确认: recording runs and says so per stream (2); the reason for full screen is given (8).
  await page.getByRole('button', { name: '进入考试' }).click();
  // Screen, camera, the server and the journal on a throttled page: entering takes a while, as it would.
  await expect(page.getByRole('button', { name: '进入待考' })).toBeVisible({ timeout: 60_000 });
  await check(page.getByTestId('recording-status')).toBeVisible();
  for (const s of ['camera', 'microphone', 'screen']) await check(page.getByTestId(`rec-${s}`)).toHaveAttribute('data-state', 'on');
  await check(page.getByTestId('rec-phone')).toHaveAttribute('data-connection', 'recording');
  await check(page.getByTestId('fullscreen-reason')).toContainText('全屏');
  await bothLangs(page, 'person-confirm-recording', shot, 'confirm');
  await page.getByRole('button', { name: '进入待考' }).click();
  await check(page.getByTestId('waiting-room')).toBeVisible();
  await check.poll(() => page.evaluate(() => !!document.fullscreenElement), { message: 'full screen requested at 进入待考' }).toBe(true);
  await a11y(page, 'waiting');

  step('8. Leaving full screen is reported and pointed out, with a w');
  // ── 8. Leaving full screen is reported and pointed out, with a way back. ──
  await page.evaluate(() => (document.fullscreenElement ? document.exitFullscreen() : undefined));
  await check(page.getByTestId('fullscreen-left')).toBeVisible();
  await bothLangs(page, 'person-fullscreen-left', shot, 'fullscreen-left');
  if (await has(page.getByTestId('fullscreen-back'))) await page.getByTestId('fullscreen-back').click();
  await check(page.getByTestId('fullscreen-left')).toBeHidden();

  step('7. The phone drops after 进入待考');
  // ── 7. The phone drops after 进入待考: the desktop tells the candidate, until it is back. ──
  await phone.context.setOffline(true);
  await check(page.getByTestId('rec-phone')).toHaveAttribute('data-connection', 'disconnected', { timeout: 20_000 });
  await check(page.getByTestId('proof-dropped')).toBeVisible();
  await bothLangs(page, 'person-phone-dropped', shot, 'phone-dropped');
  await phone.context.setOffline(false);
  await check(page.getByTestId('proof-dropped')).toBeHidden({ timeout: 20_000 });
  await check(page.getByTestId('rec-phone')).toHaveAttribute('data-connection', 'recording');

  // Everyone is in the waiting room: the start is set now, the phone having recorded 40+ s by then.
  await moveStart(Math.max(Date.now() + START_AFTER_WAITING_ROOM, phoneStartedAt + START_AFTER_PHONE));
  step('start set');

  step('7. The exam starts; the phone counts down the answer time an');
  // ── 7. The exam starts; the phone counts down the answer time and says 考试进行中 at several moments. ──
  await page.waitForTimeout(untilServer(demo.startsAt));
  await check(page.getByTestId('question-panel')).toBeVisible({ timeout: 20_000 });
  await expectPhoneRunning(p, 'just after the start');
  await bothLangs(p, 'countdown-running', phoneShot, 'phone-running');
  await a11y(page, 'answering');
  expect(demo.startsAt - phoneStartedAt, 'the phone started recording well before the start').toBeGreaterThan(35_000);

  step('3. The network drops for 20 s: a banner stays the whole time');
  // ── 3. The network drops for 20 s: a banner stays the whole time, with the local backlog, then drains. ──
  await context.setOffline(true);
  const offlineAt = Date.now();
  const banner = page.getByTestId('offline-banner');
  await check(banner).toHaveAttribute('data-state', 'offline');
  await page.waitForTimeout(Math.max(0, offlineAt + 11_000 - Date.now())); // longer than the old 5-second message
  await check(banner).toHaveAttribute('data-state', 'offline');
  await check(page.getByTestId('offline-backlog')).toContainText(/约 \d+\.\d MB（约 [\d.]+ 分钟录像）/);
  const mbOffline = (await has(page.getByTestId('offline-backlog'))) ? Number((await page.getByTestId('offline-backlog').textContent())!.match(/约 (\d+\.\d) MB/)![1]) : 0;
  check(mbOffline, 'the backlog grows while offline').toBeGreaterThan(0);
  await bothLangs(page, 'person-offline', shot, 'offline-banner');
  step('offline pictures taken');
  await page.waitForTimeout(untilServer(offlineAt + 20_000));
  await context.setOffline(false);
  step('network back');
  await check(banner).toHaveAttribute('data-state', 'draining');
  await check(banner).toBeHidden({ timeout: 60_000 }); // offline → draining → gone once uploaded
  step('backlog drained');

  step('7. Half-way (the phone has recorded for well over a minute):');
  // ── 7. Later (the phone has recorded for well over a minute): still running, 停止录制 still warns. ──
  await expectPhoneRunning(p, 'after the network cut');
  await p.getByTestId('stop').click();
  await check(p.getByText('考试尚未结束')).toBeVisible();
  await p.getByRole('button', { name: '取消' }).click();

  step('4. A reload: 继续考试 keeps counting down and says what the relo');
  // ── 4. A reload: 继续考试 keeps counting down and says what the reload costs. ──
  await page.reload();
  cpu = await throttleCpu(page);
  // Finalize (after the end) is held back a little so the 正在校验… phase can be seen: it is usually quicker than a glance.
  await page.route('**/api/recordings/*/finalize', async (r) => {
    await new Promise((res) => setTimeout(res, 4_000));
    await r.continue();
  });
  await check(page.getByTestId('resume-exam')).toBeVisible();
  const c1 = (await has(page.getByTestId('resume-countdown'))) ? await page.getByTestId('resume-countdown').textContent() : null;
  check(c1, 'a countdown on 继续考试').toMatch(/\d\d:\d\d/);
  if (c1) await check(page.getByTestId('resume-countdown')).not.toHaveText(c1);
  await check(page.getByTestId('resume-cost')).toContainText('没有录下来');
  await check(page.getByText('不会丢失')).toHaveCount(0);
  await bothLangs(page, 'person-resume', shot, 'resume');
  await page.getByTestId('resume-exam').click();
  await check(page.getByTestId('question-panel')).toBeVisible();

  step('2. A camera that stops is shown as stopped, with what to do.');
  // ── 2. A camera that stops is shown as stopped, with what to do. ──
  expect(await unplugCamera(page)).toBeGreaterThan(0);
  await check(page.getByTestId('rec-camera')).toHaveAttribute('data-state', 'lost');
  await check(page.getByTestId('rec-lost')).toContainText('求助');
  await bothLangs(page, 'person-camera-lost', shot, 'camera-lost');

  step('7. Later in the exam, the phone still counts down');
  // ── 7. Later in the exam (the phone has recorded for well over a minute), it still counts down. ──
  await expectPhoneRunning(p, 'after the reload');

  step("5. Time is up: the upload page names the server's check and ");
  // ── 5. Time is up: the upload page names the server's check and lists the proof video's state. ──
  await page.waitForTimeout(untilServer(demo.endsAt));
  await check(page.getByTestId('upload-pending')).toBeVisible({ timeout: 20_000 });
  await check(page.getByText('正在校验…').first()).toBeVisible({ timeout: 60_000 });
  await check(page.getByTestId('upload-phone')).toHaveAttribute('data-state', /phoneRecording|uploading/);
  await bothLangs(page, 'person-upload-verifying', shot, 'upload');
  await expect.poll(async () => (await phoneState(p)).phase, { timeout: 10_000 }).toBe('ended');
  await p.getByTestId('stop').click();
  await check(p.getByText('停止后视频将自动上传')).toBeVisible();
  await p.getByRole('button', { name: '停止录制' }).last().click();
  await expect(p.getByText('上传成功').or(p.getByTestId('upload-state')).first()).toBeVisible();
  await a11y(p, 'phone-stopped');
  await check(page.getByTestId('upload-success')).toBeVisible({ timeout: 90_000 });
  await check(page.getByTestId('upload-phone')).toHaveAttribute('data-state', 'success', { timeout: 60_000 });
  await bothLangs(page, 'person-upload-done', shot, 'upload-done');

  // What the server saw: the full-screen exit and the network cut were reported.
  const staff = await staffApi(server.baseUrl, demo.admin);
  const types = await eventTypes(staff, await attemptIdOf(staff, demo.sessionId, c.ticket));
  check(types).toEqual(expect.arrayContaining(['fullscreen-exit', 'connection-lost', 'connection-restored']));
  // Item 10: no serious or critical axe violation on any screen, in either language.
  check(found, JSON.stringify(found, null, 1)).toEqual([]);
});
