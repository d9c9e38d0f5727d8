// A local S3-compatible server for tests (no cloud credentials, TESTING.md "Services").
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { S3BlobStore } from '../../src/adapters/blob/s3.ts';

export interface TestS3 {
  store: S3BlobStore;
  endpoint: string;
  bucket: string;
  close(): Promise<void>;
}

export async function startTestS3(): Promise<TestS3> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'invigil-s3-'));
  const bucket = 'invigil-test';
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
  const addr = await server.run();
  const endpoint = `http://127.0.0.1:${addr.port}`;
  const store = S3BlobStore.fromConfig({ endpoint, bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
  return {
    store,
    endpoint,
    bucket,
    async close() {
      // The SDK keeps sockets alive; without this close() waits for them forever.
      server.httpServer.closeAllConnections();
      await server.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
