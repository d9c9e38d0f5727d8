// Where the exam stands, as the phone shows it: not started yet / 考试进行中 / 考试已结束, with the countdown.
// The server's `now` in the last PhoneState, plus the local time passed since that state arrived, is the server
// clock now. (The time since recording started is a different thing: adding it counted elapsed time twice and
// told a candidate 20 minutes into recording that a 25-minute exam had ended 2.5 minutes after its start.)
import { formatDuration } from '../candidate/clock.ts';

export type PhoneExamPhase = 'before' | 'running' | 'ended';

export interface PhoneExamFacts {
  attemptStatus: string;
  startsAt: number;
  endsAt: number;
  /** Server time when this state was produced. */
  now: number;
}

export interface PhoneExamClock {
  phase: PhoneExamPhase;
  /** The server clock at `localNow`. */
  serverNow: number;
  /** Until the start (phase 'before') or until the end (phase 'running'); 0 once ended. */
  leftMs: number;
}

/** `receivedAt`: local Date.now() when the state arrived; `localNow`: local Date.now() now. */
export function phoneExamClock(s: PhoneExamFacts, receivedAt: number, localNow: number): PhoneExamClock {
  // A local clock that jumped backwards (NTP, sleep) must not move the server clock back before the state itself.
  const serverNow = s.now + Math.max(0, localNow - receivedAt);
  if (s.attemptStatus === 'ended' || serverNow >= s.endsAt) return { phase: 'ended', serverNow, leftMs: 0 };
  if (serverNow < s.startsAt) return { phase: 'before', serverNow, leftMs: s.startsAt - serverNow };
  return { phase: 'running', serverNow, leftMs: s.endsAt - serverNow };
}

/**
 * What a screen reader should hear of a countdown, and when: every minute while more than 5 minutes are left,
 * then every 30 s down to the last minute, then every 10 s. Between those moments the announced text stays the
 * same, so a polite live region does not chatter every second.
 */
export function announcedCountdown(leftMs: number): string {
  const s = Math.max(0, Math.ceil(leftMs / 1000));
  const step = s > 300 ? 60 : s > 60 ? 30 : 10;
  return formatDuration(Math.ceil(s / step) * step * 1000);
}
