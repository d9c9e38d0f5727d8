// One error parser for every way the web app talks HTTP, and the typed client's URLs, against a stubbed fetch.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { routes } from '@invigil/contracts';
import { readErrorBody } from '../src/api/errors.ts';
import { httpRecordingApi, UploadError } from '../src/media/protocol.ts';

afterEach(() => vi.unstubAllGlobals());

function answer(status: number, body: string) {
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) => new Response(body, { status, statusText: `status ${status}` }));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

describe('readErrorBody', () => {
  it('reads the envelope, and nothing else', () => {
    expect(readErrorBody(JSON.stringify({ error: { code: 'STORAGE_FULL', message: '服务器存储空间不足', details: { free: 0 } } }))).toEqual({ code: 'STORAGE_FULL', message: '服务器存储空间不足', details: { free: 0 } });
    expect(readErrorBody(JSON.stringify({ error: { code: 'X', message: 'm' } }))).toEqual({ code: 'X', message: 'm' });
    expect(readErrorBody('<html>502 Bad Gateway</html>')).toBeNull();
    expect(readErrorBody('{"error":{"code":4')).toBeNull(); // cut off
    expect(readErrorBody('')).toBeNull();
    expect(readErrorBody(JSON.stringify({ error: 'nope' }))).toBeNull();
    expect(readErrorBody(JSON.stringify({ error: { code: 1, message: 'm' } }))).toBeNull();
  });
});

describe('the segment upload protocol over HTTP', () => {
  it('calls the routes of the table with the right method and encoded ids', async () => {
    const fetch = answer(200, JSON.stringify({ seq: 7, sha256: 'ab', duplicate: false }));
    const api = httpRecordingApi({ baseUrl: 'http://x' });
    await api.putSegment('rec/1', { seq: 7, run: 0, sha256: 'ab', recordedAt: 1.4, durationMs: 2999.6, blob: new Blob(['b']) });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('http://x/api/recordings/rec%2F1/segments/7');
    expect(init!.method).toBe(routes.putSegment.method);
    expect(init!.headers).toMatchObject({ 'x-segment-sha256': 'ab', 'x-segment-run': '0', 'x-segment-recorded-at': '1', 'x-segment-duration-ms': '3000' });
    answer(200, '{}');
    await api.open('att-1', 'camera', 'video/webm');
    expect(vi.mocked(globalThis.fetch).mock.calls[0]![0]).toBe('http://x/api/attempts/att-1/recordings');
  });

  it('turns the server envelope into the code the uploader acts on (507 keep, 404 reopen, 409 conflict)', async () => {
    const api = httpRecordingApi();
    for (const [status, code] of [
      [507, 'STORAGE_FULL'],
      [404, 'NOT_FOUND'],
      [409, 'SEGMENT_CONFLICT'],
      [422, 'SEGMENT_HASH_MISMATCH'],
    ] as const) {
      answer(status, JSON.stringify({ error: { code, message: `m${status}` } }));
      await expect(api.state('r1')).rejects.toMatchObject({ status, code, message: `m${status}` });
    }
  });

  it('a proxy error page still fails by its status; a cut-off success is a network failure (retried)', async () => {
    const api = httpRecordingApi();
    answer(502, '<html>Bad Gateway</html>');
    await expect(api.state('r1')).rejects.toMatchObject({ status: 502, code: 'HTTP_502' });
    answer(200, '{"id":"r1","segm');
    const e = await api.state('r1').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UploadError);
    expect((e as UploadError).isNetwork).toBe(true);
  });
});
