// The grid's data: tiles and the flag feed from REST, kept fresh by socket pushes (debounced refetch), and the
// live facts (thumbnails, presence, backlog) fed into the live store as they arrive.
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Flag, SessionMonitor, StaffSession } from '@invigil/contracts';
import { get } from '../../api/client.ts';
import { liveStore } from './live-store.ts';
import { staffSocket, watchSession } from './staff-socket.ts';

export const monitorKey = (sessionId: string | null) => ['monitor', sessionId] as const;
export const flagsKey = (sessionId: string | null) => ['flags', sessionId] as const;

export function useStaffSessions() {
  return useQuery({ queryKey: ['staff', 'sessions'], queryFn: () => get<Array<z.infer<typeof StaffSession>>>('/api/staff/sessions'), staleTime: 60_000 });
}

export function useMonitor(sessionId: string | null) {
  const qc = useQueryClient();
  const [connected, setConnected] = useState(() => staffSocket().connected);
  const grid = useQuery({ queryKey: monitorKey(sessionId), queryFn: () => get<SessionMonitor>(`/api/sessions/${sessionId}/monitor`), enabled: !!sessionId, refetchInterval: 15_000 });
  const flags = useQuery({ queryKey: flagsKey(sessionId), queryFn: () => get<Flag[]>(`/api/sessions/${sessionId}/flags`), enabled: !!sessionId, refetchInterval: 15_000 });

  useEffect(() => {
    if (!sessionId) return;
    const s = staffSocket();
    watchSession(sessionId);
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Many candidates change at once at the start and the end: one refetch per second at most.
    const refresh = () => {
      timer ??= setTimeout(() => {
        timer = null;
        void qc.invalidateQueries({ queryKey: monitorKey(sessionId) });
        void qc.invalidateQueries({ queryKey: flagsKey(sessionId) });
      }, 1000);
    };
    const onThumb = (p: { attemptId: string; at: number; jpeg: ArrayBuffer }) => liveStore.thumb(p.attemptId, p.jpeg, p.at);
    const onPresence = (p: { attemptId: string; device: 'desktop' | 'phone'; online: boolean }) => liveStore.presence(p.attemptId, p.device, p.online);
    const onStatus = (p: Parameters<typeof liveStore.status>[1] & { attemptId: string }) => liveStore.status(p.attemptId, p);
    const up = () => setConnected(true);
    const down = () => setConnected(false);
    s.on('monitor:thumb', onThumb);
    s.on('monitor:presence', onPresence);
    s.on('monitor:status', onStatus);
    const pushes = ['attempt:changed', 'attempt:signal', 'flag:reviewed', 'help:message', 'proof:status'] as const;
    for (const e of pushes) s.on(e, refresh);
    s.on('connect', up);
    s.on('disconnect', down);
    setConnected(s.connected);
    return () => {
      if (timer) clearTimeout(timer);
      s.off('monitor:thumb', onThumb);
      s.off('monitor:presence', onPresence);
      s.off('monitor:status', onStatus);
      for (const e of pushes) s.off(e, refresh);
      s.off('connect', up);
      s.off('disconnect', down);
    };
  }, [sessionId, qc]);

  return { grid, flags, connected };
}
