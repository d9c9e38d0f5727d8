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
  /** Accommodation: seconds added to this candidate's answering time (the end moves, nothing else). */
  extraSec?: number;
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
  return s.startsAt + (s.durationSec + (s.extraSec ?? 0)) * 1000;
}

/** First entry closes at the earliest of the waiting cut-off and the entry cut-off rule. */
export function entryClosesAt(s: TimelineSettings): number {
  const byRule = s.entryCutoff.mode === 'at-start' ? s.startsAt : s.startsAt + s.entryCutoff.minutes * 60_000;
  return s.waitingCutoffAt === null ? byRule : Math.min(byRule, s.waitingCutoffAt);
}

export function phaseAt(s: TimelineSettings, now: number): PhaseInfo {
  const end = endsAt(s);
  const closes = entryClosesAt(s);
  const phase: Phase = now < s.loginOpensAt ? 'not-open' : now < s.entryOpensAt ? 'login-open' : now < s.startsAt ? 'entry-open' : now < end ? 'in-progress' : 'ended';
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
  if (s.waitingCutoffAt !== null && (s.waitingCutoffAt < s.entryOpensAt || s.waitingCutoffAt > s.startsAt)) p.push('waitingCutoffAt must be between entryOpensAt and startsAt');
  if (s.entryCutoff.mode === 'after-start' && !(s.entryCutoff.minutes >= 0 && s.entryCutoff.minutes * 60 < s.durationSec)) p.push('entryCutoff.minutes must be ≥ 0 and shorter than the duration');
  return p;
}

/** A 自助试测 window (seed: 6月21日–22日): inside it a candidate starts practice attempts whenever they like. */
export interface PracticeWindow {
  opensAt: number;
  closesAt: number;
  /** The practice answering time set by the admin (e.g. 3 minutes). */
  durationSec: number;
  /** From 【进入考试】 to the practice question: time for 设备确认 and showing the A4 sheet. */
  leadSec: number;
  extraSec?: number;
}

/**
 * A practice attempt's own timeline, so phaseAt() rules it like any other: it starts `leadSec` after the candidate
 * pressed 【进入考试】 (`enteredAt`) and lasts the practice duration. Before entering, the start is "lead from now"
 * (entry stays open) while the window is open; once the window has closed a practice not yet entered is over.
 */
export function practiceTimeline(w: PracticeWindow, enteredAt: number | null, now: number): TimelineSettings {
  const base = { loginOpensAt: w.opensAt, entryOpensAt: w.opensAt, waitingCutoffAt: null, durationSec: w.durationSec, entryCutoff: { mode: 'at-start' } as const, extraSec: w.extraSec ?? 0 };
  if (enteredAt !== null) return { ...base, entryOpensAt: Math.min(w.opensAt, enteredAt), startsAt: enteredAt + w.leadSec * 1000 };
  if (now >= w.closesAt) {
    // Nothing may start any more: a timeline that ended at the close.
    const startsAt = w.closesAt - (w.durationSec + (w.extraSec ?? 0)) * 1000;
    return { ...base, loginOpensAt: Math.min(w.opensAt, startsAt), entryOpensAt: Math.min(w.opensAt, startsAt), startsAt };
  }
  return { ...base, startsAt: Math.max(now, w.opensAt) + w.leadSec * 1000 };
}
