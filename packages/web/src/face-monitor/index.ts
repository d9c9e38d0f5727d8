// The in-exam face monitor (issue #19): a Web Worker running Human on the live camera, batches to the server, a
// gentle hint for the candidate. See monitor.ts (page side) and worker.ts.
export { FaceMonitor } from './FaceMonitor.tsx';
export { startFaceMonitor, PHONE_DEFAULT, type FaceMonitorOptions } from './monitor.ts';
