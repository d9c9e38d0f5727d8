// The 求助 inbox: threads from GET /api/help/threads, live updates from socket.io, and unread counts.
// No API lists the sessions a proctor is assigned to, so the sessions to `staff:watch` are learnt from the
// threads themselves (GET /api/attempts/:id names its session); a 15 s poll finds threads of new sessions.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { io, type Socket } from 'socket.io-client';
import { routes, type ClientToServer, type HelpMessage, type ServerToClient } from '@invigil/contracts';
import { call } from '../../api/client.ts';
import { threadsWithMessage } from './live-updates.ts';

export interface HelpThreadT {
  attemptId: string;
  candidateName: string;
  ticket: string;
  roomName: string | null;
  lastAt: number;
  lastBody: string;
  unanswered: boolean;
}
export interface KnownSession {
  id: string;
  name: string;
  examName: string;
}

export const threadsKey = (sessionId: string | null) => ['help', 'threads', sessionId ?? 'all'] as const;
export const messagesKey = (attemptId: string) => ['help', 'messages', attemptId] as const;
const SEEN_KEY = 'invigil.proctor.seen';

function loadSeen(): Record<string, number> {
  try {
    return JSON.parse(localStorage.getItem(SEEN_KEY) ?? '{}') as Record<string, number>;
  } catch {
    return {};
  }
}

/** Append a message to a thread's cached messages once (the sender also gets its own message by socket). */
export function addMessage(list: HelpMessage[] | undefined, m: HelpMessage): HelpMessage[] | undefined {
  if (!list) return list;
  return list.some((x) => x.id === m.id) ? list : [...list, m];
}

export function useHelpInbox(sessionId: string | null, openAttemptId: string | null) {
  const qc = useQueryClient();
  const [connected, setConnected] = useState(false);
  const [fresh, setFresh] = useState<Record<string, number>>({}); // candidate messages since last opened
  const [seen, setSeen] = useState(loadSeen);
  const openRef = useRef(openAttemptId);
  openRef.current = openAttemptId;
  const socketRef = useRef<Socket<ServerToClient, ClientToServer> | null>(null);
  const watched = useRef(new Set<string>());

  const threads = useQuery({
    queryKey: threadsKey(sessionId),
    queryFn: () => call(routes.helpThreads, { query: { sessionId: sessionId ?? undefined } }),
    refetchInterval: 15_000,
  });

  // Which session each thread belongs to (attempt state is cached forever: an attempt never changes session).
  const attempts = useQueries({
    queries: (threads.data ?? []).map((th) => ({
      queryKey: ['help', 'attempt', th.attemptId],
      queryFn: () => call(routes.attempt, { params: { attemptId: th.attemptId } }),
      staleTime: Infinity,
    })),
  });
  const byId = new Map<string, KnownSession>();
  for (const a of attempts) if (a.data) byId.set(a.data.session.id, { id: a.data.session.id, name: a.data.session.name, examName: a.data.session.examName });
  if (sessionId && !byId.has(sessionId)) byId.set(sessionId, { id: sessionId, name: sessionId, examName: '' });
  const sessions = [...byId.values()];
  const sessionIds = [...byId.keys()].sort().join(',');

  useEffect(() => {
    const socket: Socket<ServerToClient, ClientToServer> = io({ path: '/socket.io', withCredentials: true });
    socketRef.current = socket;
    socket.on('connect', () => {
      setConnected(true);
      // A reconnect is a new server-side socket: join every session again.
      const again = [...watched.current];
      watched.current.clear();
      for (const id of again) watch(socket, id);
    });
    socket.on('disconnect', () => setConnected(false));
    socket.on('help:message', (m) => {
      qc.setQueryData<HelpMessage[]>(messagesKey(m.attemptId), (list) => addMessage(list, m));
      // The thread moves to the top in place; only a thread no list shows yet (a first message) needs REST.
      let listed = false;
      qc.setQueriesData<HelpThreadT[]>({ queryKey: ['help', 'threads'] }, (list) => {
        const next = list && threadsWithMessage(list, m);
        if (next) listed = true;
        return next ?? list;
      });
      if (!listed) void qc.invalidateQueries({ queryKey: ['help', 'threads'] });
      if (m.from === 'candidate' && m.attemptId !== openRef.current) setFresh((f) => ({ ...f, [m.attemptId]: (f[m.attemptId] ?? 0) + 1 }));
    });
    return () => {
      socket.disconnect();
      socketRef.current = null;
    };
  }, [qc]);

  function watch(socket: Socket<ServerToClient, ClientToServer>, id: string) {
    if (watched.current.has(id)) return;
    watched.current.add(id);
    socket.emit('staff:watch', { sessionId: id }, (r) => {
      if (!r.ok) watched.current.delete(id);
    });
  }
  useEffect(() => {
    const socket = socketRef.current;
    if (socket?.connected && sessionIds) for (const id of sessionIds.split(',')) watch(socket, id);
  }, [sessionIds, connected]);

  // Stable across renders: the console marks the open thread read from an effect that depends on it.
  const markRead = useCallback((attemptId: string, lastAt: number) => {
    setFresh((f) => (f[attemptId] ? { ...f, [attemptId]: 0 } : f));
    setSeen((s) => {
      if ((s[attemptId] ?? 0) >= lastAt) return s;
      const next = { ...s, [attemptId]: lastAt };
      localStorage.setItem(SEEN_KEY, JSON.stringify(next));
      return next;
    });
  }, []);

  /** Unread = candidate messages that arrived live, or at least 1 for an unanswered thread not opened since. */
  const unread = (th: HelpThreadT) => Math.max(fresh[th.attemptId] ?? 0, th.unanswered && th.lastAt > (seen[th.attemptId] ?? 0) ? 1 : 0);

  return { threads, sessions, connected, unread, markRead };
}
