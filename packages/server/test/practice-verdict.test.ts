// The self-test verdict, rule by rule: 试测成功 only with every required stream complete and the devices passed.
import { describe, expect, it } from 'vitest';
import type { CompletenessReport, DeviceCheck } from '@invigil/contracts';
import { practiceStreams, practiceVerdict, type AttemptFacts, type RecordingFacts } from '../src/services/practice/verdict.ts';

const device: DeviceCheck = { camera: 'ok', microphone: 'ok', speaker: 'ok', browser: { ok: true, userAgent: 'x' }, singleMonitor: true, storageFreeMb: 9000, uploadKbps: 5000 };
const report = (recorded: number, received: number, gapSeconds = 0): CompletenessReport => ({
  runs: gapSeconds ? 2 : 1,
  segments: 10,
  bytes: 1,
  secondsRecorded: recorded,
  secondsReceived: received,
  gaps: [],
  gapSeconds,
  perRun: [],
  sha256: 'x',
  assembledAt: 1,
});
const rec = (stream: RecordingFacts['stream'], r: CompletenessReport | null = report(180, 179.6), status = 'complete'): RecordingFacts => ({
  id: `r-${stream}`,
  stream,
  status,
  report: r,
  assembled: status === 'complete',
});
const ok: AttemptFacts = { status: 'ended', enteredAt: 1, proofRequired: true, deviceCheck: device, recordings: [rec('camera'), rec('screen'), rec('phone')] };

describe('practiceVerdict', () => {
  it.each<[string, Partial<AttemptFacts>, string[]]>([
    ['everything complete', {}, []],
    ['phone never bound: the proof video is missing', { recordings: [rec('camera'), rec('screen')] }, ['phone-stream-missing']],
    ['no proof camera asked for: a missing phone is fine', { proofRequired: false, recordings: [rec('camera'), rec('screen')] }, []],
    ['proof video 12 s short (an interruption)', { recordings: [rec('camera'), rec('screen'), rec('phone', report(180, 168, 12))] }, ['phone-stream-incomplete']],
    ['screen still uploading', { recordings: [rec('camera'), rec('screen', null, 'uploading'), rec('phone')] }, ['uploading']],
    ['camera denied in the device check', { deviceCheck: { ...device, camera: 'denied' } }, ['camera']],
    ['microphone missing and a second monitor', { deviceCheck: { ...device, microphone: 'not-found', singleMonitor: false } }, ['microphone', 'second-monitor']],
    ['no device check at all', { deviceCheck: null }, ['device-not-checked']],
    ['never entered: nothing recorded', { enteredAt: null, status: 'logged-in', recordings: [] }, ['not-entered', 'camera-stream-missing', 'screen-stream-missing', 'phone-stream-missing']],
  ])('%s', (_name, change, problems) => {
    const v = practiceVerdict({ ...ok, ...change });
    expect(v.problems).toEqual(problems);
    expect(v.success).toBe(problems.length === 0);
  });

  it('a still screen whose file is shorter than recorded is complete: every segment arrived, nothing was interrupted', () => {
    expect(practiceVerdict({ ...ok, recordings: [rec('camera'), rec('screen', report(19, 3)), rec('phone')] }).success).toBe(true);
  });

  it('words the streams in seconds: complete within rounding, the rest missing', () => {
    const s = practiceStreams({ ...ok, recordings: [rec('camera', report(180, 179.6)), rec('phone', report(180, 168, 12))] });
    expect(s.find((x) => x.stream === 'camera')).toMatchObject({ state: 'complete', seconds: 180, missingSeconds: 0, playable: true });
    expect(s.find((x) => x.stream === 'phone')).toMatchObject({ state: 'incomplete', seconds: 180, missingSeconds: 12 });
    expect(s.find((x) => x.stream === 'screen')).toMatchObject({ state: 'missing', playable: false });
  });
});
