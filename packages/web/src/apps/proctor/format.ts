// Small display helpers of the console.
import { eventLabel } from '../../i18n/event-labels.ts';

// One formatter for every row: toLocaleTimeString builds a new one per call, and the feed's 500 rows made that 4.5 %
// of the console's main thread under load (bench/console/latency.ts). Same options, same text.
const CLOCK = new Intl.DateTimeFormat('zh-CN', { hour: 'numeric', minute: 'numeric', second: 'numeric', hour12: false });
export const clock = (ms: number) => CLOCK.format(ms);

export function bytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.max(0, Math.round(n / 1024))} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** A flag type in the console's language (contracts/events.ts EVENT_LABELS), or the raw type for a detector this console does not know yet. */
export const flagName = (type: string) => eventLabel(type);

export const SEVERITY_COLOR = { info: 'default', low: 'gold', medium: 'orange', high: 'red' } as const;
export const SEVERITY_BORDER = { info: '#d9d9d9', low: '#fadb14', medium: '#fa8c16', high: '#f5222d' } as const;
