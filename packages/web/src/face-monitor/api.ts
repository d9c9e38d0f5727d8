// The monitor's two routes (owned by the server side of issue #19): its config for the candidate's own attempt.
// The batches are POSTed by the worker itself (worker.ts), with the same cookie.
import { MonitorRules } from '@invigil/contracts';
import { z } from 'zod';
import type { MonitorConfig } from './monitor.ts';

export const MONITOR_CONFIG_URL = '/api/attempt/monitor/config';
export const MONITOR_POST_URL = '/api/attempt/monitor';

const Config = z.object({ on: z.boolean(), rules: MonitorRules, reference: z.array(z.number()).nullable(), sampleHz: z.number() });

export async function fetchMonitorConfig(): Promise<MonitorConfig> {
  const res = await fetch(MONITOR_CONFIG_URL, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`monitor config: ${res.status}`);
  return Config.parse(await res.json()) as MonitorConfig;
}
