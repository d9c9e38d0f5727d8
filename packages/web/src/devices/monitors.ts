// Single-monitor check. `screen.isExtended` (Chromium) is true when more than one display is attached;
// where it is missing we cannot know, and say so rather than pretend.
interface ExtendedScreen extends Screen {
  isExtended?: boolean;
  addEventListener(type: 'change', fn: () => void): void;
  removeEventListener(type: 'change', fn: () => void): void;
}

const scr = () => screen as ExtendedScreen;

/** true: one monitor; false: more than one; null: this browser cannot tell. */
export function singleMonitor(): boolean | null {
  const ext = scr().isExtended;
  return typeof ext === 'boolean' ? !ext : null;
}

/** Calls fn when a display is attached or removed (Chromium fires `change` on screen). */
export function onMonitorsChange(fn: (single: boolean | null) => void): () => void {
  const h = () => fn(singleMonitor());
  if (typeof scr().addEventListener !== 'function') return () => undefined;
  scr().addEventListener('change', h);
  return () => scr().removeEventListener('change', h);
}
