// The verdict of one practice attempt (试测成功 or what failed): pure, so each rule has a table row.
// 试测成功 only when every required stream arrived complete and the device check passed.
import type { CompletenessReport, DeviceCheck, PracticeProblem, PracticeStream, PracticeVerdict, Stream } from '@invigil/contracts';

export interface RecordingFacts {
  id: string;
  stream: Stream;
  status: string; // uploading | verified (every segment stored, assembly pending) | complete | partial | missing
  report: CompletenessReport | null;
  assembled: boolean;
}

export interface AttemptFacts {
  status: string;
  enteredAt: number | null;
  proofRequired: boolean;
  deviceCheck: DeviceCheck | null;
  recordings: RecordingFacts[];
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Seconds lost: the interruptions between runs. Every segment of a 'complete' recording arrived hash-verified, so
 * nothing else is missing; the file's own duration is no measure (a still screen yields few frames, measured
 * here: 3 s of file for 19 s recorded).
 */
export function missingSeconds(r: CompletenessReport): number {
  return round1(r.gapSeconds);
}

export function streamOf(stream: Stream, required: boolean, rec: RecordingFacts | undefined): PracticeStream {
  if (!rec || rec.status === 'missing') return { stream, required, recordingId: rec?.id ?? null, state: 'missing', seconds: 0, missingSeconds: 0, playable: false };
  if (rec.status === 'uploading' || !rec.report) return { stream, required, recordingId: rec.id, state: 'uploading', seconds: 0, missingSeconds: 0, playable: false };
  const missing = missingSeconds(rec.report);
  // Under a second between runs is a recorder restart, not a loss the candidate could notice.
  const complete = rec.status === 'complete' && missing < 1;
  return {
    stream,
    required,
    recordingId: rec.id,
    state: complete ? 'complete' : 'incomplete',
    seconds: round1(rec.report.secondsRecorded),
    missingSeconds: complete ? 0 : missing,
    playable: rec.assembled,
  };
}

export function practiceStreams(a: AttemptFacts): PracticeStream[] {
  const streams: Stream[] = ['camera', 'screen', 'phone'];
  return streams.map((s) =>
    streamOf(
      s,
      s !== 'phone' || a.proofRequired,
      a.recordings.find((r) => r.stream === s),
    ),
  );
}

export function practiceVerdict(a: AttemptFacts): PracticeVerdict {
  const problems: PracticeProblem[] = [];
  const d = a.deviceCheck;
  if (!d) problems.push('device-not-checked');
  else {
    if (d.camera !== 'ok') problems.push('camera');
    if (d.microphone !== 'ok') problems.push('microphone');
    if (!d.browser.ok) problems.push('browser');
    if (!d.singleMonitor) problems.push('second-monitor');
  }
  if (a.enteredAt === null) problems.push('not-entered');
  else if (a.status !== 'ended') problems.push('not-ended');
  let uploading = false;
  for (const s of practiceStreams(a)) {
    if (!s.required) continue;
    if (s.state === 'missing') problems.push(`${s.stream}-stream-missing`);
    else if (s.state === 'incomplete') problems.push(`${s.stream}-stream-incomplete`);
    else if (s.state === 'uploading') uploading = true;
  }
  if (uploading) problems.push('uploading');
  return { success: problems.length === 0, problems };
}
