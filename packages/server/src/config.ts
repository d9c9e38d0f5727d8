// One config schema, parsed once at start. Defaults = SQLite + local disk, nothing else needed.
import { z } from 'zod';
import path from 'node:path';
import os from 'node:os';

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
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis://').optional(),
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
});

export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.S3_ENDPOINT && !e.S3_BUCKET) || (!e.S3_ENDPOINT && e.S3_BUCKET))
    throw new ConfigError('Invalid configuration:\n  S3_ENDPOINT and S3_BUCKET must be set together');
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
    trustProxy: e.TRUST_PROXY.split(',').map((x) => x.trim()).filter(Boolean),
    auditHmacKey: e.AUDIT_HMAC_KEY ?? null,
    assemblyConcurrency: e.ASSEMBLY_CONCURRENCY ?? Math.max(2, os.availableParallelism()),
  };
}
