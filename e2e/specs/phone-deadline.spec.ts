// The proof video's upload deadline with a short setting: the candidate enters (the proof gate lets them in only
// while the phone records), ends the exam, the phone stops while offline — support sees "overdue"; back online
// the phone uploads by itself and the state becomes complete (late).
import { expect, test } from '@playwright/test';
import { request } from '@playwright/test';
import type { SessionProof } from '../../packages/contracts/src/index.ts';
import { openPhone, phoneRecordsMore, phoneShot, phoneToRecording, staff, startPhoneServer, type Phone } from '../helpers/phone-fixture.ts';
import type { TestServer } from '../helpers/server.ts';

let server: TestServer;
let phone: Phone | null = null;
test.afterAll(async () => {
  await phone?.close();
  await server?.stop();
});

test('upload deadline: uploading → overdue while the phone is offline → complete (late) once it uploads', async () => {
  server = await startPhoneServer({ PROOF_ROOM_SCAN_SEC: '3', PROOF_HEARTBEAT_SEC: '2', PROOF_UPLOAD_DEADLINE_SEC: '8' });
  const demo = server.seedDemo({ startsIn: 600, duration: 3600, candidates: 1, face: false, proof: true });
  const c = demo.candidates[0]!;
  // The desktop through the API (the desktop UI is covered by phone.spec.ts).
  const desk = await request.newContext({ baseURL: server.baseUrl });
  expect((await desk.post('/api/auth/candidate-login', { data: { idNumber: c.idNumber, ticket: c.ticket, clientId: 'e2e-deadline-desk' } })).ok()).toBeTruthy();
  const attempt = await (await desk.get('/api/attempt')).json();
  for (const d of attempt.documents) await desk.post(`/api/attempt/documents/${d.id}/read`, { data: {} });
  const enter = () => desk.post('/api/attempt/enter', { data: { singleMonitor: true, displaySurface: 'monitor' } });
  const refused = await enter();
  expect(refused.status()).toBe(409);
  expect((await refused.json()).error.code).toBe('STEP_REQUIRED');

  phone = await openPhone(server.baseUrl);
  const { url } = await (await desk.post('/api/proof/bind-code', { data: {} })).json();
  await phoneToRecording(phone.page, url);
  await expect.poll(async () => (await enter()).status(), { timeout: 10_000 }).toBe(200);
  await phoneRecordsMore(phone.page, 1); // the exam has proof video to upload

  // The candidate ends the exam; the phone's network drops and it is stopped by hand.
  expect((await desk.post('/api/attempt/end', { data: {} })).ok()).toBeTruthy();
  await expect(phone.page.getByTestId('exam-state')).toContainText('考试已结束', { timeout: 10_000 });
  await phone.context.setOffline(true);
  await phone.page.getByTestId('stop').click();
  await phone.page.locator('.ant-modal-confirm').getByRole('button', { name: '停止录制' }).click();
  await expect(phone.page.getByTestId('upload-state')).toContainText('等待网络恢复', { timeout: 30_000 }); // the recorder's last chunk is written first: slow on a loaded machine
  await phoneShot(phone.page, 'stopped-offline');

  const support = await staff(server.baseUrl, demo.support);
  const upload = async () => ((await (await support.get(`/api/sessions/${demo.sessionId}/proof`)).json()) as SessionProof).rows[0]!.status!.upload;
  expect((await upload()).state).toBe('uploading');
  await expect.poll(async () => (await upload()).state, { timeout: 20_000 }).toBe('overdue');
  // The watchdog raises the flag for staff on its next tick.
  const types = async () => ((await (await support.get(`/api/attempts/${attempt.attemptId}/events`)).json()) as Array<{ type: string }>).map((e) => e.type);
  await expect.poll(types, { timeout: 5_000 }).toContain('proof-upload-overdue');

  await phone.context.setOffline(false);
  await expect(phone.page.getByTestId('upload-verified')).toBeVisible({ timeout: 60_000 });
  expect(await upload()).toMatchObject({ state: 'complete', late: true });
  await phoneShot(phone.page, 'upload-verified-late');
});
