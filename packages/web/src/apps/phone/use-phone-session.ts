// Everything the bound phone keeps alive while its screens come and go: the camera, the recording, the heartbeat
// (battery, storage, wake lock), the socket that says "another phone replaced you" or "the exam ended", and the
// resume after a reload. Screens only read this and call its actions.
import { useCallback, useEffect, useRef, useState } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PhoneStage, PhoneState } from '@invigil/contracts';
import type { PipelineProgress } from '../../media/types.ts';
import { ApiError } from '../../api/client.ts';
import { fetchPhone, sendHeartbeat, setStage } from './api.ts';
import { battery, freeStorageMb, openFrontCamera, ScreenWakeLock } from './device.ts';
import { phonePipeline, ProofRecorder } from './proof-recorder.ts';
import { connectPhoneSocket } from './realtime.ts';
import { startMonitoring } from '../../monitoring/index.ts';
import type { DeviceInfo } from './components/DeviceBar.tsx';

const RECORDING_STAGES: PhoneStage[] = ['scanning', 'placing', 'recording'];
const sinceKey = (attemptId: string) => `invigil.proof.since.${attemptId}`;

export function usePhoneSession(initial: PhoneState) {
  const { t } = useTranslation('phone');
  const { message } = App.useApp();
  const [state, setStateOnly] = useState(initial);
  // When the last state arrived here: its `now` plus the local time since is the server clock (exam-clock.ts).
  const [receivedAt, setReceivedAt] = useState(() => Date.now());
  const setState = useCallback((next: PhoneState | ((s: PhoneState) => PhoneState)) => {
    setStateOnly(next);
    if (typeof next !== 'function') setReceivedAt(Date.now());
  }, []);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [needsCamera, setNeedsCamera] = useState(false);
  const [progress, setProgress] = useState<PipelineProgress | null>(null);
  const [revoked, setRevoked] = useState(false);
  const [device, setDevice] = useState<DeviceInfo>({ battery: null, storageFreeMb: null, wakeLock: false, online: navigator.onLine });
  const [since, setSince] = useState(() => Number(localStorage.getItem(sinceKey(initial.attemptId))) || Date.now());
  const wakeLock = useRef(new ScreenWakeLock());
  const recorder = useRef<ProofRecorder | null>(null);
  const stageRef = useRef(state.stage);
  stageRef.current = state.stage;

  recorder.current ??= new ProofRecorder(initial.attemptId, {
    onGap: (sec) => message.warning(t('rec.resumed', { sec }), 6),
    onProgress: setProgress,
  });

  const goneElsewhere = useCallback(() => {
    setRevoked(true);
    recorder.current?.abandon();
    wakeLock.current.release();
  }, []);
  const onApiError = useCallback(
    (e: unknown) => {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) goneElsewhere();
    },
    [goneElsewhere],
  );

  /** Camera on and recording (a new run). Used at the start of the scan and to resume after a reload. */
  const record = useCallback(
    async (s: MediaStream) => {
      setStream(s);
      setNeedsCamera(false);
      await recorder.current!.start(s);
      if (!localStorage.getItem(sinceKey(initial.attemptId))) {
        localStorage.setItem(sinceKey(initial.attemptId), String(Date.now()));
        setSince(Date.now());
      }
      void wakeLock.current.keep().then((held) => setDevice((d) => ({ ...d, wakeLock: held })));
    },
    [initial.attemptId],
  );

  // Reloaded while recording: record again at once, without waiting for a tap (the permission is already given).
  useEffect(() => {
    if (RECORDING_STAGES.includes(initial.stage)) openFrontCamera().then(record, () => setNeedsCamera(true));
    else if (initial.stage === 'stopped')
      void phonePipeline()
        .resumeUploads(initial.attemptId)
        .then(() => phonePipeline().subscribe(setProgress));
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  // Heartbeat: alive, recording, battery, storage, wake lock. Also re-sends interruptions kept while offline.
  useEffect(() => {
    let stop = false;
    const beat = async () => {
      const [b, mb] = await Promise.all([battery(), freeStorageMb()]);
      const held = wakeLock.current.held;
      setDevice((d) => ({ ...d, battery: b, storageFreeMb: mb, wakeLock: held }));
      const rec = recorder.current!;
      const recording =
        rec.recording &&
        !!phonePipeline()
          .progress()
          .streams.find((s) => s.stream === 'phone')?.recording;
      try {
        const next = await sendHeartbeat({ recording, battery: b, storageFreeMb: mb, wakeLock: held });
        if (!stop) setState(next);
        await rec.flushGaps();
      } catch (e) {
        onApiError(e);
      }
    };
    void beat();
    const id = setInterval(() => void beat(), state.settings.heartbeatSec * 1000);
    return () => {
      stop = true;
      clearInterval(id);
    };
  }, [state.settings.heartbeatSec, onApiError, setState]);

  useEffect(() => {
    const socket = connectPhoneSocket();
    socket.on('proof:status', (s) => {
      if (s.phoneId && s.phoneId !== initial.phoneId) goneElsewhere();
    });
    socket.on('attempt:changed', () => void fetchPhone().then(setState, onApiError));
    // Proctors may open the proof camera live; the phone only answers (no thumbnails), with whatever it records.
    const stopMonitoring = startMonitoring({ socket, device: 'phone', streams: () => ({ phone: recorder.current?.mediaStream ?? null }) });
    // Cut off by the server: either a newer phone took over (→ 401) or the server restarted (→ reconnects).
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') void fetchPhone().then(() => socket.connect(), onApiError);
    });
    const online = () => setDevice((d) => ({ ...d, online: navigator.onLine }));
    window.addEventListener('online', online);
    window.addEventListener('offline', online);
    return () => {
      stopMonitoring();
      socket.disconnect();
      window.removeEventListener('online', online);
      window.removeEventListener('offline', online);
    };
  }, [initial.phoneId, goneElsewhere, onApiError, setState]);

  const move = useCallback(
    async (stage: Exclude<PhoneStage, 'bound'>, roomScan?: { startedAt: number; endedAt: number; degrees: number | null }) => {
      try {
        setState(await setStage(stage, roomScan));
      } catch (e) {
        onApiError(e);
        message.error(e instanceof Error ? e.message : String(e));
        throw e;
      }
    },
    [message, onApiError, setState],
  );

  const stopRecording = useCallback(async () => {
    await recorder.current!.stop();
    wakeLock.current.release();
    setStream(null);
    // The stop is recorded locally first; the server hears it as soon as the network allows.
    setState((s) => ({ ...s, stage: 'stopped' }));
    for (let i = 0; i < 100; i++) {
      try {
        setState(await setStage('stopped'));
        return;
      } catch (e) {
        if (e instanceof ApiError && e.status !== 0) return onApiError(e);
        await new Promise((r) => setTimeout(r, 5000));
      }
    }
  }, [onApiError, setState]);

  return {
    state,
    receivedAt,
    stream,
    needsCamera,
    progress,
    revoked,
    device,
    since,
    recording: !!stream && (progress?.streams.find((s) => s.stream === 'phone')?.recording ?? false),
    record,
    move,
    stopRecording,
    /** The camera is on (preview) but not recording yet: before 开始环拍. */
    setPreview: (m: MediaStream) => {
      setStream(m);
      setNeedsCamera(false);
    },
    resume: () => void openFrontCamera().then(record, () => setNeedsCamera(true)),
  };
}
