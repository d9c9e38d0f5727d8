// Examiner review and scoring (issue #16).
export * from './panel-access.ts';
export * from './panels.ts';
export * from './rubric.ts';
export * from './scores.ts';
export * from './playback.ts';
export * from './results.ts';
export * from './export.ts';
