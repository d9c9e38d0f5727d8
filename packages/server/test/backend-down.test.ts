// A backing service that is down answers 503 SERVICE_UNAVAILABLE (retried by the browser), not 500: the
// classifier is fed the errors the real clients throw when PostgreSQL or the S3 store cannot be reached.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { isBackendDown, isStorageFull } from '../src/http/health.ts';
import { S3BlobStore } from '../src/adapters/blob/s3.ts';
import { errorCodes } from '@invigil/contracts';

async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

describe('isBackendDown', () => {
  it('knows PostgreSQL that does not answer (the pg client’s own error)', async () => {
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 2000 });
    const err = await thrown(client.connect());
    expect(isBackendDown(err)).toBe(true);
  });

  it('knows an S3 store that does not answer (the AWS SDK’s own error)', async () => {
    const store = S3BlobStore.fromConfig({ endpoint: 'http://127.0.0.1:1', region: 'us-east-1', bucket: 'b', accessKeyId: 'a', secretAccessKey: 'b' });
    const err = await thrown(store.put('recordings/x/segments/0000000-aa.webm', Buffer.from('x')));
    expect(isBackendDown(err)).toBe(true);
  }, 30_000);

  it('knows PostgreSQL shutting down or starting (SQLSTATE 57P01 / 57P03) and a cause chain', () => {
    expect(isBackendDown(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isBackendDown(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isBackendDown(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }))).toBe(true);
  });

  it('is not fooled by ordinary failures', () => {
    expect(isBackendDown(new Error('boom'))).toBe(false);
    expect(isBackendDown(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isBackendDown(null)).toBe(false);
    expect(isStorageFull({ code: 'ECONNREFUSED' })).toBe(false);
  });

  it('has its code: 503 with a message in both languages', () => {
    expect(errorCodes.SERVICE_UNAVAILABLE.status).toBe(503);
    expect(errorCodes.SERVICE_UNAVAILABLE['zh-CN']).toMatch(/自动重试/);
  });
});
