// Launches Debian's Chromium with the flags known to work here (../shared/TESTING.md), with fake devices.
import { chromium, type Browser, type BrowserContext, type LaunchOptions } from '@playwright/test';

export const CHROMIUM = '/usr/bin/chromium';

export const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
];

export interface MediaOptions {
  /** e.g. 'device-count=2' or 'display-media-type=window'; default: one fake camera + mic. */
  fakeDevice?: string;
  /** --screen-info value, e.g. '{0,0 1600x900}{1600,0 1280x1024}' for two monitors. */
  screenInfo?: string;
  videoFile?: string; // absolute .y4m/.mjpeg
  audioFile?: string; // absolute .wav
  denyPermissions?: boolean;
  extraArgs?: string[];
}

export function mediaArgs(o: MediaOptions = {}): string[] {
  const args = [...BASE_ARGS, o.fakeDevice ? `--use-fake-device-for-media-stream=${o.fakeDevice}` : '--use-fake-device-for-media-stream'];
  if (o.denyPermissions) args[args.indexOf('--use-fake-ui-for-media-stream')] = '--use-fake-ui-for-media-stream=deny';
  if (o.screenInfo) args.push(`--screen-info=${o.screenInfo}`);
  if (o.videoFile) args.push(`--use-file-for-fake-video-capture=${o.videoFile}`);
  if (o.audioFile) args.push(`--use-file-for-fake-audio-capture=${o.audioFile}`);
  return [...args, ...(o.extraArgs ?? [])];
}

export function launch(o: MediaOptions = {}, extra: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: mediaArgs(o), ...extra });
}

/** A persistent profile: IndexedDB/OPFS survive closing and reopening the browser. */
export function launchPersistent(userDataDir: string, o: MediaOptions = {}, viewport = { width: 1366, height: 768 }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: mediaArgs(o), viewport, locale: 'zh-CN' });
}
