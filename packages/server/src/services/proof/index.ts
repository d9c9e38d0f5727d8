// The phone proof camera's use cases (DESIGN.md "Phone proof camera").
export { ProofSettings, defaultProofSettings, proofSettingsFromEnv } from './settings.ts';
export { issueBindCode, bindPhone } from './binding.ts';
export { phoneState, heartbeat, setStage, reportGap } from './phone.ts';
export { proofStatus, publishStatus } from './status.ts';
export { sessionProof, renderProofUploads } from './session.ts';
export { proofGate } from './gate.ts';
export { tick as proofWatchdogTick, startProofWatchdog } from './watchdog.ts';
export { phoneBaseUrl, lanAddresses } from './codes.ts';
