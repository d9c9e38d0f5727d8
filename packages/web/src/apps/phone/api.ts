// The proof camera API (contract: packages/contracts/src/proof.ts), typed for the phone and the desktop panel.
import { routes, type PhoneStage } from '@invigil/contracts';
import { call } from '../../api/client.ts';

export const issueBindCode = () => call(routes.bindCode);
export const fetchProofStatus = () => call(routes.proofStatus);

export const bind = (code: string) => call(routes.bindPhone, { body: { code, userAgent: navigator.userAgent.slice(0, 400) } });
export const fetchPhone = () => call(routes.phone);
export const sendHeartbeat = (hb: { recording: boolean; battery: { level: number; charging: boolean } | null; storageFreeMb: number | null; wakeLock: boolean }) =>
  call(routes.phoneHeartbeat, { body: hb });
export const setStage = (stage: Exclude<PhoneStage, 'bound'>, roomScan?: { startedAt: number; endedAt: number; degrees: number | null }) =>
  call(routes.phoneStage, { body: roomScan ? { stage, roomScan } : { stage } });
export const reportGap = (g: { fromAt: number; toAt: number; reason: 'hidden' | 'reload' | 'camera-lost' }) => call(routes.phoneGap, { body: g });
