// Full screen from 【进入待考】 to the end: asked for inside the click (browsers allow it only then), remembered
// for this tab so a later exit can be pointed out with a one-click way back. Exits themselves are reported by
// the SignalReporter ('fullscreen-exit'); this module only asks and answers "should we be full screen now?".
import { useEffect, useState } from 'react';

const WANTED_KEY = 'invigil.fullscreenWanted';

/** Must run synchronously inside a click handler. Resolves to false when the browser refused. */
export async function enterFullscreen(): Promise<boolean> {
  sessionStorage.setItem(WANTED_KEY, '1');
  if (document.fullscreenElement) return true;
  try {
    await document.documentElement.requestFullscreen({ navigationUI: 'hide' });
    return true;
  } catch {
    return false;
  }
}

export function fullscreenWanted(): boolean {
  return sessionStorage.getItem(WANTED_KEY) === '1';
}

export function useIsFullscreen(): boolean {
  const [on, setOn] = useState(() => !!document.fullscreenElement);
  useEffect(() => {
    const f = () => setOn(!!document.fullscreenElement);
    document.addEventListener('fullscreenchange', f);
    return () => document.removeEventListener('fullscreenchange', f);
  }, []);
  return on;
}
