// The monitor's routes (server side of issue #19): its config for the candidate's own attempt; the batches are
// POSTed by the worker itself (worker.ts) to routes.monitorBatch, with the same cookie.
import { pathOf, routes, type MonitorConfig } from '@invigil/contracts';
import { call } from '../api/client.ts';

export const MONITOR_POST_URL = pathOf(routes.monitorBatch, {});

export function fetchMonitorConfig(): Promise<MonitorConfig> {
  return call(routes.monitorConfig);
}
