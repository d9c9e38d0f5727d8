// What the grid knows live about each attempt (latest thumbnail, presence, upload backlog), outside React
// state: each tile subscribes to its own attempt only, so a thumbnail repaints one tile, not sixty.
import { useCallback, useSyncExternalStore } from 'react';
import type { CandidateStatus } from '@invigil/contracts';

export interface LiveFacts {
  thumbUrl: string | null;
  thumbAt: number | null;
  /** Socket presence of the desktop; null until heard (then the REST heartbeat decides). */
  online: boolean | null;
  phoneOnline: boolean | null;
  status: (CandidateStatus & { at: number }) | null;
}

const EMPTY: LiveFacts = { thumbUrl: null, thumbAt: null, online: null, phoneOnline: null, status: null };
const facts = new Map<string, LiveFacts>();
const listeners = new Map<string, Set<() => void>>();
const orderListeners = new Set<() => void>();
let orderVersion = 0;
let orderTimer: ReturnType<typeof setTimeout> | null = null;

function set(attemptId: string, patch: Partial<LiveFacts>, affectsOrder: boolean) {
  facts.set(attemptId, { ...(facts.get(attemptId) ?? EMPTY), ...patch });
  listeners.get(attemptId)?.forEach((l) => l());
  // Re-sorting 60 tiles on every status would make them jump around: at most once every 3 s.
  if (affectsOrder && !orderTimer)
    orderTimer = setTimeout(() => {
      orderTimer = null;
      orderVersion++;
      orderListeners.forEach((l) => l());
    }, 3000);
}

export const liveStore = {
  get: (attemptId: string) => facts.get(attemptId) ?? EMPTY,
  thumb(attemptId: string, jpeg: ArrayBuffer, at: number) {
    const old = facts.get(attemptId)?.thumbUrl;
    const url = URL.createObjectURL(new Blob([jpeg], { type: 'image/jpeg' }));
    set(attemptId, { thumbUrl: url, thumbAt: at, online: true }, false);
    if (old) setTimeout(() => URL.revokeObjectURL(old), 1000); // after the <img> has swapped
  },
  presence(attemptId: string, device: 'desktop' | 'phone', online: boolean) {
    set(attemptId, device === 'desktop' ? { online } : { phoneOnline: online }, true);
  },
  status(attemptId: string, s: CandidateStatus & { at: number }) {
    const before = facts.get(attemptId)?.status;
    // A status arrives with every thumbnail; an unchanged one must not repaint its tile (half the renders of a
    // busy grid, bench/console).
    const same = before && before.backlogBytes === s.backlogBytes && before.backlogSegments === s.backlogSegments && before.camera === s.camera && before.screen === s.screen;
    if (same && facts.get(attemptId)?.online) return;
    set(attemptId, { status: s, online: true }, (before?.backlogBytes ?? 0) > 50e6 !== s.backlogBytes > 50e6);
  },
};

const subscribeOrder = (l: () => void) => {
  orderListeners.add(l);
  return () => void orderListeners.delete(l);
};

export function useLiveFacts(attemptId: string | null): LiveFacts {
  const subscribe = useCallback(
    (l: () => void) => {
      if (!attemptId) return () => undefined;
      if (!listeners.has(attemptId)) listeners.set(attemptId, new Set());
      listeners.get(attemptId)!.add(l);
      return () => void listeners.get(attemptId)?.delete(l);
    },
    [attemptId],
  );
  return useSyncExternalStore(subscribe, () => (attemptId ? liveStore.get(attemptId) : EMPTY));
}

/** A number that changes (at most every 3 s) when presence or a large backlog may change the review order. */
export function useOrderVersion(): number {
  return useSyncExternalStore(subscribeOrder, () => orderVersion);
}
