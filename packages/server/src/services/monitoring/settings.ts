// Live monitoring settings: ICE servers for the proctor's live view and the thumbnail limits (config.ts reads them).
import { z } from 'zod';
import type { IceServer } from '@invigil/contracts';

export const IceServers = z.array(
  z.object({
    urls: z.union([z.string().regex(/^(stun|stuns|turn|turns):/), z.array(z.string().regex(/^(stun|stuns|turn|turns):/)).min(1)]),
    username: z.string().optional(),
    credential: z.string().optional(),
  }),
);

export interface MonitoringSettings {
  iceServers: IceServer[];
  thumbMaxBytes: number;
  /** Fewest milliseconds between two thumbnails of one candidate that are passed on (protects the proctors). */
  thumbMinIntervalMs: number;
}

export const defaultMonitoringSettings = (): MonitoringSettings => ({ iceServers: [], thumbMaxBytes: 64 * 1024, thumbMinIntervalMs: 1000 });

// ICE_SERVERS and MONITOR_THUMB_MAX_KB are read by config.ts with every other variable.
export { monitoringSettingsFromEnv, ConfigError as MonitoringConfigError } from '../../config.ts';
