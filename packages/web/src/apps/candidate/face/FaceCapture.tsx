// Live capture for face login: the picture with its guide and quality hints, the server's randomized liveness
// challenge, up to ~5.5 s of capture while the candidate turns their head, and the server's verdict. The browser
// only takes the frames (a resting one first, then the most turned one: challenge-frames.ts); the server
// compares them with the registered photo, measures the turn itself and decides.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Progress, Space, Tag, Typography } from 'antd';
import { CameraOutlined, CheckCircleOutlined, ExclamationCircleOutlined, LoadingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { faceReasonText, type FaceState, type FaceVerifyResult } from '@invigil/contracts';
import { ApiError } from '../../../api/client.ts';
import { verifyFace } from './api.ts';
import { captureWithPose, judgeFrame, loadDetector, readFrame, type CapturedFrame, type FaceHint } from './face-hints.ts';
import { atRest, framesToSend, restingYaw, turnedEnough } from './challenge-frames.ts';
import { FaceCameraView, type FaceCameraState, type GuideTone } from './FaceCamera.tsx';

/** After 【开始验证】: wait this long at most for a frame at rest, then watch the turn for this long at most. */
const REST_WAIT_MS = 1500;
const TURN_WINDOW_MS = 4000;
const CAPTURE_MS = REST_WAIT_MS + TURN_WINDOW_MS;
/** Without a detector (no pose readings): frames this far apart over the turn window. */
const BLIND_EVERY_MS = 600;
const HINT_EVERY_MS = 500;
/** Idle yaw readings kept for the resting pose. */
const REST_READINGS = 12;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const TONE_OF: Record<FaceHint, GuideTone> = {
  loading: 'neutral',
  basic: 'neutral',
  good: 'good',
  'too-dark': 'warn',
  'too-bright': 'warn',
  'no-face': 'warn',
  'several-faces': 'warn',
  'too-far': 'warn',
  'too-close': 'warn',
  'off-centre': 'warn',
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

/** Hints from the live picture twice a second while the candidate lines up (not while capturing); the head's
 * yaw readings go to `poses` (the latest few) for the resting pose. */
function useFaceHint(video: React.RefObject<HTMLVideoElement | null>, stream: MediaStream | null, paused: boolean, poses: React.RefObject<(number | null)[]>): FaceHint {
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
        if (reading) {
          setHint(judgeFrame(reading));
          poses.current = [...poses.current, reading.yaw].slice(-REST_READINGS);
        }
        await sleep(HINT_EVERY_MS);
      }
    })();
    return () => {
      stopped = true;
    };
  }, [video, stream, paused, poses]);
  return hint;
}

export function FaceCapture({ state, camera, lastResult, onResult, onStale, manualButton, notice }: FaceCaptureProps) {
  const { t, i18n } = useTranslation('face');
  const video = useRef<HTMLVideoElement | null>(null);
  const [phase, setPhase] = useState<'idle' | 'capturing' | 'sending'>('idle');
  /** Place in the server's verification queue while waiting (第 N 位); 0 or null: being compared now. */
  const [queuePlace, setQueuePlace] = useState<number | null>(null);
  const [progress, setProgress] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const poses = useRef<(number | null)[]>([]);
  const hint = useFaceHint(video, camera.stream, phase !== 'idle', poses);
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
    const frames: CapturedFrame[] = [];
    try {
      const human = await loadDetector();
      const rest = restingYaw(poses.current);
      // The first frame shows the candidate at rest (the server measures the turn from it): a reading at the
      // resting pose, or whatever the camera shows once the wait is over.
      let first = await captureWithPose(v, canvas, human);
      while (human && !atRest(first.yaw, rest) && Date.now() - began < REST_WAIT_MS) first = await captureWithPose(v, canvas, human);
      frames.push(first);
      const turnStarted = Date.now();
      while (Date.now() - turnStarted < TURN_WINDOW_MS && !turnedEnough(frames)) {
        // A detector that fails at once must not turn this into a busy loop of JPEG encodes.
        await sleep(human ? 100 : BLIND_EVERY_MS);
        frames.push(await captureWithPose(v, canvas, human));
      }
    } finally {
      clearInterval(tick);
      setProgress(0);
    }
    setPhase('sending');
    try {
      onResult(await verifyFace(challenge.id, framesToSend(frames), setQueuePlace));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      onStale();
    } finally {
      setQueuePlace(null);
      setPhase('idle');
    }
  }

  const failed = lastResult && !lastResult.passed ? lastResult : null;
  const caption =
    phase === 'capturing' && challenge ? (
      <strong style={{ fontSize: 18 }}>{t(`capture.challenge.${challenge.action}`)}</strong>
    ) : phase === 'sending' && queuePlace ? (
      <span data-testid="face-queued" data-position={queuePlace}>
        <LoadingOutlined /> {t('capture.queued', { n: queuePlace })}
      </span>
    ) : phase === 'sending' ? (
      <span>
        <LoadingOutlined /> {t('capture.sending')}
      </span>
    ) : (
      <span data-testid="face-hint" data-hint={hint}>
        {t(`hint.${hint}`)}
      </span>
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
        {phase === 'sending' && !!queuePlace && <Alert type="info" showIcon title={t('capture.queued', { n: queuePlace })} description={t('capture.queuedNote')} data-testid="face-queue-notice" />}
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
            {phase === 'capturing'
              ? t('capture.capturing')
              : phase === 'sending'
                ? queuePlace
                  ? t('capture.queuedButton', { n: queuePlace })
                  : t('capture.sending')
                : failed
                  ? t('capture.retry')
                  : t('capture.start')}
          </Button>
          {manualButton}
        </Space>
      </Space>
    </div>
  );
}
