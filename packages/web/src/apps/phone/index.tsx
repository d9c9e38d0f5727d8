// The phone proof-camera page (手机佐证端), opened by scanning the desktop's QR code (/m/b/CODE) or typing the
// bind code on /m. Then: consent → camera → 360° room scan → placing at 45° → continuous recording → stop by
// hand → upload. The server's stage decides the screen, so a reload lands where the phone was.
import { useEffect, useRef, useState } from 'react';
import { Button, ConfigProvider, Result, Spin } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { PhoneState } from '@invigil/contracts';
import './i18n.ts';
import { ACCESSIBLE_THEME } from '../candidate/a11y-theme.ts';
import { ApiError } from '../../api/client.ts';
import { bind, fetchPhone } from './api.ts';
import { usePhoneSession } from './use-phone-session.ts';
import { PhoneShell, Section } from './components/PhoneShell.tsx';
import { BindScreen } from './screens/BindScreen.tsx';
import { ConsentScreen } from './screens/ConsentScreen.tsx';
import { CameraScreen } from './screens/CameraScreen.tsx';
import { ScanScreen } from './screens/ScanScreen.tsx';
import { PlaceScreen } from './screens/PlaceScreen.tsx';
import { RecordingScreen } from './screens/RecordingScreen.tsx';
import { StoppedScreen } from './screens/StoppedScreen.tsx';
import { RevokedScreen } from './screens/RevokedScreen.tsx';

export default function PhoneApp() {
  return (
    <ConfigProvider theme={ACCESSIBLE_THEME}>
      <PhoneShell>
        <Routes>
          <Route path="b/:code" element={<BindFromLink />} />
          <Route path="*" element={<Home />} />
        </Routes>
      </PhoneShell>
    </ConfigProvider>
  );
}

const spinner = <Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />;

function Home() {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['phone'], queryFn: fetchPhone, retry: (n, e) => !(e instanceof ApiError && e.status < 500 && e.status > 0) && n < 3 });
  if (q.isPending) return spinner;
  if (q.error instanceof ApiError && (q.error.status === 401 || q.error.status === 403)) return <BindScreen onBound={(s) => qc.setQueryData(['phone'], s)} />;
  if (q.isError) return <Result status="error" title={(q.error as Error).message} extra={<Button onClick={() => void q.refetch()}>OK</Button>} />;
  return <Flow key={q.data.phoneId} initial={q.data} />;
}

/** Opened from the QR code: bind with the code in the URL, then continue on /m so a reload does not re-bind. */
function BindFromLink() {
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [error, setError] = useState<ApiError | null>(null);
  const tried = useRef(false);
  useEffect(() => {
    if (tried.current) return;
    tried.current = true;
    const done = (s: PhoneState) => {
      qc.setQueryData(['phone'], s);
      navigate('/m', { replace: true });
    };
    bind(code).then(done, async (e: ApiError) => {
      // The same phone opening the same QR code again (a reload of this URL) is already bound: carry on.
      if (e.code === 'BIND_CODE_USED') {
        const mine = await fetchPhone().catch(() => null);
        if (mine) return done(mine);
      }
      setError(e);
    });
  }, [code, navigate, qc]);
  if (!error) return spinner;
  return (
    <BindScreen
      initialError={error}
      onBound={(s) => {
        qc.setQueryData(['phone'], s);
        navigate('/m', { replace: true });
      }}
    />
  );
}

function Flow({ initial }: { initial: PhoneState }) {
  const { t } = useTranslation('phone');
  const s = usePhoneSession(initial);
  const [busy, setBusy] = useState(false);
  const act = (fn: () => Promise<unknown>) => async () => {
    setBusy(true);
    try {
      await fn();
    } catch {
      // usePhoneSession already told the person what went wrong
    } finally {
      setBusy(false);
    }
  };
  if (s.revoked) return <RevokedScreen />;
  const who = (
    <Section>
      <div style={{ fontSize: 13, color: '#555' }} data-testid="phone-who">
        {t('who.exam')}：{s.state.examName} · {s.state.sessionName}
        <br />
        {t('who.candidate')}：{s.state.candidate.name}（{t('who.ticket', { tail: s.state.candidate.ticketTail })}）
      </div>
    </Section>
  );
  const stage = s.state.stage;
  let body: React.ReactNode;
  if (stage === 'bound') body = <ConsentScreen busy={busy} onAgree={act(() => s.move('consented'))} />;
  else if (stage === 'stopped') body = <StoppedScreen state={s.state} progress={s.progress} online={s.device.online} />;
  else if (s.needsCamera || (stage === 'consented' && !s.stream))
    body = <CameraScreen resuming={stage !== 'consented'} onStream={(m) => (stage === 'consented' ? s.setPreview(m) : void s.record(m))} />;
  else if (stage === 'consented' || stage === 'scanning')
    body = (
      <ScanScreen
        stream={s.stream}
        minSec={s.state.settings.roomScanMinSec}
        scanning={stage === 'scanning' && s.recording}
        onStart={async () => {
          await s.record(s.stream!);
          await s.move('scanning');
        }}
        onDone={(r) => s.move('placing', r)}
      />
    );
  else if (stage === 'placing') body = <PlaceScreen stream={s.stream} busy={busy} onPlaced={act(() => s.move('recording'))} />;
  else
    body = (
      <RecordingScreen
        state={s.state}
        receivedAt={s.receivedAt}
        stream={s.stream}
        since={s.since}
        recording={s.recording}
        device={s.device}
        progress={s.progress}
        onStop={s.stopRecording}
        onResume={s.resume}
      />
    );
  return (
    <>
      {stage !== 'recording' && stage !== 'stopped' && who}
      {body}
    </>
  );
}
