// The proof camera API (contract: packages/contracts/src/proof.ts), typed for the phone and the desktop panel.
import type { BindCodeIssued, PhoneStage, PhoneState, ProofStatus } from '@invigil/contracts';
import { get, post } from '../../api/client.ts';

export const issueBindCode = () => post<BindCodeIssued>('/api/proof/bind-code');
export const fetchProofStatus = () => get<ProofStatus>('/api/proof/status');

export const bind = (code: string) => post<PhoneState>('/api/proof/bind', { code, userAgent: navigator.userAgent.slice(0, 400) });
export const fetchPhone = () => get<PhoneState>('/api/proof/phone');
export const sendHeartbeat = (hb: { recording: boolean; battery: { level: number; charging: boolean } | null; storageFreeMb: number | null; wakeLock: boolean }) =>
  post<PhoneState>('/api/proof/heartbeat', hb);
export const setStage = (stage: Exclude<PhoneStage, 'bound'>, roomScan?: { startedAt: number; endedAt: number; degrees: number | null }) =>
  post<PhoneState>('/api/proof/stage', roomScan ? { stage, roomScan } : { stage });
export const reportGap = (g: { fromAt: number; toAt: number; reason: 'hidden' | 'reload' | 'camera-lost' }) => post('/api/proof/gaps', g);
