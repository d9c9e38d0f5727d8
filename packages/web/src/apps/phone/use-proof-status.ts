// The proof camera's live status for the candidate's desktop: fetched, then kept current by `proof:status`
// pushes on the candidate's socket, and re-read every few seconds so 已断开 shows even if a push is missed.
import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProofStatus } from '@invigil/contracts';
import { connectRealtime } from '../candidate/realtime.ts';
import { fetchProofStatus } from './api.ts';

export const proofStatusKey = (attemptId: string) => ['proof-status', attemptId] as const;

export function useProofStatus(attemptId: string, refetchMs = 5000) {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: proofStatusKey(attemptId), queryFn: fetchProofStatus, refetchInterval: refetchMs });
  useEffect(() => {
    const socket = connectRealtime();
    const onStatus = (s: ProofStatus) => {
      if (s.attemptId === attemptId) qc.setQueryData(proofStatusKey(attemptId), s);
    };
    socket.on('proof:status', onStatus);
    return () => {
      socket.off('proof:status', onStatus);
    };
  }, [attemptId, qc]);
  return q;
}
