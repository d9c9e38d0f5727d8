// The camera of the face login step: opened only after the consent screen (never before), shared by the
// capture and the manual-verification screens so switching between them does not blink the camera, and
// shown mirrored (people expect a mirror) with an oval face guide over it.
import { forwardRef, useEffect, useRef, useState, type ReactNode } from 'react';
import { openCamera, stopStream } from '../../../devices/camera.ts';
import { MediaDeviceError, type DeviceFailure } from '../../../devices/errors.ts';

export interface FaceCameraState {
  stream: MediaStream | null;
  error: DeviceFailure | null;
  /** Try to open the camera again (after the candidate fixed a permission or closed another program). */
  reopen: () => void;
}

/** Opens the camera while `enabled`, stops it when disabled or unmounted. */
export function useFaceCamera(enabled: boolean): FaceCameraState {
  const [state, setState] = useState<Omit<FaceCameraState, 'reopen'>>({ stream: null, error: null });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    let gone = false;
    let opened: MediaStream | null = null;
    openCamera().then(
      (s) => {
        if (gone) return stopStream(s);
        opened = s;
        setState({ stream: s, error: null });
      },
      (e) => !gone && setState({ stream: null, error: e instanceof MediaDeviceError ? e.reason : 'error' }),
    );
    return () => {
      gone = true;
      stopStream(opened);
      setState({ stream: null, error: null });
    };
  }, [enabled, round]);
  return { ...state, reopen: () => setRound((n) => n + 1) };
}

export type GuideTone = 'neutral' | 'good' | 'warn' | 'active';

const TONE: Record<GuideTone, string> = { neutral: '#ffffff', good: '#52c41a', warn: '#faad14', active: '#1677ff' };

export interface FaceCameraViewProps {
  stream: MediaStream | null;
  tone: GuideTone;
  label: string;
  /** Shown over the bottom of the picture (the current hint or the challenge). */
  caption?: ReactNode;
  width?: number;
}

/** The live picture with the face guide. The ref is the <video>, for reading and capturing frames. */
export const FaceCameraView = forwardRef<HTMLVideoElement, FaceCameraViewProps>(function FaceCameraView({ stream, tone, label, caption, width = 480 }, ref) {
  const own = useRef<HTMLVideoElement | null>(null);
  useEffect(() => {
    if (own.current && own.current.srcObject !== stream) own.current.srcObject = stream;
  }, [stream]);
  const height = Math.round((width * 3) / 4);
  const colour = TONE[tone];
  return (
    <div style={{ position: 'relative', width, height, borderRadius: 8, overflow: 'hidden', background: '#1f2430', flex: 'none' }} data-testid="face-camera" data-tone={tone}>
      <video
        ref={(v) => {
          own.current = v;
          if (typeof ref === 'function') ref(v);
          else if (ref) ref.current = v;
        }}
        autoPlay
        muted
        playsInline
        aria-label={label}
        style={{ width: '100%', height: '100%', objectFit: 'cover', transform: 'scaleX(-1)' }}
      />
      {/* The guide dims everything outside an upright oval where the face should be. */}
      <svg viewBox="0 0 400 300" preserveAspectRatio="none" aria-hidden style={{ position: 'absolute', inset: 0, width: '100%', height: '100%' }}>
        <defs>
          <mask id="face-guide-hole">
            <rect width="400" height="300" fill="white" />
            <ellipse cx="200" cy="140" rx="82" ry="108" fill="black" />
          </mask>
        </defs>
        <rect width="400" height="300" fill="rgba(0,0,0,0.45)" mask="url(#face-guide-hole)" />
        <ellipse cx="200" cy="140" rx="82" ry="108" fill="none" stroke={colour} strokeWidth="3" strokeDasharray={tone === 'neutral' ? '8 6' : undefined} />
      </svg>
      {caption && (
        <div
          style={{ position: 'absolute', left: 0, right: 0, bottom: 0, padding: '8px 12px', background: 'rgba(0,0,0,0.6)', color: '#fff', fontSize: 15, textAlign: 'center' }}
          data-testid="face-camera-caption"
        >
          {caption}
        </div>
      )}
    </div>
  );
});
