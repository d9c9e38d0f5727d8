export * from './errors.ts';
export * from './timeline.ts';
export * from './common.ts';
export * from './auth.ts';
export * from './admin.ts';
export * from './candidate.ts';
export * from './idcard.ts';
export * from './recordings.ts';
export * from './realtime.ts';
export * from './face.ts';
export * from './proof.ts';
export * from './monitoring.ts';
<<<<<<< HEAD
export * from './review.ts';
=======
export * from './api.ts';
>>>>>>> main
