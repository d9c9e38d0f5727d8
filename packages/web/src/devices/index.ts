// Device checks for the candidate app: camera/microphone, speaker, monitors, browser, storage, uplink, screen.
export * from './errors.ts';
export * from './camera.ts';
export * from './volume.ts';
export * from './speaker.ts';
export * from './monitors.ts';
export * from './environment.ts';
export * from './display.ts';
export * from './live-camera.ts';
