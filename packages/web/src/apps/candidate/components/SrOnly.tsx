// Text for screen readers only (live announcements of countdowns and state changes), invisible on screen.
import type { ReactNode } from 'react';

const STYLE: React.CSSProperties = { position: 'absolute', width: 1, height: 1, padding: 0, margin: -1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap', border: 0 };

export function LiveAnnouncement({ children, testId, assertive }: { children: ReactNode; testId?: string; assertive?: boolean }) {
  return (
    <div role={assertive ? 'alert' : 'status'} aria-live={assertive ? 'assertive' : 'polite'} aria-atomic="true" style={STYLE} data-testid={testId}>
      {children}
    </div>
  );
}
