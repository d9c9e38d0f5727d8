// The recording pipeline's use cases (DESIGN.md "Recording pipeline").
export { openRecording, getRecording, putSegment, type SegmentMeta } from './ingest.ts';
export { finalizeRecording } from './finalize.ts';
export { recordingsStatus } from './status.ts';
export { recordingFor, type RecordingCaller } from './access.ts';
export { probeSeconds } from './assemble.ts';
