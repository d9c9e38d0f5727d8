// One config schema, parsed once at start, for every variable the server reads (README's table lists them).
// Defaults = SQLite + local disk, nothing else needed. A bad value stops the server with the variable named.
import { z } from 'zod';
import path from 'node:path';
import os from 'node:os';
import { FaceSettings } from './services/face/settings.ts';
import { ProofSettings } from './services/proof/settings.ts';
import { IceServers, defaultMonitoringSettings, type MonitoringSettings } from './services/monitoring/settings.ts';

const Bool = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// (leave it unset for SQLite)')
    .optional(),
  PUBLIC_URL: z.string().url().optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis://')
    .optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  HTTPS: z.enum(['off', 'selfsigned']).default('off'),
  HTTPS_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** A candidate's live client counts as gone after this much silence (crash → resume elsewhere). */
  HEARTBEAT_TIMEOUT_SEC: z.coerce.number().int().min(5).max(3600).default(45),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  COOKIE_SECURE: Bool.default(false),
  WEB_DIST: z.string().optional(),
  /** Comma-separated addresses (or CIDRs) of reverse proxies whose X-Forwarded-For is believed; default none. */
  TRUST_PROXY: z.string().default(''),
  /** Key of the audit chain's HMAC; generated once into DATA_DIR/audit.key when unset. */
  AUDIT_HMAC_KEY: z.string().min(16).optional(),
  /** Recordings assembled at once by this process (ffmpeg children at low priority); default: the core count, at least 2. */
  ASSEMBLY_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  /** Requests every candidate sends at the same moment (recording opens, finalizes) served at once; the rest wait their turn. */
  BULK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** Where Human's tfjs wasm binaries are, when not in node_modules. */
  FACE_WASM_DIR: z.string().optional(),
  /** Face model worker threads (~230 MB each, niced below the server); default 2, 1 on a single core. */
  FACE_WORKERS: z.coerce.number().int().min(1).max(32).optional(),
});

/** Settings of a feature, each field from its own variable; range checks live in the feature's schema. */
const FACE_ENV: Record<keyof FaceSettings, string> = {
  threshold: 'FACE_THRESHOLD',
  triesLimit: 'FACE_TRIES',
  minAntispoof: 'FACE_MIN_ANTISPOOF',
  minLiveness: 'FACE_MIN_LIVENESS',
  minFaceScore: 'FACE_MIN_SCORE',
  minFacePx: 'FACE_MIN_PX',
  minTurnDeg: 'FACE_MIN_TURN_DEG',
  minSameFace: 'FACE_MIN_SAME_FACE',
  challengeTtlSec: 'FACE_CHALLENGE_TTL_SEC',
  checkMissesToFlag: 'FACE_CHECK_MISSES',
  retentionDays: 'FACE_RETENTION_DAYS',
};
const PROOF_ENV: Record<keyof ProofSettings, string> = {
  bindCodeTtlSec: 'PROOF_BIND_CODE_TTL_SEC',
  bindRateLimit: 'PROOF_BIND_RATE_LIMIT',
  staleSec: 'PROOF_STALE_SEC',
  silenceFlagSec: 'PROOF_SILENCE_FLAG_SEC',
  uploadDeadlineSec: 'PROOF_UPLOAD_DEADLINE_SEC',
  roomScanMinSec: 'PROOF_ROOM_SCAN_SEC',
  heartbeatSec: 'PROOF_HEARTBEAT_SEC',
};

function section<S extends z.ZodObject>(schema: S, names: Record<string, string>, env: Record<string, string | undefined>): z.infer<S> {
  const raw: Record<string, number> = {};
  for (const [key, name] of Object.entries(names)) if (env[name] !== undefined && env[name] !== '') raw[key] = Number(env[name]);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const name = names[String(i.path[0])]!;
    throw new ConfigError(`Invalid configuration:\n  ${name}: ${i.message} (got ${JSON.stringify(env[name])})`);
  }
  return parsed.data;
}

export const faceSettingsFromEnv = (env: Record<string, string | undefined> = process.env): FaceSettings => section(FaceSettings, FACE_ENV, env);
export const proofSettingsFromEnv = (env: Record<string, string | undefined> = process.env): ProofSettings => section(ProofSettings, PROOF_ENV, env);

/**
 * ICE_SERVERS: JSON array of RTCIceServer, e.g. [{"urls":"stun:stun.example.org:3478"},
 * {"urls":"turn:turn.example.org:3478","username":"u","credential":"p"}]. Default none: host candidates only,
 * which is enough on a LAN or loopback. MONITOR_THUMB_MAX_KB: largest thumbnail accepted from a candidate.
 */
export function monitoringSettingsFromEnv(env: Record<string, string | undefined> = process.env): MonitoringSettings {
  const s = defaultMonitoringSettings();
  if (env.ICE_SERVERS) {
    let raw: unknown;
    try {
      raw = JSON.parse(env.ICE_SERVERS);
    } catch {
      throw new ConfigError('ICE_SERVERS is not valid JSON (expected an array like [{"urls":"stun:host:3478"}])');
    }
    const parsed = IceServers.safeParse(raw);
    if (!parsed.success) throw new ConfigError(`ICE_SERVERS: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}`);
    s.iceServers = parsed.data;
  }
  if (env.MONITOR_THUMB_MAX_KB) {
    const kb = Number(env.MONITOR_THUMB_MAX_KB);
    if (!Number.isInteger(kb) || kb < 4 || kb > 1024) throw new ConfigError('MONITOR_THUMB_MAX_KB must be an integer between 4 and 1024');
    s.thumbMaxBytes = kb * 1024;
  }
  return s;
}

export type Config = ReturnType<typeof loadConfig>;

/** Every environment variable the server reads (the README's configuration table lists exactly these). */
export const CONFIG_VARIABLES: string[] = [...Object.keys(EnvSchema.shape), ...Object.values(FACE_ENV), ...Object.values(PROOF_ENV), 'ICE_SERVERS', 'MONITOR_THUMB_MAX_KB'];

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.S3_ENDPOINT && !e.S3_BUCKET) || (!e.S3_ENDPOINT && e.S3_BUCKET)) throw new ConfigError('Invalid configuration:\n  S3_ENDPOINT and S3_BUCKET must be set together');
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL ? ({ kind: 'postgres', url: e.DATABASE_URL } as const) : ({ kind: 'sqlite', file: path.join(dataDir, 'invigil.db') } as const),
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, '') ?? null,
    redisUrl: e.REDIS_URL ?? null,
    blob: e.S3_ENDPOINT
      ? ({ kind: 's3', endpoint: e.S3_ENDPOINT, bucket: e.S3_BUCKET!, region: e.S3_REGION, accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY } as const)
      : ({ kind: 'local', root: path.join(dataDir, 'blobs') } as const),
    https: e.HTTPS,
    httpsPort: e.HTTPS_PORT,
    logLevel: e.LOG_LEVEL,
    heartbeatTimeoutMs: e.HEARTBEAT_TIMEOUT_SEC * 1000,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    cookieSecure: e.COOKIE_SECURE,
    webDist: e.WEB_DIST ? path.resolve(e.WEB_DIST) : null,
    trustProxy: e.TRUST_PROXY.split(',')
      .map((x) => x.trim())
      .filter(Boolean),
    auditHmacKey: e.AUDIT_HMAC_KEY ?? null,
    assemblyConcurrency: e.ASSEMBLY_CONCURRENCY ?? Math.max(2, os.availableParallelism()),
    bulkConcurrency: e.BULK_CONCURRENCY,
    faceWasmDir: e.FACE_WASM_DIR || null,
    faceWorkers: e.FACE_WORKERS ?? null,
    face: faceSettingsFromEnv(env),
    proof: proofSettingsFromEnv(env),
    monitoring: monitoringSettingsFromEnv(env),
  };
}
