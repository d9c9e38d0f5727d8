// Always in view from 【进入考试】 to the end ("系统将自动开启视频录制并实时上传"): one indicator per recorded stream
// (camera, microphone with its level, screen, and the proof phone when the session uses it), what to do when one
// stops, and — during and after a network cut — that recording goes on here, with the local backlog in MB and
// minutes until it has drained.
import { useEffect, useState } from 'react';
import { Alert, Button, Space, Tag } from 'antd';
import { AudioOutlined, DesktopOutlined, MobileOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AttemptState } from '@invigil/contracts';
import { DEFAULT_RECORDER_OPTIONS } from '../../../media/recorder.ts';
import { useVolume } from '../../../devices/index.ts';
import { useExamMedia, usePipelineProgress } from '../exam-media.ts';
import { connectionBanner, isDrained, isOffline, localBacklog } from '../recording-state.ts';
import { LiveAnnouncement } from '../components/SrOnly.tsx';
import { tagStyle } from '../a11y-theme.ts';
import { enterFullscreen, fullscreenWanted, useIsFullscreen } from '../fullscreen.ts';
import { ProofTag, ProofTrouble } from './ProofWatch.tsx';

type Indicator = 'on' | 'off' | 'lost';
const COLOR: Record<Indicator, string> = { on: 'success', off: 'default', lost: 'error' };

export function RecordingStatus({ attempt }: { attempt: AttemptState }) {
  const { t } = useTranslation('candidate');
  const media = useExamMedia();
  const progress = usePipelineProgress();
  const level = useVolume(media.live?.microphone ?? null);
  const isFull = useIsFullscreen();
  const wantFull = attempt.status !== 'entered' && fullscreenWanted();
  // Sticky from the cut until the backlog has drained, so "back online" is not mistaken for "all uploaded".
  const [cutSeen, setCutSeen] = useState(false);
  const offline = isOffline(progress);
  const drained = isDrained(progress);
  useEffect(() => {
    if (offline) setCutSeen(true);
    else if (drained) setCutSeen(false);
  }, [offline, drained]);

  const running = (s: 'camera' | 'screen') => progress.streams.find((x) => x.stream === s)?.recording ?? media.recording;
  const camera: Indicator = media.cameraLost ? 'lost' : running('camera') ? 'on' : 'off';
  const microphone: Indicator = media.microphoneLost ? 'lost' : running('camera') ? 'on' : 'off';
  const screen: Indicator = media.screenLost ? 'lost' : running('screen') ? 'on' : 'off';
  const banner = connectionBanner(progress, cutSeen);
  const backlog = localBacklog(progress, DEFAULT_RECORDER_OPTIONS.timesliceMs);

  const tag = (key: 'camera' | 'microphone' | 'screen', state: Indicator, icon: React.ReactNode, extra?: React.ReactNode) => (
    <Tag color={COLOR[state]} icon={icon} data-testid={`rec-${key}`} data-state={state} style={{ fontSize: 14, padding: '2px 8px', marginInlineEnd: 0, ...tagStyle(COLOR[state]) }}>
      {t(`rec.${key}`)} · {state === 'on' ? `● ${t('rec.on')}` : t(`rec.${state}`)}
      {extra}
    </Tag>
  );
  const lostNow = [camera === 'lost' && t('rec.cameraStopped'), microphone === 'lost' && t('rec.microphoneStopped')].filter(Boolean) as string[];

  return (
    <section aria-label={t('rec.region')} data-testid="recording-status" style={{ position: 'sticky', top: 0, zIndex: 5, marginBottom: 12 }}>
      <Space wrap size={[8, 8]} style={{ background: '#fff', border: '1px solid #e5e8ee', borderRadius: 6, padding: '6px 10px', width: '100%', boxSizing: 'border-box' }}>
        {tag('camera', camera, <VideoCameraOutlined />)}
        {tag(
          'microphone',
          microphone,
          <AudioOutlined />,
          <span
            role="meter"
            aria-label={t('device.volume')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={level}
            data-testid="rec-mic-level"
            style={{ display: 'inline-block', width: 48, height: 6, marginInlineStart: 8, background: '#d9d9d9', borderRadius: 3, verticalAlign: 'middle', overflow: 'hidden' }}
          >
            <span style={{ display: 'block', width: `${level}%`, height: '100%', background: '#237804' }} />
          </span>,
        )}
        {tag('screen', screen, <DesktopOutlined />)}
        {attempt.session.proofRequired && <ProofTag attemptId={attempt.attemptId} icon={<MobileOutlined />} />}
      </Space>
      {attempt.session.proofRequired && <ProofTrouble attemptId={attempt.attemptId} />}
      {wantFull && !isFull && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="fullscreen-left"
          title={t('rec.notFullscreen')}
          action={
            <Button size="small" type="primary" onClick={() => void enterFullscreen()} data-testid="fullscreen-back">
              {t('rec.backFullscreen')}
            </Button>
          }
        />
      )}
      {lostNow.map((text) => (
        <Alert key={text} type="error" showIcon title={text} style={{ marginTop: 8 }} data-testid="rec-lost" />
      ))}
      {banner && (
        <Alert
          type={banner === 'offline' ? 'warning' : 'info'}
          showIcon
          style={{ marginTop: 8 }}
          data-testid="offline-banner"
          data-state={banner}
          title={t(banner === 'offline' ? 'rec.offlineTitle' : 'rec.drainingTitle')}
          description={<span data-testid="offline-backlog">{t(banner === 'offline' ? 'rec.offlineBody' : 'rec.drainingBody', { mb: backlog.mb, min: backlog.minutes })}</span>}
        />
      )}
      {/* State changes are announced once; the backlog figures change too often to be read out. */}
      <LiveAnnouncement testId="rec-announce" assertive>
        {[banner && t(banner === 'offline' ? 'rec.offlineTitle' : 'rec.drainingTitle'), ...lostNow].filter(Boolean).join(' ')}
      </LiveAnnouncement>
    </section>
  );
}
