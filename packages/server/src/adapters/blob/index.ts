// Chooses the blob backend from config, once, in main.ts (or a test).
import type { Config } from '../../config.ts';
import { LocalBlobStore } from './local.ts';
import { S3BlobStore } from './s3.ts';
import type { BlobStore } from './port.ts';

export async function createBlobStore(cfg: Config['blob']): Promise<BlobStore> {
  return cfg.kind === 's3' ? S3BlobStore.fromConfig(cfg) : LocalBlobStore.create(cfg.root);
}

export * from './port.ts';
export { BlobKeyError } from './keys.ts';
export { LocalBlobStore, S3BlobStore };
