export * from './errors.ts';
export * from './timeline.ts';
export * from './common.ts';
export * from './auth.ts';
export * from './admin.ts';
export * from './candidate.ts';
export * from './idcard.ts';
export * from './recordings.ts';
