// Candidate-side live monitoring (thumbnails, evidence frames, live views, warnings). See monitoring.ts.
export { startMonitoring, pipelineBacklog, type MonitoringOptions } from './monitoring.ts';
export { CandidateMonitoring } from './CandidateMonitoring.tsx';
export type { MonitoringSocket } from './types.ts';
