// The candidate app: login, then the eight seed steps (设备准备 … 结束考试). Which screen shows is derived from
// the server's attempt state (status + timeline) plus what only this browser knows (device check done here,
// media live in this page). The server enforces every gate; this file only decides what to display.
import { useCallback, useEffect, useRef, useState } from 'react';
import { App as AntApp, Button, ConfigProvider, Result, Spin } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AttemptState, SignalType } from '@invigil/contracts';
import './i18n.ts';
import { ACCESSIBLE_THEME } from './a11y-theme.ts';
import { ApiError } from '../../api/client.ts';
import { fetchAttempt, logout } from './api.ts';
import { serverNow } from './clock.ts';
import { getPipeline, stopRecording, useExamMedia } from './exam-media.ts';
import { CandidateMonitoring, pipelineBacklog } from '../../monitoring/index.ts';
import { FaceMonitor } from '../../face-monitor/index.ts';
import { fetchMonitorConfig, MONITOR_POST_URL } from '../../face-monitor/api.ts';
import { deviceChecked, markDeviceChecked } from './progress.ts';
import { connectRealtime, disconnectRealtime } from './realtime.ts';
import { setCurrentReporter, SignalReporter } from './signals.ts';
import { Shell, type StepKey } from './components/Shell.tsx';
import { LoginPage } from './steps/LoginPage.tsx';
import { DeviceCheckStep } from './steps/DeviceCheckStep.tsx';
import { FaceLoginStep } from './steps/FaceLoginStep.tsx';
import { ProofBindingStep } from './steps/ProofBindingStep.tsx';
import { DocumentsStep } from './steps/DocumentsStep.tsx';
import { EnterExamStep } from './steps/EnterExamStep.tsx';
import { DeviceConfirmStep } from './steps/DeviceConfirmStep.tsx';
import { ResumePanel } from './steps/ResumePanel.tsx';
import { ExamRoom } from './steps/ExamRoom.tsx';
import { UploadPage } from './steps/UploadPage.tsx';
import { TakenOverPage } from './steps/TakenOverPage.tsx';
import { ScreenLostBanner } from './steps/ScreenLostBanner.tsx';
import { RecordingStatus } from './steps/RecordingStatus.tsx';
import { PracticeReview } from './practice/PracticeReview.tsx';
import { SelfTestBadge } from './practice/SelfTestBadge.tsx';
import { SkipProofInPractice } from './practice/SkipProofInPractice.tsx';

const IN_EXAM = ['entered', 'waiting', 'answering'];
// Signals the candidate is told about (calmly); the others (back to the page, focus regained) need no message.
const TOLD: SignalType[] = [
  'page-hidden',
  'window-blur',
  'fullscreen-exit',
  'second-monitor',
  'screen-share-stopped',
  'key-printscreen',
  'key-copy',
  'key-paste',
  'connection-lost',
  'connection-restored',
  'camera-lost',
  'microphone-lost',
];

const loggedOut = (e: unknown) => e instanceof ApiError && e.status === 401;

// antd would print two-character Chinese button words as "已 阅"; the seed's words must read exactly as printed.
export default function CandidateApp() {
  return (
    <ConfigProvider button={{ autoInsertSpace: false }} theme={ACCESSIBLE_THEME}>
      <CandidateJourney />
    </ConfigProvider>
  );
}

function CandidateJourney() {
  const { t } = useTranslation('candidate');
  const qc = useQueryClient();
  const [takenOver, setTakenOver] = useState(false);
  const attemptQ = useQuery({
    queryKey: ['attempt'],
    queryFn: fetchAttempt,
    retry: (n, e) => !(e instanceof ApiError && e.status === 401) && n < 3,
    // Logged out, a refetch would put the query back into its pending state (no data yet), unmount the login
    // form and throw away what the candidate is typing; the login itself resets the query.
    refetchInterval: (q) => (loggedOut(q.state.error) ? false : 15_000),
    refetchOnWindowFocus: (q) => !loggedOut(q.state.error),
    refetchOnReconnect: (q) => !loggedOut(q.state.error),
  });
  const attempt = attemptQ.data;
  const unauthenticated = loggedOut(attemptQ.error);

  const onTakenOver = useCallback(() => {
    setTakenOver(true);
    void stopRecording().catch(() => undefined);
    disconnectRealtime();
  }, []);
  useReporter(attempt && !unauthenticated && !takenOver ? attempt : null, onTakenOver);

  if (takenOver)
    return (
      <Shell current={-1}>
        <TakenOverPage />
      </Shell>
    );
  if (unauthenticated)
    return (
      <Shell current={-1}>
        <LoginPage onLoggedIn={() => void qc.resetQueries({ queryKey: ['attempt'] })} />
      </Shell>
    );
  if (!attempt)
    return (
      <Shell current={-1}>
        {attemptQ.isError ? (
          <Result status="error" title={(attemptQ.error as Error).message} extra={<Button onClick={() => void attemptQ.refetch()}>{t('common.confirm', { ns: 'translation' })}</Button>} />
        ) : (
          <Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />
        )}
      </Shell>
    );
  // Keyed by attempt: 【再次试测】 starts a new practice attempt, which starts the journey afresh.
  return <Journey key={attempt.attemptId} attempt={attempt} />;
}

/** Heartbeat from login, browser signals from entering, realtime pushes → refetch. One per logged-in attempt. */
function useReporter(attempt: AttemptState | null, onTakenOver: () => void) {
  const { t } = useTranslation('candidate');
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const reporter = useRef<SignalReporter | null>(null);
  const lastTold = useRef(0);
  const attemptId = attempt?.attemptId ?? null;
  const status = attempt?.status ?? null;
  const statusRef = useRef(status);
  statusRef.current = status;

  useEffect(() => {
    if (!attemptId) return;
    const r = new SignalReporter(attemptId, {
      onSignal: (type) => {
        // Switching away fires blur and hidden together: one message is enough.
        if (!TOLD.includes(type) || Date.now() - lastTold.current < 1500) return;
        lastTold.current = Date.now();
        if (type === 'connection-restored') message.success(t(`signals.${type}`));
        else message.warning(t(`signals.${type}`), 5);
      },
      onStatus: (s) => {
        if (s !== statusRef.current) void qc.invalidateQueries({ queryKey: ['attempt'] });
      },
      onTakenOver,
    });
    reporter.current = r;
    setCurrentReporter(r);
    r.start();
    // This reporter replaces one that may have been watching (it is rebuilt when the language changes, for its
    // messages): a candidate in the exam must stay watched — switching language once stopped every page signal.
    if (statusRef.current && IN_EXAM.includes(statusRef.current)) r.watch();
    const socket = connectRealtime();
    const changed = () => void qc.invalidateQueries({ queryKey: ['attempt'] });
    socket.on('attempt:changed', changed);
    return () => {
      socket.off('attempt:changed', changed);
      r.stop();
      setCurrentReporter(null);
      reporter.current = null;
    };
  }, [attemptId, qc, message, t, onTakenOver]);

  useEffect(() => {
    if (status && IN_EXAM.includes(status)) reporter.current?.watch();
    else reporter.current?.unwatch();
  }, [status, attemptId]);
}

function Journey({ attempt }: { attempt: AttemptState }) {
  const { t } = useTranslation('candidate');
  const qc = useQueryClient();
  const media = useExamMedia();
  const [deviceDone, setDeviceDone] = useState(() => deviceChecked(attempt.attemptId));
  const [docsDone, setDocsDone] = useState(attempt.allDocumentsRead);
  // Face login and proof binding report success here once their engineers wire them (see the seam components).
  const [faceDone, setFaceDone] = useState(false);
  const [proofDone, setProofDone] = useState(false);
  const [endedHere, setEndedHere] = useState(false);
  const update = (s: AttemptState) => qc.setQueryData(['attempt'], s);
  const refetch = () => qc.refetchQueries({ queryKey: ['attempt'] });

  const s = attempt.session;
  const practice = s.kind === 'mock-self';
  const skipped: StepKey[] = [...(s.faceRequired ? [] : ['face' as const]), ...(s.proofRequired ? [] : ['proof' as const])];
  const inExam = IN_EXAM.includes(attempt.status);
  const ended = attempt.status === 'ended' || endedHere || (inExam && serverNow() >= attempt.timeline.endsAt);

  let current: number;
  let body: React.ReactNode;
  if (ended) {
    current = 7;
    body = practice ? (
      <>
        <UploadPage attempt={attempt} />
        <PracticeReview />
      </>
    ) : (
      <UploadPage attempt={attempt} />
    );
  } else if (inExam && !media.recording) {
    current = attempt.status === 'entered' ? 5 : 6;
    body = <ResumePanel attempt={attempt} onResumed={update} />;
  } else if (attempt.status === 'entered') {
    current = 5;
    body = <DeviceConfirmStep onReady={update} />;
  } else if (inExam) {
    current = 6;
    body = (
      <ExamRoom
        attempt={attempt}
        onEnded={(next) => {
          setEndedHere(true);
          update(next);
        }}
        onTimeUp={() => {
          setEndedHere(true);
          void refetch();
        }}
      />
    );
  } else if (!deviceDone) {
    current = 0;
    body = (
      <DeviceCheckStep
        onDone={() => {
          markDeviceChecked(attempt.attemptId);
          setDeviceDone(true);
        }}
      />
    );
  } else if (s.faceRequired && !faceDone) {
    current = 1;
    body = <FaceLoginStep attempt={attempt} onVerified={() => setFaceDone(true)} />;
  } else if (s.proofRequired && !proofDone) {
    current = 2;
    body = (
      <>
        <ProofBindingStep attempt={attempt} onBound={() => setProofDone(true)} />
        {practice && <SkipProofInPractice onSkip={() => setProofDone(true)} />}
      </>
    );
  } else if (!docsDone || !attempt.allDocumentsRead) {
    current = 3;
    body = <DocumentsStep attempt={attempt} onChanged={update} onDone={() => setDocsDone(true)} />;
  } else {
    current = 4;
    body = <EnterExamStep attempt={attempt} onRefresh={refetch} onEntered={update} />;
  }

  const canLogout = !inExam && !ended;
  return (
    <Shell
      current={current}
      skipped={skipped}
      // A proctor ended the exam: 开始答题 was cut short, not done.
      failed={ended && attempt.endReason && attempt.endReason !== 'time-up' && attempt.endReason !== 'candidate' ? 'answer' : undefined}
      who={{ name: attempt.candidate.name, ticket: attempt.candidate.ticket }}
      extra={
        <>
          <SelfTestBadge />
          {canLogout && (
            <Button type="text" onClick={() => void logout().finally(() => window.location.assign('/'))}>
              {t('logout')}
            </Button>
          )}
        </>
      }
    >
      {inExam && !ended && media.recording && <RecordingStatus attempt={attempt} />}
      {inExam && !ended && <ScreenLostBanner />}
      {inExam && !ended && (
        <CandidateMonitoring socket={connectRealtime()} streams={() => ({ camera: media.live?.stream, screen: media.screen })} backlog={() => pipelineBacklog(getPipeline().progress())} />
      )}
      {inExam && !ended && <FaceMonitor camera={() => media.live?.stream} serverNow={serverNow} config={fetchMonitorConfig} postUrl={MONITOR_POST_URL} />}
      {body}
    </Shell>
  );
}
