// What a push changes on the proctor's screen, applied to the data already shown (the React Query caches of the
// grid, the flag feed, the warnings and the 求助 messages) instead of refetching it. A refetch after each push,
// debounced by 1 s, put a tab switch on the proctor's screen 2.2–5.7 s late and refetched 500 flags per push;
// now a push is on screen in the next frame, and REST only reconciles (after a reconnect, and on a slow poll).
// Pure functions of (what is shown, what was pushed) → what to show: tested in packages/web/test/proctor-live.test.ts.
import { replaceEqualDeep } from '@tanstack/react-query';
import {
  eventTypeOf,
  FLAG_FEED_LIMIT,
  phaseOf,
  SEVERITY,
  worse,
  type AttemptStatus,
  type Flag,
  type HelpMessage,
  type MonitorTile,
  type ProofStatus,
  type SessionMonitor,
  type Warning,
} from '@invigil/contracts';

/** The 'attempt:signal' push (contracts/realtime.ts). */
export interface SignalPush {
  attemptId: string;
  id?: string;
  type: string;
  at: number;
  data: unknown;
  /** The attempt's review priority after this event (issue #19). */
  priority?: number;
  /** The server already holds the flag's evidence frame (the in-exam monitor sends it with the batch). */
  evidence?: boolean;
}

/** A flag id made up in the browser when the push carried none: it cannot be reviewed until REST reconciles it. */
export const isProvisional = (f: Pick<Flag, 'id'>) => f.id.startsWith('live:');

/** Flags made from a push in this page (not from REST), so a refetch that raced them does not drop them. */
const pushed = new WeakSet<Flag>();

/** The flag a signal raises, as the feed lists it; null for info events (page-visible, …) that are no flag. */
export function flagFromSignal(p: SignalPush, tile: Pick<MonitorTile, 'candidateName' | 'ticket'> | undefined, receivedAt: number): Flag | null {
  const type = eventTypeOf(p.type);
  if (!type || SEVERITY[type] === 'info') return null;
  const f: Flag = {
    id: p.id ?? `live:${p.attemptId}:${p.type}:${p.at}`,
    attemptId: p.attemptId,
    candidateName: tile?.candidateName ?? '',
    ticket: tile?.ticket ?? '',
    at: p.at,
    receivedAt,
    type,
    severity: SEVERITY[type],
    data: p.data,
    // A signal's frame is taken after the flag (the next reconcile shows it); a monitor flag arrives with its frame.
    evidence: p.evidence === true,
    review: null,
  };
  pushed.add(f);
  return f;
}

const sameFlag = (a: Flag, b: Flag) => a.id === b.id || (a.attemptId === b.attemptId && a.type === b.type && a.at === b.at);

/**
 * The feed as REST answered a request sent at `askedAt`, plus the flags pushed since that the answer may predate
 * (the query ran before their insert): without them a poll could hide a flag the proctor just saw appear.
 */
export function reconcileFlags(fresh: Flag[], shown: Flag[] | undefined, askedAt: number): Flag[] {
  const late = (shown ?? []).filter((f) => pushed.has(f) && f.receivedAt >= askedAt && !fresh.some((x) => sameFlag(x, f)));
  return late.length ? [...late, ...fresh] : fresh;
}

/**
 * The feed with new flags on top (newest first, as GET /flags answers), `arrived` in the order they were pushed;
 * a flag already listed, or pushed twice, is kept once. Bounded like REST's answer (FLAG_FEED_LIMIT): the feed of a
 * long exam does not grow without end, and the oldest fall off. The same list when nothing is new.
 */
export function addFlags(list: Flag[] | undefined, arrived: readonly Flag[], limit = FLAG_FEED_LIMIT): Flag[] | undefined {
  if (!list) return list; // not loaded yet: the first fetch will include them
  const fresh: Flag[] = [];
  for (const f of arrived) if (!fresh.some((x) => sameFlag(x, f)) && !list.some((x) => sameFlag(x, f))) fresh.push(f);
  if (!fresh.length) return list;
  const next = [...fresh.reverse(), ...list];
  return next.length > limit ? next.slice(0, limit) : next;
}

export const addFlag = (list: Flag[] | undefined, f: Flag) => addFlags(list, [f]);

/**
 * The flags query's structural sharing, by flag id. React Query's default (replaceEqualDeep) pairs two lists index by
 * index: with a flag on top, every flag was compared with its older neighbour and came out a new object, so every
 * memoized row of the feed rendered again on each push (with REST's refetch, each a new object too). Here a flag
 * equal to the one shown keeps that object; the same list when nothing changed.
 */
export function shareFlags(prev: unknown, next: unknown): unknown {
  if (!Array.isArray(prev) || !Array.isArray(next)) return next;
  const shown = new Map((prev as Flag[]).map((f) => [f.id, f]));
  const shared = (next as Flag[]).map((f) => {
    const old = shown.get(f.id);
    return old ? replaceEqualDeep(old, f) : f;
  });
  return shared.length === prev.length && shared.every((f, i) => f === prev[i]) ? prev : shared;
}

/** A reviewed flag (by this proctor or another of the room) replaces its old version. */
export function replaceFlag(list: Flag[] | undefined, f: Flag): Flag[] | undefined {
  if (!list) return list;
  const i = list.findIndex((x) => x.id === f.id);
  if (i < 0) return addFlag(list, f);
  const next = [...list];
  next[i] = f;
  return next;
}

function withTile(m: SessionMonitor | undefined, attemptId: string, change: (t: MonitorTile) => MonitorTile): SessionMonitor | undefined {
  if (!m) return m;
  const i = m.tiles.findIndex((t) => t.attemptId === attemptId);
  if (i < 0) return m;
  const next = change(m.tiles[i]!);
  if (next === m.tiles[i]) return m;
  const tiles = [...m.tiles];
  tiles[i] = next; // only this tile object changes: the other memoized tiles do not re-render
  return { ...m, tiles };
}

export function tileOf(m: SessionMonitor | undefined, attemptId: string): MonitorTile | undefined {
  return m?.tiles.find((t) => t.attemptId === attemptId);
}

/** A new open flag counts on its tile (total, open, worst, last) — the grid's order follows from these. */
/** A new flag on the tile; `priority` is the attempt's review priority the push carried (issue #19). */
export const tileWithFlag = (m: SessionMonitor | undefined, f: Flag, priority?: number) =>
  withTile(m, f.attemptId, (t) => ({
    ...t,
    priority: priority ?? t.priority,
    flags: { total: t.flags.total + 1, open: t.flags.open + 1, worst: worse(t.flags.worst, f.severity), lastAt: Math.max(t.flags.lastAt ?? 0, f.at) },
  }));

/** A pushed signal and when this page received it (it may be applied a frame later, with others). */
export interface ReceivedSignal {
  push: SignalPush;
  receivedAt: number;
}

/**
 * Signals pushed together (those of one animation frame): the feed and the grid as they are after all of them, so a
 * burst costs one render. A signal of an attempt without a tile here is another session's (the staff socket may
 * still be in rooms watched earlier) and is left out; a flag already in the feed does not count again on its tile.
 */
export function withSignals(feed: Flag[] | undefined, m: SessionMonitor | undefined, signals: readonly ReceivedSignal[]): { feed: Flag[] | undefined; monitor: SessionMonitor | undefined } {
  const raised: Array<{ flag: Flag; priority?: number }> = [];
  for (const { push, receivedAt } of signals) {
    const tile = tileOf(m, push.attemptId);
    const flag = tile && flagFromSignal(push, tile, receivedAt);
    if (flag) raised.push({ flag, priority: push.priority });
  }
  const next = addFlags(
    feed,
    raised.map((x) => x.flag),
  );
  if (next === feed) return { feed, monitor: m };
  const listed = new Set(next);
  let monitor = m;
  for (const { flag, priority } of raised) if (listed.has(flag)) monitor = tileWithFlag(monitor, flag, priority);
  return { feed: next, monitor };
}

/**
 * A review changes the tile's counts: a dismissed flag no longer counts, a reviewed one is no longer open, and the
 * worst open severity is taken again from the feed. `before` is the flag as the feed showed it (if it was not
 * shown, only REST knows the counts: the tile is left to the next reconcile).
 */
export function tileWithReview(m: SessionMonitor | undefined, before: Flag | undefined, after: Flag, feed: Flag[]): SessionMonitor | undefined {
  if (!before || before.review?.decision === after.review?.decision) return m;
  const counts = (f: Flag) => ({ total: f.review?.decision === 'dismissed' ? 0 : 1, open: f.review ? 0 : 1 });
  const [b, a] = [counts(before), counts(after)];
  const open = feed.filter((f) => f.attemptId === after.attemptId && !f.review);
  const worst = open.reduce<Flag['severity'] | null>((w, f) => worse(w, f.severity), null);
  return withTile(m, after.attemptId, (t) => ({ ...t, flags: { ...t.flags, total: Math.max(0, t.flags.total - b.total + a.total), open: Math.max(0, t.flags.open - b.open + a.open), worst } }));
}

/** 'attempt:changed': the tile's status and phase (已登录 → 待考 → 答题中 → 已结束); 'face-manual' (a manual face decision) is no status. */
export function tileWithStatus(m: SessionMonitor | undefined, p: { attemptId: string; status: AttemptStatus | 'face-manual'; reason?: string }) {
  const status = p.status;
  if (status === 'face-manual') return m;
  return withTile(m, p.attemptId, (t) =>
    t.status === status && (p.reason === undefined || t.endReason === p.reason) ? t : { ...t, status, phase: phaseOf(status), endReason: p.reason ?? t.endReason },
  );
}

/** A candidate's 求助 message marks the tile unanswered; a staff answer clears it. */
export const tileWithHelp = (m: SessionMonitor | undefined, msg: Pick<HelpMessage, 'attemptId' | 'from'>) =>
  withTile(m, msg.attemptId, (t) => (t.helpUnanswered === (msg.from === 'candidate') ? t : { ...t, helpUnanswered: msg.from === 'candidate' }));

export const tileWithProof = (m: SessionMonitor | undefined, s: Pick<ProofStatus, 'attemptId' | 'connection'>) =>
  withTile(m, s.attemptId, (t) => (t.proof === s.connection ? t : { ...t, proof: s.connection }));

/** 'warning:changed': a new warning, or one the candidate acknowledged (same id). Oldest first, as REST lists them. */
export function upsertWarning(list: Warning[] | undefined, w: Warning): Warning[] | undefined {
  if (!list) return list;
  const i = list.findIndex((x) => x.id === w.id);
  if (i < 0) return [...list, w];
  const next = [...list];
  next[i] = w;
  return next;
}

/** A 求助 thread as the inbox lists it (newest message first). */
export interface ThreadRow {
  attemptId: string;
  lastAt: number;
  lastBody: string;
  unanswered: boolean;
}

/** The inbox with a new message: its thread moves to the top with the message; null if the thread is not listed. */
export function threadsWithMessage<T extends ThreadRow>(list: T[], m: Pick<HelpMessage, 'attemptId' | 'at' | 'body' | 'from'>): T[] | null {
  const th = list.find((x) => x.attemptId === m.attemptId);
  if (!th) return null;
  if (th.lastAt > m.at) return list; // an older message arriving late changes nothing shown
  return [{ ...th, lastAt: m.at, lastBody: m.body, unanswered: m.from === 'candidate' }, ...list.filter((x) => x !== th)];
}
