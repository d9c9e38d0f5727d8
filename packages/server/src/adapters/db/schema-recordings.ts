// Tables of the recording pipeline (issue: zero-loss recording). Owned by services/recordings.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RecordingTables {}
