// Media-device failures as a typed reason the UI can explain (LiveKit's habit): the browser's DOMException
// names differ between browsers and versions; the candidate only needs to know what to do next.
export type DeviceFailure = 'permission-denied' | 'not-found' | 'in-use' | 'error';

/** The DeviceCheck contract's vocabulary (stored for support staff). */
export type DeviceCheckResult = 'ok' | 'denied' | 'not-found' | 'in-use' | 'error';

export class MediaDeviceError extends Error {
  constructor(
    readonly reason: DeviceFailure,
    readonly kind: 'camera' | 'microphone' | 'screen',
    override readonly cause?: unknown,
  ) {
    super(`${kind}: ${reason}`);
  }
}

export function failureOf(err: unknown): DeviceFailure {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'permission-denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'not-found';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'in-use';
    default:
      return 'error';
  }
}

export function checkResultOf(f: DeviceFailure | null): DeviceCheckResult {
  if (f === null) return 'ok';
  return f === 'permission-denied' ? 'denied' : f;
}
