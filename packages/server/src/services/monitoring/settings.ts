// Live monitoring settings from the environment, validated once at start and naming the bad variable.
//   ICE_SERVERS          JSON array of RTCIceServer, e.g. [{"urls":"stun:stun.example.org:3478"},
//                        {"urls":"turn:turn.example.org:3478","username":"u","credential":"p"}].
//                        Default none: host candidates only, which is enough on a LAN or loopback.
//   MONITOR_THUMB_MAX_KB largest thumbnail accepted from a candidate (default 64).
import { z } from 'zod';
import type { IceServer } from '@invigil/contracts';

const IceServers = z.array(
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

export class MonitoringConfigError extends Error {}

export function monitoringSettingsFromEnv(env: Record<string, string | undefined> = process.env): MonitoringSettings {
  const s = defaultMonitoringSettings();
  if (env.ICE_SERVERS) {
    let raw: unknown;
    try {
      raw = JSON.parse(env.ICE_SERVERS);
    } catch {
      throw new MonitoringConfigError('ICE_SERVERS is not valid JSON (expected an array like [{"urls":"stun:host:3478"}])');
    }
    const parsed = IceServers.safeParse(raw);
    if (!parsed.success) throw new MonitoringConfigError(`ICE_SERVERS: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}`);
    s.iceServers = parsed.data;
  }
  if (env.MONITOR_THUMB_MAX_KB) {
    const kb = Number(env.MONITOR_THUMB_MAX_KB);
    if (!Number.isInteger(kb) || kb < 4 || kb > 1024) throw new MonitoringConfigError('MONITOR_THUMB_MAX_KB must be an integer between 4 and 1024');
    s.thumbMaxBytes = kb * 1024;
  }
  return s;
}
