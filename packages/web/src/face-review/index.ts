// The manual verification queue (人工核验) for the staff consoles; mount <ManualVerificationQueue /> where
// support or proctors work (optionally filtered to one session).
export { ManualVerificationQueue } from './ManualVerificationQueue.tsx';
