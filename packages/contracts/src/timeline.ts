// The session timeline: the one place that says what is allowed at a moment.
// Pure: (settings, now) → phase and allowed actions. The server enforces it; clients only display it.

export type EntryCutoff = { mode: 'at-start' } | { mode: 'after-start'; minutes: number };

export interface TimelineSettings {
  loginOpensAt: number; // epoch ms
  entryOpensAt: number; // 【进入考试】 becomes active
  waitingCutoffAt: number | null; // after it, candidates not yet in are refused (seed: 08:30)
  startsAt: number;
  durationSec: number;
  entryCutoff: EntryCutoff;
}

export type Phase = 'not-open' | 'login-open' | 'entry-open' | 'in-progress' | 'ended';

export interface PhaseInfo {
  phase: Phase;
  /** A candidate may log in (or log back in to resume). */
  canLogin: boolean;
  /** A candidate who has not entered yet may press 【进入考试】. */
  canEnter: boolean;
  /** The question may be sent to a candidate who has entered. */
  questionReleased: boolean;
  endsAt: number;
  entryClosesAt: number;
  /** Next instant at which anything above changes, for countdowns and timers; null when ended. */
  nextChangeAt: number | null;
}

export const DEFAULT_ENTRY_LEAD_MS = 15 * 60_000;

export function endsAt(s: TimelineSettings): number {
  return s.startsAt + s.durationSec * 1000;
}

/** First entry closes at the earliest of the waiting cut-off and the entry cut-off rule. */
export function entryClosesAt(s: TimelineSettings): number {
  const byRule = s.entryCutoff.mode === 'at-start' ? s.startsAt : s.startsAt + s.entryCutoff.minutes * 60_000;
  return s.waitingCutoffAt === null ? byRule : Math.min(byRule, s.waitingCutoffAt);
}

export function phaseAt(s: TimelineSettings, now: number): PhaseInfo {
  const end = endsAt(s);
  const closes = entryClosesAt(s);
  const phase: Phase =
    now < s.loginOpensAt ? 'not-open' : now < s.entryOpensAt ? 'login-open' : now < s.startsAt ? 'entry-open' : now < end ? 'in-progress' : 'ended';
  const canLogin = now >= s.loginOpensAt && now < end;
  const canEnter = now >= s.entryOpensAt && now < closes && now < end;
  const questionReleased = now >= s.startsAt && now < end;
  const boundaries = [s.loginOpensAt, s.entryOpensAt, closes, s.startsAt, end].filter((t) => t > now);
  return {
    phase,
    canLogin,
    canEnter,
    questionReleased,
    endsAt: end,
    entryClosesAt: closes,
    nextChangeAt: boundaries.length ? Math.min(...boundaries) : null,
  };
}

/** Problems with a timeline, in the order a person would fix them; empty when valid. */
export function timelineProblems(s: TimelineSettings): string[] {
  const p: string[] = [];
  if (!(s.durationSec > 0)) p.push('durationSec must be > 0');
  if (s.loginOpensAt > s.entryOpensAt) p.push('loginOpensAt must not be after entryOpensAt');
  if (s.entryOpensAt > s.startsAt) p.push('entryOpensAt must not be after startsAt');
  if (s.waitingCutoffAt !== null && (s.waitingCutoffAt < s.entryOpensAt || s.waitingCutoffAt > s.startsAt))
    p.push('waitingCutoffAt must be between entryOpensAt and startsAt');
  if (s.entryCutoff.mode === 'after-start' && !(s.entryCutoff.minutes >= 0 && s.entryCutoff.minutes * 60 < s.durationSec))
    p.push('entryCutoff.minutes must be ≥ 0 and shorter than the duration');
  return p;
}
