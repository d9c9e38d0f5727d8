// The grid's data: tiles and the flag feed from REST, changed in place by each socket push (live-updates.ts), and
// the live facts (thumbnails, presence, backlog) fed into the live store as they arrive. REST reconciles after a
// reconnect and on a slow poll (the grid's every 15 s also carries the desktop heartbeat, liveSeenAt).
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { routes, type Flag, type HelpMessage, type ProofStatus, type ServerToClient, type SessionMonitor, type Warning } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import { liveStore } from './live-store.ts';
import { staffSocket, watchSession } from '../../api/staff-socket.ts';
import { addMessage, messagesKey } from './useHelpInbox.ts';
import { frameBatch } from './frame-batch.ts';
import {
  reconcileFlags,
  replaceFlag,
  shareFlags,
  tileOf,
  tileWithHelp,
  tileWithProof,
  tileWithReview,
  tileWithStatus,
  upsertWarning,
  withSignals,
  type ReceivedSignal,
  type SignalPush,
} from './live-updates.ts';

export const monitorKey = (sessionId: string | null) => ['monitor', sessionId] as const;
export const flagsKey = (sessionId: string | null) => ['flags', sessionId] as const;
export const warningsKey = (attemptId: string) => ['warnings', attemptId] as const;

export function useStaffSessions() {
  return useQuery({ queryKey: ['staff', 'sessions'], queryFn: () => call(routes.staffSessions), staleTime: 60_000 });
}

export function useMonitor(sessionId: string | null) {
  const qc = useQueryClient();
  const fetchFlags = async (id: string) => {
    const askedAt = Date.now();
    const fresh = await call(routes.flags, { params: { id } });
    return reconcileFlags(fresh, qc.getQueryData<Flag[]>(flagsKey(id)), askedAt);
  };
  const [connected, setConnected] = useState(() => staffSocket().connected);
  const grid = useQuery({ queryKey: monitorKey(sessionId), queryFn: () => call(routes.monitor, { params: { id: sessionId! } }), enabled: !!sessionId, refetchInterval: 15_000 });
  const flags = useQuery({ queryKey: flagsKey(sessionId), queryFn: () => fetchFlags(sessionId!), enabled: !!sessionId, refetchInterval: 60_000, structuralSharing: shareFlags });

  useEffect(() => {
    if (!sessionId) return;
    const s = staffSocket();
    void watchSession(sessionId);
    const mKey = monitorKey(sessionId);
    const fKey = flagsKey(sessionId);
    const monitor = () => qc.getQueryData<SessionMonitor>(mKey);
    const setMonitor = (change: (m: SessionMonitor | undefined) => SessionMonitor | undefined) => qc.setQueryData<SessionMonitor>(mKey, change);
    // Only for what the pushed payload cannot say (a candidate's first login makes their attempt): at most once a second.
    let timer: ReturnType<typeof setTimeout> | null = null;
    const reconcileSoon = () => {
      timer ??= setTimeout(() => {
        timer = null;
        void qc.invalidateQueries({ queryKey: mKey });
      }, 1000);
    };
    // The staff socket may still be in other sessions' rooms (watched earlier): an attempt without a tile here is
    // not this session's, unless the grid has not loaded yet (its fetch then includes the change).
    const known = (attemptId: string) => !!tileOf(monitor(), attemptId);

    // Flags pushed within one animation frame reach the feed and the tiles together: one render per frame however
    // many arrive. Every other push that changes the feed or the grid applies the waiting flags first (order kept).
    const signals = frameBatch<ReceivedSignal>((batch) => {
      const feed = qc.getQueryData<Flag[]>(fKey);
      const next = withSignals(feed, monitor(), batch);
      if (next.feed === feed) return;
      qc.setQueryData(fKey, next.feed);
      setMonitor(() => next.monitor);
    });
    const onSignal = (push: SignalPush) => signals.push({ push, receivedAt: Date.now() });
    const onReviewed = (f: Flag) => {
      signals.flush();
      if (!known(f.attemptId)) return;
      const feed = qc.getQueryData<Flag[]>(fKey);
      const next = replaceFlag(feed, f);
      qc.setQueryData(fKey, next);
      setMonitor((m) =>
        tileWithReview(
          m,
          feed?.find((x) => x.id === f.id),
          f,
          next ?? [],
        ),
      );
    };
    const onChanged = (p: Parameters<ServerToClient['attempt:changed']>[0]) => {
      signals.flush();
      if (known(p.attemptId)) setMonitor((m) => tileWithStatus(m, p));
      else reconcileSoon();
    };
    const onHelp = (m: HelpMessage) => {
      signals.flush();
      qc.setQueryData<HelpMessage[]>(messagesKey(m.attemptId), (list) => addMessage(list, m));
      setMonitor((x) => tileWithHelp(x, m));
    };
    const onProof = (p: ProofStatus) => {
      signals.flush();
      setMonitor((m) => tileWithProof(m, p));
    };
    const onWarning = (w: Warning) => qc.setQueryData<Warning[]>(warningsKey(w.attemptId), (list) => upsertWarning(list, w));
    const onThumb = (p: { attemptId: string; at: number; jpeg: ArrayBuffer }) => liveStore.thumb(p.attemptId, p.jpeg, p.at);
    const onPresence = (p: { attemptId: string; device: 'desktop' | 'phone'; online: boolean }) => liveStore.presence(p.attemptId, p.device, p.online);
    const onStatus = (p: Parameters<typeof liveStore.status>[1] & { attemptId: string }) => liveStore.status(p.attemptId, p);
    // After a reconnect, pushes may have been missed: REST says what is true now.
    let wasConnected = s.connected;
    const up = () => {
      if (wasConnected === false) {
        void qc.invalidateQueries({ queryKey: mKey });
        void qc.invalidateQueries({ queryKey: fKey });
        void qc.invalidateQueries({ queryKey: ['warnings'] });
        void qc.invalidateQueries({ queryKey: ['help', 'messages'] });
      }
      wasConnected = true;
      setConnected(true);
    };
    const down = () => {
      wasConnected = false;
      setConnected(false);
    };
    s.on('monitor:thumb', onThumb);
    s.on('monitor:presence', onPresence);
    s.on('monitor:status', onStatus);
    s.on('attempt:signal', onSignal);
    s.on('flag:reviewed', onReviewed);
    s.on('attempt:changed', onChanged);
    s.on('help:message', onHelp);
    s.on('proof:status', onProof);
    s.on('warning:changed', onWarning);
    s.on('connect', up);
    s.on('disconnect', down);
    setConnected(s.connected);
    return () => {
      if (timer) clearTimeout(timer);
      signals.cancel();
      s.off('monitor:thumb', onThumb);
      s.off('monitor:presence', onPresence);
      s.off('monitor:status', onStatus);
      s.off('attempt:signal', onSignal);
      s.off('flag:reviewed', onReviewed);
      s.off('attempt:changed', onChanged);
      s.off('help:message', onHelp);
      s.off('proof:status', onProof);
      s.off('warning:changed', onWarning);
      s.off('connect', up);
      s.off('disconnect', down);
    };
  }, [sessionId, qc]);

  return { grid, flags, connected };
}
