// 【进入考试】 (and re-entry after a reload): whole screen first — it needs the click's user activation — then
// camera + microphone, then the server's POST /api/attempt/enter, then recording. Any refusal releases what was
// opened, so a refused candidate is never recorded and no camera light stays on.
import type { TFunction } from 'i18next';
import type { AttemptState } from '@invigil/contracts';
import { ApiError } from '../../api/client.ts';
import { LiveCamera, MediaDeviceError, requestWholeScreen, singleMonitor } from '../../devices/index.ts';
import { enter } from './api.ts';
import { startRecording } from './exam-media.ts';
import { chosenDevices } from './progress.ts';
import { reportSignal } from './signals.ts';

export type EnterOutcome = { ok: true; state: AttemptState } | { ok: false; error: string; code?: string };

export async function enterExam(t: TFunction<'candidate'>): Promise<EnterOutcome> {
  const single = singleMonitor();
  if (single === false) {
    reportSignal('second-monitor', { when: 'enter' });
    return { ok: false, error: t('enter.secondMonitor'), code: 'SECOND_MONITOR' };
  }
  const share = await requestWholeScreen();
  if (!share.ok) {
    if (share.reason === 'not-whole-screen') {
      const surface = share.displaySurface === 'window' || share.displaySurface === 'browser' ? share.displaySurface : 'unknown';
      return { ok: false, error: t('enter.notWholeScreen', { surface: t(`enter.surface.${surface}`) }), code: 'SCREEN_NOT_WHOLE' };
    }
    return { ok: false, error: t(share.reason === 'unsupported' ? 'enter.shareUnsupported' : 'enter.shareDenied'), code: 'SHARE_CANCELLED' };
  }
  const stopShare = () => share.stream.getTracks().forEach((tr) => tr.stop());
  let live: LiveCamera;
  try {
    const d = chosenDevices();
    live = await LiveCamera.open(d.cameraId, d.micId).catch(() => LiveCamera.open()); // chosen device gone: take the default
  } catch (e) {
    stopShare();
    const reason = e instanceof MediaDeviceError ? t(`device.failure.${e.reason}`, { device: t(e.kind === 'camera' ? 'device.camera' : 'device.microphone') }) : String(e);
    return { ok: false, error: t('enter.mediaFailed', { reason }) };
  }
  let state: AttemptState;
  try {
    state = await enter({ singleMonitor: true, displaySurface: share.displaySurface });
  } catch (e) {
    stopShare();
    live.close();
    return { ok: false, error: e instanceof ApiError ? e.message : String(e), code: e instanceof ApiError ? e.code : undefined };
  }
  await startRecording(
    state.attemptId,
    live,
    share.stream,
    () => reportSignal('screen-share-stopped'),
    (loss) => reportSignal(loss.type, loss.data),
  );
  return { ok: true, state };
}
