// What is live during the exam: the camera+mic stream, the screen share and the recording pipeline. Kept
// outside React because it must outlive every screen from 【进入考试】 to "上传成功".
import { useSyncExternalStore } from 'react';
import type { PipelineProgress, RecordingPipeline } from '../../media/types.ts';
import { createRecordingPipeline } from '../../media/pipeline.ts';
import { LiveCamera } from '../../devices/index.ts';
import { watchDeviceLoss, type DeviceLoss } from './device-loss.ts';

interface ExamMedia {
  attemptId: string | null;
  live: LiveCamera | null;
  screen: MediaStream | null;
  recording: boolean;
  /** The screen share ended (candidate pressed "stop sharing"): show a re-share button. */
  screenLost: boolean;
  /** The camera or microphone device went away (the recorded stream goes on, but without its picture/sound). */
  cameraLost: boolean;
  microphoneLost: boolean;
}

let state: ExamMedia = { attemptId: null, live: null, screen: null, recording: false, screenLost: false, cameraLost: false, microphoneLost: false };
let pipeline: RecordingPipeline | null = null;
const listeners = new Set<() => void>();
const set = (patch: Partial<ExamMedia>) => {
  state = { ...state, ...patch };
  listeners.forEach((l) => l());
};

// Module-level subscribe functions: useSyncExternalStore re-subscribes whenever the function identity changes.
const subscribeMedia = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const mediaSnapshot = () => state;

export function useExamMedia(): ExamMedia {
  return useSyncExternalStore(subscribeMedia, mediaSnapshot);
}

export function getPipeline(): RecordingPipeline {
  pipeline ??= createRecordingPipeline();
  return pipeline;
}

let stopWatchingDevices = () => {};

/** Start recording camera+mic and screen for the attempt (after a successful POST /api/attempt/enter, or on resume). */
export async function startRecording(attemptId: string, live: LiveCamera, screen: MediaStream, onScreenEnded: () => void, onDeviceLost: (loss: DeviceLoss) => void): Promise<void> {
  // The devices' own tracks, watched again after each switch in 设备确认 (the recorded ones never end).
  const watch = () => {
    stopWatchingDevices();
    // A switched (or replugged) device starts with a clean slate; the indicator shows what is lost now.
    set({ cameraLost: false, microphoneLost: false });
    stopWatchingDevices = watchDeviceLoss(live.deviceTracks, (loss) => {
      set(loss.type === 'camera-lost' ? { cameraLost: true } : { microphoneLost: true });
      onDeviceLost(loss);
    });
  };
  live.onDevicesChanged = watch;
  watch();
  screen.getVideoTracks()[0]?.addEventListener('ended', () => {
    set({ screenLost: true });
    onScreenEnded();
  });
  set({ attemptId, live, screen, screenLost: false });
  await getPipeline().start(attemptId, { camera: live.stream, screen });
  set({ recording: true });
}

/** A new whole-screen share after the old one ended: the pipeline starts a new run of the screen stream only. */
export async function reshareScreen(screen: MediaStream, onScreenEnded: () => void): Promise<void> {
  if (!state.attemptId) return;
  state.screen?.getTracks().forEach((t) => t.stop());
  screen.getVideoTracks()[0]?.addEventListener('ended', () => {
    set({ screenLost: true });
    onScreenEnded();
  });
  set({ screen, screenLost: false });
  await getPipeline().start(state.attemptId, { screen });
}

/** Stop recording; the pipeline flushes and keeps uploading. Devices are released once the last chunk is written. */
export async function stopRecording(): Promise<void> {
  stopWatchingDevices(); // our own stop below ends the tracks: not a loss
  if (state.recording && pipeline) await pipeline.stop();
  state.live?.close();
  state.screen?.getTracks().forEach((t) => t.stop());
  set({ live: null, screen: null, recording: false, cameraLost: false, microphoneLost: false });
}

export function resumeUploads(attemptId: string): Promise<void> {
  return getPipeline().resumeUploads(attemptId);
}

const EMPTY: PipelineProgress = { streams: [], online: true, allVerified: false, storageLow: false };
let lastProgress: PipelineProgress = EMPTY;

/** Pipeline progress for React; the snapshot is cached because progress() may build a new object each call. */
const subscribeProgress = (l: () => void) =>
  getPipeline().subscribe((next) => {
    lastProgress = next;
    l();
  });
const progressSnapshot = () => lastProgress;

export function usePipelineProgress(): PipelineProgress {
  return useSyncExternalStore(subscribeProgress, progressSnapshot);
}
