// 二、人脸登录 — shown only when the session requires face login. Which screen shows follows the server's face
// state: consent first (before any capture), then live capture with the server's liveness challenge, or the
// manual path (请求人工核验) after declining or failing; finally "verified", which calls onVerified. The server
// decides every step; a reload lands on the same screen, and an attempt already verified goes straight on.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Space, Spin } from 'antd';
import { IdcardOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AttemptState, FaceState, FaceVerifyResult } from '@invigil/contracts';
import { ApiError } from '../../../api/client.ts';
import '../face/i18n.ts';
import { fetchFaceState, requestManual, sendConsent } from '../face/api.ts';
import { FaceConsentScreen } from '../face/FaceConsentScreen.tsx';
import { FaceCapture } from '../face/FaceCapture.tsx';
import { useFaceCamera } from '../face/FaceCamera.tsx';
import { FacePassed } from '../face/FacePassed.tsx';
import { ManualVerificationWait } from '../face/ManualVerificationWait.tsx';

export interface FaceLoginStepProps {
  attempt: AttemptState;
  onVerified: () => void;
}

/** The server emits no event for a support decision: while one is awaited, ask every 2 s. */
const DECISION_POLL_MS = 2000;

type View = 'consent' | 'capture' | 'declined' | 'pending' | 'passed';

function viewOf(s: FaceState, reconsidering: boolean): View {
  if (s.passed) return 'passed';
  if (s.manual === 'pending') return 'pending';
  if (s.consent === 'none' || (s.consent === 'declined' && reconsidering)) return 'consent';
  return s.consent === 'declined' ? 'declined' : 'capture';
}

/** What support reads next to the request: why this candidate needs a person (staff screens are Chinese-first). */
function manualNote(s: FaceState, declined: boolean): string {
  if (declined || s.consent === 'declined') return '考生未同意人脸识别，请求人工核验';
  if (!s.registered) return '系统中无登记照片，请求人工核验';
  if (s.triesUsed > 0) return `人脸验证 ${s.triesUsed} 次未通过，请求人工核验`;
  return '考生请求人工核验';
}

export function FaceLoginStep({ attempt, onVerified }: FaceLoginStepProps) {
  const { t } = useTranslation('face');
  const qc = useQueryClient();
  const key = ['face', 'me', attempt.attemptId];
  const q = useQuery({
    queryKey: key,
    queryFn: fetchFaceState,
    refetchInterval: (query) => (query.state.data?.manual === 'pending' && !query.state.data.passed ? DECISION_POLL_MS : false),
  });
  const [lastResult, setLastResult] = useState<FaceVerifyResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reconsidering, setReconsidering] = useState(false);
  const verified = useRef(onVerified);
  verified.current = onVerified;
  // Was identity already established when this page first asked (a reload)? Then there is nothing to show.
  const passedOnArrival = useRef<boolean | null>(null);
  const state = q.data;

  useEffect(() => {
    if (!state || passedOnArrival.current !== null) return;
    passedOnArrival.current = state.passed;
    if (state.passed) verified.current();
  }, [state]);

  const view = state ? viewOf(state, reconsidering) : null;
  const camera = useFaceCamera(view === 'capture' || view === 'pending');

  async function run(action: () => Promise<FaceState>) {
    setBusy(true);
    setError(null);
    try {
      qc.setQueryData(key, await action());
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      void q.refetch();
    } finally {
      setBusy(false);
    }
  }
  const consent = (accepted: boolean) =>
    run(async () => {
      const s = await sendConsent(accepted);
      setReconsidering(false);
      return accepted ? s : requestManual(manualNote(s, true));
    });
  const askManual = () => {
    // The last face failure is history once a person is asked; the screen shows the request's fate instead.
    setLastResult(null);
    return run(() => requestManual(manualNote(state!, false)));
  };

  if (!state || view === null || (state.passed && passedOnArrival.current !== false)) {
    return (
      <div data-testid="face-login-step">
        {q.isError ? (
          <Alert type="error" showIcon title={(q.error as Error).message} action={<Button onClick={() => void q.refetch()}>{t('capture.retry')}</Button>} />
        ) : (
          <Spin size="large" style={{ display: 'block', margin: '15vh auto' }} />
        )}
      </div>
    );
  }

  const rejected =
    state.manual === 'rejected' ? (
      <Alert
        type="warning"
        showIcon
        title={t('manual.rejectedTitle')}
        description={
          <>
            <div data-testid="face-manual-rejected-reason">{t('manual.rejected', { reason: state.manualReason ?? '' })}</div>
            <div>{t('manual.rejectedNext')}</div>
          </>
        }
        data-testid="face-manual-rejected"
      />
    ) : null;
  const manualButton = (
    <Button size="large" icon={<IdcardOutlined />} disabled={busy} loading={busy && view !== 'consent'} onClick={() => void askManual()} data-testid="face-manual-request">
      {state.manual === 'rejected' ? t('manual.again') : t('manual.request')}
    </Button>
  );

  let body: React.ReactNode;
  switch (view) {
    case 'passed':
      body = <FacePassed via={state.via} onNext={() => verified.current()} />;
      break;
    case 'pending':
      body = <ManualVerificationWait camera={camera} />;
      break;
    case 'consent':
      body = <FaceConsentScreen busy={busy} onAccept={() => void consent(true)} onDecline={() => void consent(false)} />;
      break;
    case 'declined':
      body = (
        <Card style={{ maxWidth: 720 }} data-testid="face-declined">
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Alert type="info" showIcon title={t('manual.declined')} />
            {rejected}
            <Space wrap>
              {manualButton}
              <Button size="large" onClick={() => setReconsidering(true)} data-testid="face-reconsider">
                {t('manual.tryFace')}
              </Button>
            </Space>
          </Space>
        </Card>
      );
      break;
    case 'capture':
      body = (
        <FaceCapture
          state={state}
          camera={camera}
          lastResult={lastResult}
          onResult={(r) => {
            setLastResult(r);
            // The next try needs a fresh challenge, and the tries left come from the server.
            void q.refetch();
          }}
          onStale={() => void q.refetch()}
          manualButton={manualButton}
          notice={rejected}
        />
      );
      break;
  }
  return (
    <div data-testid="face-login-step" data-view={view}>
      {error && <Alert type="error" showIcon closable title={error} style={{ marginBottom: 12 }} onClose={() => setError(null)} />}
      {body}
    </div>
  );
}
