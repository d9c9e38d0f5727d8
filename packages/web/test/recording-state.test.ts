// The desktop's offline banner: offline / draining / gone, and the local backlog in MB and minutes.
import { describe, expect, it } from 'vitest';
import type { PipelineProgress, StreamProgress } from '../src/media/types.ts';
import { connectionBanner, localBacklog, uploadRowState } from '../src/apps/candidate/recording-state.ts';

const MB = 1024 * 1024;
const stream = (s: Partial<StreamProgress>): StreamProgress => ({
  stream: 'camera',
  recordingId: 'r',
  recording: true,
  bytesRecorded: 0,
  bytesUploaded: 0,
  bytesWaiting: 0,
  segmentsWaiting: 0,
  state: 'recording',
  ...s,
});
const progress = (online: boolean, streams: StreamProgress[]): PipelineProgress => ({ online, streams, allVerified: false, storageLow: false });

describe('localBacklog', () => {
  it('adds the bytes of every stream and counts minutes by the longest stream', () => {
    const b = localBacklog(progress(false, [stream({ bytesWaiting: 3 * MB, segmentsWaiting: 20 }), stream({ stream: 'screen', bytesWaiting: 1.5 * MB, segmentsWaiting: 18 })]), 3000);
    expect(b).toEqual({ bytes: 4.5 * MB, mb: '4.5', minutes: 1 });
  });
  it('nothing waiting', () => {
    expect(localBacklog(progress(true, []), 3000)).toEqual({ bytes: 0, mb: '0.0', minutes: 0 });
  });
});

describe('connectionBanner', () => {
  const live = [stream({ segmentsWaiting: 1 }), stream({ stream: 'screen', segmentsWaiting: 0 })];
  const backlog = [stream({ segmentsWaiting: 7 }), stream({ stream: 'screen', segmentsWaiting: 6 })];
  it.each<[string, PipelineProgress, boolean, ReturnType<typeof connectionBanner>]>([
    ['browser offline', progress(false, live), false, 'offline'],
    ['online but an upload waits for the network (server unreachable)', progress(true, [stream({ state: 'waiting-network' })]), false, 'offline'],
    ['back online, backlog still uploading', progress(true, backlog), true, 'draining'],
    ['back online, drained to the live chunk', progress(true, live), true, null],
    ['never cut: an ordinary backlog is no banner', progress(true, backlog), false, null],
  ])('%s', (_n, p, cut, want) => {
    expect(connectionBanner(p, cut)).toBe(want);
  });
});

describe('uploadRowState', () => {
  const base = { bytesWaiting: 0, segmentsWaiting: 0, recording: false, bytesUploaded: 5 * MB };
  it.each<[string, Parameters<typeof uploadRowState>[0], ReturnType<typeof uploadRowState>]>([
    ['finalize running', { ...base, state: 'finalizing' }, 'verifying'],
    ['all sent, finalize not yet started (was: 上传中 at 100 %, 待上传 0.0 MB)', { ...base, state: 'uploading' }, 'verifying'],
    ['still sending', { ...base, state: 'uploading', bytesWaiting: MB, segmentsWaiting: 2 }, 'uploading'],
    ['nothing recorded yet', { ...base, state: 'uploading', bytesUploaded: 0 }, 'uploading'],
    ['recording, all acknowledged so far', { ...base, state: 'recording', recording: true }, 'uploading'],
    ['offline', { ...base, state: 'waiting-network' }, 'waiting'],
    ['verified', { ...base, state: 'verified' }, 'success'],
    ['error', { ...base, state: 'error' }, 'error'],
  ])('%s', (_n, s, want) => {
    expect(uploadRowState(s)).toBe(want);
  });
});
