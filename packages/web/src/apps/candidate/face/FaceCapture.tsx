// Live capture for face login: the picture with its guide and quality hints, the server's randomized liveness
// challenge, ~2 s of capture while the candidate performs it, and the server's verdict. The browser only
// takes the frames; the server compares them with the registered photo and decides.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Progress, Space, Tag, Typography } from 'antd';
import { CameraOutlined, CheckCircleOutlined, ExclamationCircleOutlined, LoadingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { faceReasonText, type FaceState, type FaceVerifyResult } from '@invigil/contracts';
import { ApiError } from '../../../api/client.ts';
import { verifyFace } from './api.ts';
import { captureJpeg, judgeFrame, loadDetector, readFrame, type FaceHint } from './face-hints.ts';
import { FaceCameraView, type FaceCameraState, type GuideTone } from './FaceCamera.tsx';

/** When frames are taken after 【开始验证】: early (before the action) and late (during/after it). */
const FRAME_AT_MS = [500, 1800];
const CAPTURE_MS = 2000;
const HINT_EVERY_MS = 500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const TONE_OF: Record<FaceHint, GuideTone> = {
  loading: 'neutral', basic: 'neutral', good: 'good',
  'too-dark': 'warn', 'too-bright': 'warn', 'no-face': 'warn', 'several-faces': 'warn', 'too-far': 'warn', 'too-close': 'warn', 'off-centre': 'warn',
};

export interface FaceCaptureProps {
  state: FaceState;
  camera: FaceCameraState;
  /** The last verdict of this page, shown until the next try. */
  lastResult: FaceVerifyResult | null;
  onResult: (r: FaceVerifyResult) => void;
  /** A request failed (tries exhausted meanwhile, network): the state should be read again. */
  onStale: () => void;
  /** The 【请求人工核验】 button, rendered by the step (it owns the request). */
  manualButton: ReactNode;
  /** Above the controls, e.g. a refused manual request's reason. */
  notice?: ReactNode;
}

/** Hints from the live picture twice a second while the candidate lines up (not while capturing). */
function useFaceHint(video: React.RefObject<HTMLVideoElement | null>, stream: MediaStream | null, paused: boolean): FaceHint {
  const [hint, setHint] = useState<FaceHint>('loading');
  useEffect(() => {
    if (!stream || paused) return;
    let stopped = false;
    const canvas = document.createElement('canvas');
    void (async () => {
      const human = await loadDetector();
      while (!stopped) {
        const reading = video.current ? await readFrame(video.current, canvas, human) : null;
        if (stopped) return;
        if (reading) setHint(judgeFrame(reading));
        await sleep(HINT_EVERY_MS);
      }
    })();
    return () => {
      stopped = true;
    };
  }, [video, stream, paused]);
  return hint;
}

export function FaceCapture({ state, camera, lastResult, onResult, onStale, manualButton, notice }: FaceCaptureProps) {
  const { t, i18n } = useTranslation('face');
  const video = useRef<HTMLVideoElement | null>(null);
  const [phase, setPhase] = useState<'idle' | 'capturing' | 'sending'>('idle');
  const [progress, setProgress] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const hint = useFaceHint(video, camera.stream, phase !== 'idle');
  const challenge = state.challenge;
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';

  async function start() {
    const v = video.current;
    if (!challenge || !v) return;
    setError(null);
    setPhase('capturing');
    const canvas = document.createElement('canvas');
    const began = Date.now();
    const tick = setInterval(() => setProgress(Math.min(100, Math.round(((Date.now() - began) / CAPTURE_MS) * 100))), 100);
    const frames: string[] = [];
    try {
      for (const at of FRAME_AT_MS) {
        await sleep(Math.max(0, began + at - Date.now()));
        frames.push(captureJpeg(v, canvas));
      }
      await sleep(Math.max(0, began + CAPTURE_MS - Date.now()));
    } finally {
      clearInterval(tick);
      setProgress(0);
    }
    setPhase('sending');
    try {
      onResult(await verifyFace(challenge.id, frames));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      onStale();
    } finally {
      setPhase('idle');
    }
  }

  const failed = lastResult && !lastResult.passed ? lastResult : null;
  const caption =
    phase === 'capturing' && challenge ? (
      <strong style={{ fontSize: 18 }}>{t(`capture.challenge.${challenge.action}`)}</strong>
    ) : phase === 'sending' ? (
      <span><LoadingOutlined /> {t('capture.sending')}</span>
    ) : (
      <span data-testid="face-hint" data-hint={hint}>{t(`hint.${hint}`)}</span>
    );
  const tone: GuideTone = phase === 'idle' ? TONE_OF[hint] : 'active';
  const cannotTry = !challenge;

  return (
    <div style={{ display: 'flex', gap: 20, alignItems: 'flex-start', flexWrap: 'wrap' }} data-testid="face-capture">
      <Space orientation="vertical" size={8}>
        {camera.error ? (
          <Alert
            type="error"
            showIcon
            style={{ width: 480 }}
            title={t(`camera.${camera.error}`)}
            action={<Button onClick={camera.reopen}>{t('camera.reopen')}</Button>}
            data-testid="face-camera-error"
          />
        ) : (
          <FaceCameraView ref={video} stream={camera.stream} tone={tone} label={t('capture.cameraTitle')} caption={caption} />
        )}
        {phase === 'capturing' && <Progress percent={progress} showInfo={false} style={{ width: 480, margin: 0 }} />}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <CameraOutlined /> {t('capture.mirrored')}
        </Typography.Text>
      </Space>

      <Space orientation="vertical" size={12} style={{ flex: 1, minWidth: 320, maxWidth: 560 }}>
        <Typography.Text>{t('capture.intro')}</Typography.Text>
        {notice}
        {challenge && (
          <Card size="small" data-testid="face-challenge" data-action={challenge.action}>
            <Typography.Text type="secondary">{t('capture.challengeLabel')}</Typography.Text>
            <Typography.Title level={4} style={{ margin: '4px 0 0' }}>
              {t(`capture.challenge.${challenge.action}`)}
            </Typography.Title>
          </Card>
        )}
        {failed && (
          <Alert
            type="error"
            showIcon
            icon={<ExclamationCircleOutlined />}
            title={t('capture.failedTitle')}
            description={<span data-testid="face-fail-reason">{failed.reason ? faceReasonText(failed.reason, lang) : failed.message}</span>}
            data-testid="face-failed"
          />
        )}
        {error && <Alert type="error" showIcon title={error} />}
        {!state.registered && <Alert type="warning" showIcon title={t('capture.notRegistered')} data-testid="face-not-registered" />}
        {state.registered && state.triesLeft === 0 && <Alert type="warning" showIcon title={t('capture.noTriesLeft')} data-testid="face-no-tries" />}
        {state.registered && state.triesLeft > 0 && (
          <Tag color={state.triesLeft <= 2 ? 'orange' : 'blue'} style={{ fontSize: 14, padding: '2px 10px' }} data-testid="face-tries-left">
            {t('capture.triesLeft', { n: state.triesLeft })}
          </Tag>
        )}
        <Space wrap>
          <Button
            type="primary"
            size="large"
            icon={failed ? undefined : <CheckCircleOutlined />}
            disabled={cannotTry || !camera.stream || phase !== 'idle'}
            loading={phase !== 'idle'}
            onClick={() => void start()}
            data-testid="face-start"
          >
            {phase === 'capturing' ? t('capture.capturing') : phase === 'sending' ? t('capture.sending') : failed ? t('capture.retry') : t('capture.start')}
          </Button>
          {manualButton}
        </Space>
      </Space>
    </div>
  );
}
