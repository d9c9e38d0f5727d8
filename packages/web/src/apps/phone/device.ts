// What the phone itself can tell: battery, free storage, keeping the screen on, the front camera. No UI here.
import { failureOf } from '../../devices/errors.ts';
import { freeStorageMb } from '../../devices/environment.ts';

export { freeStorageMb };

export const LOW_BATTERY = 0.2;
export const LOW_STORAGE_MB = 500;

interface BatteryManagerLike extends EventTarget {
  level: number;
  charging: boolean;
}

/** Chrome on Android says; Safari does not (null: shown as unknown, never guessed). */
export async function battery(): Promise<{ level: number; charging: boolean } | null> {
  const nav = navigator as Navigator & { getBattery?: () => Promise<BatteryManagerLike> };
  try {
    const b = await nav.getBattery?.();
    return b ? { level: b.level, charging: b.charging } : null;
  } catch {
    return null;
  }
}

/**
 * Keeps the screen on while recording. The browser drops the lock whenever the page is hidden, so it is asked
 * for again each time the page comes back.
 */
export class ScreenWakeLock {
  private sentinel: WakeLockSentinel | null = null;
  private wanted = false;
  private readonly onVisible = () => {
    if (this.wanted && document.visibilityState === 'visible') void this.acquire();
  };

  get held(): boolean {
    return !!this.sentinel && !this.sentinel.released;
  }

  async keep(): Promise<boolean> {
    this.wanted = true;
    document.addEventListener('visibilitychange', this.onVisible);
    return this.acquire();
  }

  release() {
    this.wanted = false;
    document.removeEventListener('visibilitychange', this.onVisible);
    void this.sentinel?.release().catch(() => undefined);
    this.sentinel = null;
  }

  private async acquire(): Promise<boolean> {
    try {
      this.sentinel = (await navigator.wakeLock?.request('screen')) ?? null;
    } catch {
      this.sentinel = null; // not supported, low battery mode, or not visible: the page says so
    }
    return this.held;
  }
}

export type CameraProblem = 'denied' | 'not-found' | 'in-use' | 'insecure' | 'error';

export class CameraError extends Error {
  constructor(readonly problem: CameraProblem) {
    super(`camera: ${problem}`);
  }
}

/** The front camera (as `ideal`: phones with one camera still work) with the microphone. */
export async function openFrontCamera(): Promise<MediaStream> {
  if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) throw new CameraError('insecure');
  try {
    return await navigator.mediaDevices.getUserMedia({
      video: { facingMode: { ideal: 'user' }, width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 15 } },
      audio: { echoCancellation: true, noiseSuppression: false },
    });
  } catch (e) {
    const f = failureOf(e);
    throw new CameraError(f === 'permission-denied' ? 'denied' : f);
  }
}
