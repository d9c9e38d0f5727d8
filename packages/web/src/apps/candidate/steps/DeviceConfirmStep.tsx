// 六、设备确认: recording has started; the candidate may switch camera or microphone (the recording continues
// through the switch), refresh the device lists, then 【进入待考】.
import { useEffect, useState } from 'react';
import { Alert, App, Card, Col, Row, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AttemptState } from '@invigil/contracts';
import { ApiError } from '../../../api/client.ts';
import { listDevices, MediaDeviceError, type DeviceLists } from '../../../devices/index.ts';
import { ready } from '../api.ts';
import { useExamMedia } from '../exam-media.ts';
import { rememberDevices } from '../progress.ts';
import { enterFullscreen } from '../fullscreen.ts';
import { CameraPreview, DeviceSelect, VolumeBar } from '../components/Media.tsx';
import { SeedButton } from '../components/SeedButton.tsx';

export function DeviceConfirmStep({ onReady }: { onReady: (s: AttemptState) => void }) {
  const { t } = useTranslation('candidate');
  const { message } = App.useApp();
  const media = useExamMedia();
  const live = media.live;
  const [lists, setLists] = useState<DeviceLists>({ cameras: [], microphones: [] });
  const [ids, setIds] = useState({ cameraId: live?.cameraId, micId: live?.micId });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const refresh = () =>
    listDevices()
      .then(setLists)
      .catch(() => undefined);
  useEffect(() => {
    void refresh();
  }, []);

  async function switchTo(kind: 'camera' | 'microphone', id: string) {
    if (!live) return;
    try {
      if (kind === 'camera') await live.switchCamera(id);
      else await live.switchMicrophone(id);
      const next = { cameraId: live.cameraId, micId: live.micId };
      setIds(next);
      rememberDevices(next);
    } catch (e) {
      const reason = e instanceof MediaDeviceError ? e.reason : 'error';
      message.error(t(`device.failure.${reason}`, { device: t(kind === 'camera' ? 'device.camera' : 'device.microphone') }));
    }
  }

  async function goWaiting() {
    // Inside the click: the browser grants full screen only to a user gesture. A refusal does not block entry.
    const fullscreen = enterFullscreen();
    setBusy(true);
    setError(null);
    try {
      const next = await ready();
      await fullscreen;
      onReady(next);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('confirm.intro')}</Typography.Text>
      <Row gutter={16}>
        <Col span={12}>
          <Card size="small" title={t('device.camera')}>
            <CameraPreview stream={live?.stream ?? null} height={260} label={t('device.camera')} />
          </Card>
        </Col>
        <Col span={12}>
          <Card size="small" title={t('steps.confirm')} extra={<SeedButton word="刷新设备" size="small" onClick={() => void refresh()} data-testid="refresh-devices" />}>
            <Space orientation="vertical" size={12} style={{ width: '100%' }}>
              <DeviceSelect
                testId="confirm-camera-select"
                label={t('device.chooseCamera')}
                devices={lists.cameras}
                value={ids.cameraId}
                disabled={!live?.canSwitch}
                onChange={(id) => void switchTo('camera', id)}
              />
              <DeviceSelect
                testId="confirm-microphone-select"
                label={t('device.chooseMicrophone')}
                devices={lists.microphones}
                value={ids.micId}
                disabled={!live?.canSwitch}
                onChange={(id) => void switchTo('microphone', id)}
              />
              <VolumeBar stream={live?.microphone ?? null} />
              {live && !live.canSwitch && <Typography.Text type="secondary">{t('confirm.noSwitch')}</Typography.Text>}
            </Space>
          </Card>
        </Col>
      </Row>
      <Alert type="info" showIcon title={t('confirm.fullscreen')} data-testid="fullscreen-reason" />
      {error && <Alert type="error" showIcon role="alert" title={error} />}
      <SeedButton word="进入待考" type="primary" size="large" loading={busy} onClick={() => void goWaiting()} data-testid="go-waiting" style={{ alignSelf: 'flex-start' }} />
    </Space>
  );
}
