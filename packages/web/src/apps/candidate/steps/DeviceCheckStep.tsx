// 一、设备准备: camera, microphone (live volume), speaker, browser, single monitor, local storage and upload speed.
// Each failure says what to do; red items block the next step, yellow ones advise. Results go to support staff.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Row, Space, Typography } from 'antd';
import { SoundOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { DeviceCheck } from '@invigil/contracts';
import {
  browserSupport,
  checkResultOf,
  estimateUploadKbps,
  freeStorageMb,
  listDevices,
  MediaDeviceError,
  MIN_CHROMIUM,
  MIN_FREE_STORAGE_MB,
  MIN_UPLOAD_KBPS,
  onMonitorsChange,
  openCamera,
  openMicrophone,
  playTestTone,
  singleMonitor,
  stopStream,
  type DeviceFailure,
  type DeviceLists,
} from '../../../devices/index.ts';
import { ApiError } from '../../../api/client.ts';
import { saveDeviceCheck } from '../api.ts';
import { CameraPreview, DeviceSelect, VolumeBar } from '../components/Media.tsx';
import { CheckRow } from '../components/CheckRow.tsx';
import { SeedButton } from '../components/SeedButton.tsx';
import { chosenDevices, rememberDevices } from '../progress.ts';

type Speaker = 'untested' | 'playing' | 'heard' | 'not-heard';

export function DeviceCheckStep({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation('candidate');
  const { message } = App.useApp();
  const [camera, setCamera] = useState<MediaStream | null>(null);
  const [mic, setMic] = useState<MediaStream | null>(null);
  const [camFail, setCamFail] = useState<DeviceFailure | null>(null);
  const [micFail, setMicFail] = useState<DeviceFailure | null>(null);
  const [lists, setLists] = useState<DeviceLists>({ cameras: [], microphones: [] });
  const [ids, setIds] = useState(chosenDevices);
  const [opening, setOpening] = useState(true);
  const [speaker, setSpeaker] = useState<Speaker>('untested');
  const [monitor, setMonitor] = useState<boolean | null>(singleMonitor);
  const [storageMb, setStorageMb] = useState<number | null | undefined>(undefined);
  const [kbps, setKbps] = useState<number | null | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const streams = useRef<{ camera: MediaStream | null; mic: MediaStream | null }>({ camera: null, mic: null });
  const browser = browserSupport();

  const open = useCallback(async (cameraId?: string, micId?: string) => {
    setOpening(true);
    stopStream(streams.current.camera);
    stopStream(streams.current.mic);
    const [c, m] = await Promise.allSettled([openCamera(cameraId), openMicrophone(micId)]);
    const cam = c.status === 'fulfilled' ? c.value : null;
    const mc = m.status === 'fulfilled' ? m.value : null;
    streams.current = { camera: cam, mic: mc };
    setCamera(cam);
    setMic(mc);
    setCamFail(c.status === 'rejected' ? (c.reason instanceof MediaDeviceError ? c.reason.reason : 'error') : null);
    setMicFail(m.status === 'rejected' ? (m.reason instanceof MediaDeviceError ? m.reason.reason : 'error') : null);
    // Labels and ids are only complete after permission was granted, so list after opening.
    setLists(await listDevices().catch(() => ({ cameras: [], microphones: [] })));
    const chosen = { cameraId: cam?.getVideoTracks()[0]?.getSettings().deviceId ?? cameraId, micId: mc?.getAudioTracks()[0]?.getSettings().deviceId ?? micId };
    setIds(chosen);
    rememberDevices(chosen);
    setMonitor(singleMonitor());
    setOpening(false);
  }, []);

  useEffect(() => {
    void open(ids.cameraId, ids.micId);
    void freeStorageMb().then(setStorageMb);
    void estimateUploadKbps().then(setKbps);
    const off = onMonitorsChange(setMonitor);
    return () => {
      off();
      stopStream(streams.current.camera);
      stopStream(streams.current.mic);
    };
    // Runs once: later changes go through open() from the selects and 【刷新设备】.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function testSpeaker() {
    setSpeaker('playing');
    await playTestTone().catch(() => undefined);
    setSpeaker('untested');
  }

  const failText = (f: DeviceFailure, device: string) => t(`device.failure.${f}`, { device });
  const blocking = !!camFail || !!micFail || !browser.ok || monitor === false;

  async function next() {
    const result: DeviceCheck = {
      camera: checkResultOf(camFail),
      microphone: checkResultOf(micFail),
      speaker: speaker === 'heard' ? 'ok' : 'unconfirmed',
      browser: { ok: browser.ok, userAgent: navigator.userAgent.slice(0, 400) },
      singleMonitor: monitor !== false,
      storageFreeMb: storageMb ?? null,
      uploadKbps: kbps ?? null,
    };
    setSaving(true);
    setSaveError(null);
    try {
      await saveDeviceCheck(result);
      message.success(t('device.saved'));
      onDone();
    } catch (e) {
      setSaveError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  }

  const mbps = (k: number) => (k / 1000).toFixed(1);
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('device.intro')}</Typography.Text>
      <Row gutter={16}>
        <Col span={10}>
          <Card size="small" title={t('device.camera')} extra={<SeedButton word="刷新设备" size="small" onClick={() => void open(ids.cameraId, ids.micId)} loading={opening} />}>
            <CameraPreview stream={camera} height={210} label={t('device.camera')} />
            <Space orientation="vertical" size={8} style={{ width: '100%', marginTop: 8 }}>
              <DeviceSelect testId="camera-select" label={t('device.chooseCamera')} devices={lists.cameras} value={ids.cameraId} onChange={(id) => void open(id, ids.micId)} />
              <DeviceSelect testId="microphone-select" label={t('device.chooseMicrophone')} devices={lists.microphones} value={ids.micId} onChange={(id) => void open(ids.cameraId, id)} />
              <VolumeBar stream={mic} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('device.speakVolume')}
              </Typography.Text>
            </Space>
          </Card>
        </Col>
        <Col span={14}>
          <Card size="small" styles={{ body: { paddingTop: 0, paddingBottom: 4 } }}>
            <CheckRow testId="check-camera" label={t('device.camera')} status={opening ? 'checking' : camFail ? 'error' : 'ok'}>
              {camFail ? failText(camFail, t('device.camera')) : t('device.ok')}
            </CheckRow>
            <CheckRow testId="check-microphone" label={t('device.microphone')} status={opening ? 'checking' : micFail ? 'error' : 'ok'}>
              {micFail ? failText(micFail, t('device.microphone')) : t('device.ok')}
            </CheckRow>
            <CheckRow testId="check-speaker" label={t('device.speaker')} status={speaker === 'heard' ? 'ok' : 'warn'}>
              <Space wrap size={6}>
                <span>{speaker === 'not-heard' ? t('device.speakerNotHeard') : speaker === 'heard' ? t('device.ok') : t('device.speakerHint')}</span>
                <Button size="small" icon={<SoundOutlined />} loading={speaker === 'playing'} onClick={() => void testSpeaker()}>
                  {t('device.playTone')}
                </Button>
                <Button size="small" onClick={() => setSpeaker('heard')} data-testid="speaker-heard">
                  {t('device.heard')}
                </Button>
                <Button size="small" onClick={() => setSpeaker('not-heard')}>
                  {t('device.notHeard')}
                </Button>
              </Space>
            </CheckRow>
            <CheckRow testId="check-browser" label={t('device.browser')} status={browser.ok ? 'ok' : 'error'}>
              {t(browser.ok ? 'device.browserOk' : 'device.browserBad', { name: browser.name, version: browser.version ?? '', min: MIN_CHROMIUM })}
            </CheckRow>
            <CheckRow testId="check-monitor" label={t('device.monitor')} status={monitor === true ? 'ok' : monitor === false ? 'error' : 'warn'}>
              {monitor === true ? t('device.monitorOk') : monitor === false ? t('device.monitorBad') : t('device.monitorUnknown')}
            </CheckRow>
            <CheckRow testId="check-storage" label={t('device.storage')} status={storageMb === undefined ? 'checking' : storageMb === null ? 'warn' : storageMb >= MIN_FREE_STORAGE_MB ? 'ok' : 'warn'}>
              {storageMb === undefined
                ? t('device.checking')
                : storageMb === null
                  ? t('device.unknown')
                  : t(storageMb >= MIN_FREE_STORAGE_MB ? 'device.storageOk' : 'device.storageLow', { mb: storageMb, min: MIN_FREE_STORAGE_MB })}
            </CheckRow>
            <CheckRow testId="check-network" label={t('device.network')} status={kbps === undefined ? 'checking' : kbps === null ? 'warn' : kbps >= MIN_UPLOAD_KBPS ? 'ok' : 'warn'}>
              {kbps === undefined ? t('device.checking') : kbps === null ? t('device.unknown') : t(kbps >= MIN_UPLOAD_KBPS ? 'device.networkOk' : 'device.networkSlow', { mbps: mbps(kbps) })}
            </CheckRow>
          </Card>
        </Col>
      </Row>
      {saveError && <Alert type="error" showIcon title={saveError} />}
      <Space>
        <Button type="primary" size="large" disabled={blocking || opening} loading={saving} onClick={() => void next()} data-testid="device-next">
          {t('device.next')}
        </Button>
        {blocking && !opening && <Typography.Text type="danger">{t('device.blocked')}</Typography.Text>}
      </Space>
    </Space>
  );
}
