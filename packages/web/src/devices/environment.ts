// Browser, local storage and uplink checks for 设备准备.
import { routes } from '@invigil/contracts';
import { urlOf } from '../api/client.ts';
export interface BrowserSupport {
  ok: boolean;
  name: string;
  version: number | null;
  missing: string[];
}

export const MIN_CHROMIUM = 110;

export function browserSupport(): BrowserSupport {
  const ua = navigator.userAgent;
  const edge = /Edg\/(\d+)/.exec(ua);
  const chrome = /Chrome\/(\d+)/.exec(ua);
  const name = edge ? 'Edge' : chrome ? 'Chrome' : /Firefox\//.test(ua) ? 'Firefox' : /Safari\//.test(ua) ? 'Safari' : 'other';
  const version = Number((edge ?? chrome)?.[1] ?? NaN) || null;
  const missing: string[] = [];
  if (!navigator.mediaDevices?.getUserMedia) missing.push('getUserMedia');
  if (!navigator.mediaDevices?.getDisplayMedia) missing.push('getDisplayMedia');
  if (typeof MediaRecorder === 'undefined' || !MediaRecorder.isTypeSupported('video/webm')) missing.push('MediaRecorder(webm)');
  if (typeof indexedDB === 'undefined') missing.push('IndexedDB');
  const ok = (name === 'Chrome' || name === 'Edge') && (version ?? 0) >= MIN_CHROMIUM && missing.length === 0;
  return { ok, name, version, missing };
}

/** Free space the browser lets this site use, in MB; null when the browser does not say. */
export async function freeStorageMb(): Promise<number | null> {
  try {
    const e = await navigator.storage?.estimate?.();
    if (!e || e.quota === undefined) return null;
    return Math.floor((e.quota - (e.usage ?? 0)) / 1024 / 1024);
  } catch {
    return null;
  }
}

/** A 25-minute exam at ~1.5 Mbit/s for camera + screen needs ~300 MB; ask for margin. */
export const MIN_FREE_STORAGE_MB = 1024;
/** Camera + screen upload in real time at ~1.5 Mbit/s; below this the upload falls behind (still safe, buffered). */
export const MIN_UPLOAD_KBPS = 1500;

/**
 * Upload speed: time a POST of random bytes to the server's speed-test route. null when the route is missing
 * or the network failed — the page then says "unknown" instead of inventing a number.
 */
export async function estimateUploadKbps(url = urlOf(routes.speedTest, {}), bytes = 512 * 1024): Promise<number | null> {
  const body = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(body.subarray(i, Math.min(bytes, i + 65536)));
  const t0 = performance.now();
  try {
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' }, credentials: 'same-origin' });
    await res.arrayBuffer();
    if (!res.ok) return null;
  } catch {
    return null;
  }
  const sec = Math.max(0.001, (performance.now() - t0) / 1000);
  return Math.round((bytes * 8) / 1000 / sec);
}
