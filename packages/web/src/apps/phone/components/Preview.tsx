// The camera preview on the phone, mirrored like a selfie so turning left moves the picture left.
import { useEffect, useRef } from 'react';

export function Preview({ stream, height = 240, badge }: { stream: MediaStream | null; height?: number | string; badge?: React.ReactNode }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  return (
    <div style={{ position: 'relative', background: '#111', borderRadius: 8, overflow: 'hidden', height }}>
      <video ref={ref} autoPlay muted playsInline data-testid="phone-preview" style={{ width: '100%', height: '100%', objectFit: 'cover', transform: 'scaleX(-1)' }} />
      {badge && <div style={{ position: 'absolute', top: 8, left: 8 }}>{badge}</div>}
    </div>
  );
}

export function RecBadge({ label }: { label: string }) {
  return (
    <span data-testid="rec-badge" style={{ display: 'inline-flex', alignItems: 'center', gap: 6, background: 'rgba(0,0,0,.55)', color: '#fff', borderRadius: 12, padding: '2px 10px', fontSize: 13 }}>
      <span style={{ width: 10, height: 10, borderRadius: 5, background: '#f5222d', animation: 'invigil-blink 1s steps(2) infinite' }} />
      {label}
      <style>{'@keyframes invigil-blink{50%{opacity:.2}}'}</style>
    </span>
  );
}
