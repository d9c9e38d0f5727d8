// Whole-screen capture. The browser's picker lets a person choose a window or a tab; only the whole screen
// ("monitor") shows everything they do, so anything else is stopped at once and refused with instructions.
import { failureOf } from './errors.ts';

export type ScreenShareResult =
  { ok: true; stream: MediaStream; displaySurface: string } | { ok: false; reason: 'not-whole-screen' | 'permission-denied' | 'unsupported' | 'error'; displaySurface?: string };

export async function requestWholeScreen(): Promise<ScreenShareResult> {
  if (!navigator.mediaDevices?.getDisplayMedia) return { ok: false, reason: 'unsupported' };
  let stream: MediaStream;
  try {
    // Chromium hints: preselect screens, hide this tab and surface switching. Hints only; we verify below.
    const options = {
      video: { displaySurface: 'monitor', frameRate: { ideal: 10 } },
      audio: false,
      monitorTypeSurfaces: 'include',
      selfBrowserSurface: 'exclude',
      surfaceSwitching: 'exclude',
    } as DisplayMediaStreamOptions;
    stream = await navigator.mediaDevices.getDisplayMedia(options);
  } catch (e) {
    const f = failureOf(e);
    return { ok: false, reason: f === 'permission-denied' ? 'permission-denied' : 'error' };
  }
  const track = stream.getVideoTracks()[0];
  const displaySurface = track?.getSettings().displaySurface ?? 'unknown';
  if (displaySurface !== 'monitor') {
    stream.getTracks().forEach((t) => t.stop());
    return { ok: false, reason: 'not-whole-screen', displaySurface };
  }
  return { ok: true, stream, displaySurface };
}
