// What each push changes on the proctor's screen (apps/proctor/live-updates.ts), without a refetch.
import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import type { Flag, MonitorTile, SessionMonitor, Warning } from '@invigil/contracts';
import { FLAG_FEED_LIMIT } from '@invigil/contracts';
import {
  addFlag,
  addFlags,
  flagFromSignal,
  isProvisional,
  reconcileFlags,
  replaceFlag,
  shareFlags,
  threadsWithMessage,
  tileWithFlag,
  tileWithHelp,
  tileWithProof,
  tileWithReview,
  tileWithStatus,
  upsertWarning,
  withSignals,
  type SignalPush,
} from '../src/apps/proctor/live-updates.ts';

const tile = (attemptId: string, over: Partial<MonitorTile> = {}): MonitorTile => ({
  candidateId: `c-${attemptId}`,
  attemptId,
  candidateName: `考生${attemptId}`,
  ticket: `T${attemptId}`,
  roomId: 'r1',
  roomName: '第1考场',
  status: 'waiting',
  phase: 'waiting',
  endReason: null,
  liveSeenAt: null,
  proof: null,
  flags: { total: 0, open: 0, worst: null, lastAt: null },
  helpUnanswered: false,
  priority: 0,
  ...over,
});
const grid = (...tiles: MonitorTile[]): SessionMonitor => ({ sessionId: 's1', now: 0, tiles });

describe('a pushed signal', () => {
  it('becomes a flag with the id the server gave it, the tile’s name and ticket, and its severity', () => {
    const f = flagFromSignal({ attemptId: 'a1', id: 'ev-1', type: 'page-hidden', at: 1000, data: {} }, tile('a1'), 1200)!;
    expect(f).toMatchObject({
      id: 'ev-1',
      attemptId: 'a1',
      candidateName: '考生a1',
      ticket: 'Ta1',
      type: 'page-hidden',
      severity: 'medium',
      at: 1000,
      receivedAt: 1200,
      review: null,
      evidence: false,
    });
    expect(isProvisional(f)).toBe(false);
  });

  it('a monitor flag whose frame the server already holds shows its evidence at once (issue #19)', () => {
    const f = flagFromSignal({ attemptId: 'a1', id: 'ev-3', type: 'face-absent', at: 1000, data: {}, evidence: true }, tile('a1'), 1200)!;
    expect(f.evidence).toBe(true);
  });

  it('an info event (page-visible) is no flag', () => {
    expect(flagFromSignal({ attemptId: 'a1', id: 'ev-2', type: 'page-visible', at: 1000, data: {} }, tile('a1'), 0)).toBeNull();
  });

  it('without an id the flag is provisional: shown at once, reviewable after REST reconciles it', () => {
    const f = flagFromSignal({ attemptId: 'a1', type: 'second-monitor', at: 5, data: {} }, tile('a1'), 0)!;
    expect(isProvisional(f)).toBe(true);
    expect(f.severity).toBe('high');
  });

  it('goes on top of the feed once, even when REST already listed it', () => {
    const old = flagFromSignal({ attemptId: 'a2', id: 'ev-0', type: 'window-blur', at: 1, data: {} }, tile('a2'), 1)!;
    const f = flagFromSignal({ attemptId: 'a1', id: 'ev-1', type: 'page-hidden', at: 2, data: {} }, tile('a1'), 2)!;
    const feed = addFlag([old], f)!;
    expect(feed.map((x) => x.id)).toEqual(['ev-1', 'ev-0']);
    expect(addFlag(feed, { ...f })).toBe(feed);
    expect(addFlag(undefined, f)).toBeUndefined(); // not loaded: the first fetch brings it
  });

  it('counts on its tile (total, open, worst, last) and leaves every other tile object as it was', () => {
    const [a1, a2] = [tile('a1', { flags: { total: 1, open: 1, worst: 'low', lastAt: 10 } }), tile('a2')];
    const m = grid(a1, a2);
    const f = flagFromSignal({ attemptId: 'a1', id: 'ev-1', type: 'second-monitor', at: 50, data: {} }, a1, 60)!;
    const next = tileWithFlag(m, f)!;
    expect(next.tiles[0]!.flags).toEqual({ total: 2, open: 1 + 1, worst: 'high', lastAt: 50 });
    expect(next.tiles[1]).toBe(a2); // memoized tiles do not re-render
    expect(tileWithFlag(m, { ...f, attemptId: 'other-session' })).toBe(m);
  });

  it('takes the review priority the push carried (issue #19), and keeps the tile’s own when none came', () => {
    const m = grid(tile('a1', { priority: 18 }));
    const f = flagFromSignal({ attemptId: 'a1', id: 'ev-2', type: 'face-absent', at: 50, data: {} }, m.tiles[0], 60)!;
    expect(tileWithFlag(m, f, 44)!.tiles[0]!.priority).toBe(44);
    expect(tileWithFlag(m, f)!.tiles[0]!.priority).toBe(18);
  });
});

describe('a pushed review, status, help message, proof status and warning', () => {
  it('a review replaces the flag and updates its tile’s counts and worst open severity', () => {
    const a = flagFromSignal({ attemptId: 'a1', id: 'ev-1', type: 'second-monitor', at: 1, data: {} }, tile('a1'), 1)!;
    const b = flagFromSignal({ attemptId: 'a1', id: 'ev-2', type: 'window-blur', at: 2, data: {} }, tile('a1'), 2)!;
    const feed = [b, a];
    const m = grid(tile('a1', { flags: { total: 2, open: 2, worst: 'high', lastAt: 2 } }));
    const confirmed: Flag = { ...a, review: { decision: 'confirmed', note: '', by: '监考员', at: 3 } };
    const feed2 = replaceFlag(feed, confirmed)!;
    expect(feed2.map((x) => x.review?.decision ?? 'open')).toEqual(['open', 'confirmed']);
    const m2 = tileWithReview(m, a, confirmed, feed2)!;
    expect(m2.tiles[0]!.flags).toMatchObject({ total: 2, open: 1, worst: 'medium' });
    const dismissed: Flag = { ...b, review: { decision: 'dismissed', note: '', by: '监考员', at: 4 } };
    const feed3 = replaceFlag(feed2, dismissed)!;
    expect(tileWithReview(m2, b, dismissed, feed3)!.tiles[0]!.flags).toMatchObject({ total: 1, open: 0, worst: null });
    // The same decision pushed again (the reviewer's own push after its refetch) changes nothing.
    expect(tileWithReview(m2, confirmed, confirmed, feed2)).toBe(m2);
  });

  it("'attempt:changed' moves the tile to its phase; an unknown attempt changes nothing", () => {
    const m = grid(tile('a1'));
    expect(tileWithStatus(m, { attemptId: 'a1', status: 'answering' })!.tiles[0]).toMatchObject({ status: 'answering', phase: 'answering' });
    expect(tileWithStatus(m, { attemptId: 'a1', status: 'ended', reason: 'proctor' })!.tiles[0]).toMatchObject({ phase: 'ended', endReason: 'proctor' });
    expect(tileWithStatus(m, { attemptId: 'zz', status: 'ended' })).toBe(m);
    expect(tileWithStatus(m, { attemptId: 'a1', status: 'waiting' })).toBe(m);
  });

  it('a candidate’s 求助 marks the tile unanswered, a staff answer clears it', () => {
    const m = grid(tile('a1'));
    const asked = tileWithHelp(m, { attemptId: 'a1', from: 'candidate' })!;
    expect(asked.tiles[0]!.helpUnanswered).toBe(true);
    expect(tileWithHelp(asked, { attemptId: 'a1', from: 'staff' })!.tiles[0]!.helpUnanswered).toBe(false);
  });

  it('the proof camera’s connection shows on the tile', () => {
    expect(tileWithProof(grid(tile('a1')), { attemptId: 'a1', connection: 'recording' })!.tiles[0]!.proof).toBe('recording');
  });

  it('a new warning is added, an acknowledged one replaced', () => {
    const w: Warning = { id: 'w1', attemptId: 'a1', at: 1, text: '请勿离开座位', by: '监考员', ackAt: null };
    const list = upsertWarning([], w)!;
    expect(list).toEqual([w]);
    expect(upsertWarning(list, { ...w, ackAt: 5 })).toEqual([{ ...w, ackAt: 5 }]);
  });

  it('a 求助 message moves its thread to the top; an unlisted thread asks for REST', () => {
    const threads = [
      { attemptId: 'a2', lastAt: 5, lastBody: 'x', unanswered: false },
      { attemptId: 'a1', lastAt: 3, lastBody: 'y', unanswered: false },
    ];
    expect(threadsWithMessage(threads, { attemptId: 'a1', at: 9, body: '摄像头打不开', from: 'candidate' })).toEqual([
      { attemptId: 'a1', lastAt: 9, lastBody: '摄像头打不开', unanswered: true },
      threads[0],
    ]);
    expect(threadsWithMessage(threads, { attemptId: 'a9', at: 9, body: '?', from: 'candidate' })).toBeNull();
  });
});

describe('a poll that raced a push', () => {
  it('keeps the flags pushed after the request was sent that its answer does not hold yet', () => {
    const early = flagFromSignal({ attemptId: 'a1', id: 'ev-1', type: 'page-hidden', at: 1, data: {} }, tile('a1'), 100)!;
    const late = flagFromSignal({ attemptId: 'a1', id: 'ev-2', type: 'window-blur', at: 2, data: {} }, tile('a1'), 300)!;
    const restEv1: Flag = { ...early, evidence: true };
    expect(reconcileFlags([restEv1], [late, early], 200).map((f) => f.id)).toEqual(['ev-2', 'ev-1']);
    expect(reconcileFlags([restEv1], [late, early], 200)[1]).toBe(restEv1); // REST's version wins
    expect(reconcileFlags([], [late, early], 200).map((f) => f.id)).toEqual(['ev-2']); // ev-1 predates the request: REST is right
  });
});

describe('flags pushed together (one animation frame)', () => {
  const push = (attemptId: string, n: number, over: Partial<SignalPush> = {}): SignalPush => ({ attemptId, id: `ev-${n}`, type: 'page-hidden', at: n, data: {}, ...over });
  const flag = (n: number) => flagFromSignal(push('a1', n), tile('a1'), n)!;

  it('go on top newest first, in the order they were pushed, each flag once', () => {
    const feed = addFlags([flag(1)], [flag(2), flag(3), flag(2), { ...flag(1) }, flag(4)])!;
    expect(feed.map((f) => f.id)).toEqual(['ev-4', 'ev-3', 'ev-2', 'ev-1']);
    const same = [flag(1)];
    expect(addFlags(same, [{ ...same[0]! }])).toBe(same); // nothing new: the same list, no render
    expect(addFlags(undefined, [flag(1)])).toBeUndefined();
  });

  it('keep the feed as long as REST lists it at most: the oldest fall off', () => {
    const full = Array.from({ length: FLAG_FEED_LIMIT }, (_, i) => flag(FLAG_FEED_LIMIT - i)); // ev-500 … ev-1
    const next = addFlags(full, [flag(501), flag(502)])!;
    expect(next).toHaveLength(FLAG_FEED_LIMIT);
    expect(next.slice(0, 3).map((f) => f.id)).toEqual(['ev-502', 'ev-501', 'ev-500']);
    expect(next.at(-1)!.id).toBe('ev-3');
    expect(addFlags([flag(1), flag(0)], [flag(2), flag(3)], 3)!.map((f) => f.id)).toEqual(['ev-3', 'ev-2', 'ev-1']);
  });

  it('change the feed and their tiles in one step: new flags count once, known and foreign ones not at all', () => {
    const [a1, a2, a3] = [tile('a1'), tile('a2'), tile('a3')];
    const m = grid(a1, a2, a3);
    const listed = flag(1);
    const r = withSignals([listed], m, [
      { push: push('a1', 2, { priority: 30 }), receivedAt: 2 },
      { push: push('a2', 3, { type: 'second-monitor' }), receivedAt: 3 },
      { push: push('a1', 1), receivedAt: 4 }, // already in the feed
      { push: push('a1', 4, { type: 'page-visible' }), receivedAt: 4 }, // info: no flag
      { push: push('other-session', 5), receivedAt: 5 }, // no tile here
      { push: push('a1', 2, { priority: 30 }), receivedAt: 6 }, // pushed twice
    ]);
    expect(r.feed!.map((f) => `${f.attemptId}/${f.id}`)).toEqual(['a2/ev-3', 'a1/ev-2', 'a1/ev-1']);
    expect(r.feed![2]).toBe(listed);
    expect(r.monitor!.tiles[0]!.flags).toMatchObject({ total: 1, open: 1, worst: 'medium', lastAt: 2 });
    expect(r.monitor!.tiles[0]!.priority).toBe(30);
    expect(r.monitor!.tiles[1]!.flags).toMatchObject({ total: 1, open: 1, worst: 'high' });
    expect(r.monitor!.tiles[2]).toBe(a3); // untouched tiles keep their object: their memoized tile does not render
  });

  it('keep every shown flag its object in the query cache, so only the new row renders', async () => {
    // React Query's default sharing pairs old and new lists by index: a flag on top made all 500 rows new objects.
    const qc = new QueryClient();
    const key = ['flags', 's1'];
    const shown = [flag(2), flag(1)];
    await qc.fetchQuery({ queryKey: key, queryFn: () => shown, structuralSharing: shareFlags });
    qc.setQueryData<Flag[]>(key, (list) => addFlags(list, [flag(3)]));
    const after = qc.getQueryData<Flag[]>(key)!;
    expect(after.map((f) => f.id)).toEqual(['ev-3', 'ev-2', 'ev-1']);
    expect(after[1]).toBe(shown[0]);
    expect(after[2]).toBe(shown[1]);
    // REST's answer: equal flags keep their objects (the same list), a reviewed one is the new object.
    qc.setQueryData<Flag[]>(key, (list) => list!.map((f) => ({ ...f })));
    expect(qc.getQueryData(key)).toBe(after);
    const reviewed = { ...after[1]!, review: { decision: 'confirmed' as const, note: '', by: 'p', at: 9 } };
    qc.setQueryData<Flag[]>(key, [after[0]!, reviewed, { ...after[2]! }]);
    const last = qc.getQueryData<Flag[]>(key)!;
    expect(last[0]).toBe(after[0]);
    expect(last[1]).toEqual(reviewed);
    expect(last[2]).toBe(after[2]);
  });

  it('change nothing when nothing is new (no render), nor before the feed is loaded', () => {
    const m = grid(tile('a1'));
    const feed = [flag(1)];
    expect(withSignals(feed, m, [{ push: push('a1', 1), receivedAt: 9 }])).toEqual({ feed, monitor: m });
    expect(withSignals(undefined, m, [{ push: push('a1', 2), receivedAt: 9 }])).toEqual({ feed: undefined, monitor: m });
  });
});
