// Blob store on any S3-compatible service (AWS, MinIO, Ceph…). A Buffer goes up in one PutObject; a stream
// (an assembled recording of unknown length) goes up as a multipart upload. S3 acknowledges a PUT only once
// the object is stored, so no extra durability step is needed here.
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BlobNotFoundError, BlobStorageFullError, verifySha256, type BlobInfo, type BlobStore, type ByteRange, type PutOptions } from './port.ts';
import { keyOfRef, tagRef, checkKey } from './keys.ts';

export interface S3BlobConfig {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
}

const status = (e: unknown) => (e as S3ServiceException)?.$metadata?.httpStatusCode;
const isMissing = (e: unknown) => status(e) === 404 || ['NoSuchKey', 'NotFound'].includes((e as Error)?.name);
// MinIO and Ceph answer 507 / XMinioStorageFull when their disks are full; AWS never does.
const isFull = (e: unknown) => status(e) === 507 || /StorageFull|InsufficientStorage/.test((e as Error)?.name ?? '');

export class S3BlobStore implements BlobStore {
  readonly backend = 's3' as const;
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  static fromConfig(cfg: S3BlobConfig): S3BlobStore {
    const client = new S3Client({
      endpoint: cfg.endpoint,
      region: cfg.region,
      forcePathStyle: true, // self-hosted S3 (MinIO…) rarely has wildcard DNS for virtual-host buckets
      // Checksums only when the API requires them: several S3-compatible servers reject the newer headers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(cfg.accessKeyId && cfg.secretAccessKey ? { credentials: { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey } } : {}),
    });
    return new S3BlobStore(client, cfg.bucket);
  }

  async put(key: string, body: Buffer | Readable, opts: PutOptions = {}): Promise<{ ref: string; bytes: number }> {
    checkKey(key);
    verifySha256(body, opts.sha256);
    try {
      if (Buffer.isBuffer(body)) {
        await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentLength: body.length, ContentType: opts.contentType }));
        return { ref: tagRef('s3', key), bytes: body.length };
      }
      let bytes = 0;
      const counted = Readable.from(
        (async function* () {
          for await (const chunk of body) {
            bytes += (chunk as Buffer).length;
            yield chunk as Buffer;
          }
        })(),
      );
      await new Upload({ client: this.client, params: { Bucket: this.bucket, Key: key, Body: counted, ContentType: opts.contentType } }).done();
      return { ref: tagRef('s3', key), bytes };
    } catch (e) {
      if (isFull(e)) throw new BlobStorageFullError(`S3 storage full for ${key}`, { cause: e });
      throw e;
    }
  }

  async get(ref: string, range?: ByteRange): Promise<Readable> {
    const Key = keyOfRef('s3', ref);
    try {
      const Range = range ? `bytes=${range.start}-${range.end ?? ''}` : undefined;
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key, Range }));
      return res.Body as Readable;
    } catch (e) {
      if (isMissing(e)) throw new BlobNotFoundError(ref);
      throw e;
    }
  }

  async head(ref: string): Promise<BlobInfo | null> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: keyOfRef('s3', ref) }));
      return { bytes: res.ContentLength ?? 0 };
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async delete(ref: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: keyOfRef('s3', ref) }));
  }

  /** An S3 PUT that answered 200 is stored: nothing is pending here. */
  async flush(_prefix: string): Promise<void> {}

  async *list(prefix: string): AsyncIterable<string> {
    let ContinuationToken: string | undefined;
    do {
      const res = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken }));
      for (const o of res.Contents ?? []) if (o.Key) yield o.Key;
      ContinuationToken = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }
}
