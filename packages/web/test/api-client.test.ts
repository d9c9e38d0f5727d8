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
    expect(readErrorBody(JSON.stringify({ error: { code: 'STORAGE_FULL', message: '服务器存储空间不足', details: { free: 0 } } }))).toEqual({
      code: 'STORAGE_FULL',
      message: '服务器存储空间不足',
      details: { free: 0 },
    });
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

describe('the typed client (call, urlOf)', () => {
  it('builds the URLs the candidate, review and readiness screens use, ids encoded', async () => {
    const { urlOf } = await import('../src/api/client.ts');
    expect(urlOf(routes.readinessExport, { params: { id: 's 1', format: 'csv' }, query: { filter: 'not-done' } })).toBe('/api/sessions/s%201/readiness.csv?filter=not-done');
    expect(urlOf(routes.resultsExport, { params: { id: 's1' }, query: { format: 'xlsx' } })).toBe('/api/sessions/s1/results/export?format=xlsx');
    expect(urlOf(routes.practiceRecording, { params: { recordingId: 'r/1' } })).toBe('/api/attempt/practice/recordings/r%2F1/file');
    expect(urlOf(routes.signals, {})).toBe('/api/attempt/events');
    expect(() => urlOf(routes.unlockScore, { params: { id: '' } })).toThrow(/no value for :id/);
  });

  it('sends method, path and JSON body of the route, and answers its parsed body', async () => {
    const { call } = await import('../src/api/client.ts');
    const fetch = answer(200, JSON.stringify({ ok: true }));
    await expect(call(routes.saveScore, { params: { panelId: 'p1', anon: 'A 7' }, body: { marks: { c1: 3 }, comment: '' } })).resolves.toEqual({ ok: true });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/review/panels/p1/candidates/A%207/score');
    expect(init!.method).toBe('PUT');
    expect(JSON.parse(String(init!.body))).toEqual({ marks: { c1: 3 }, comment: '' });
    answer(200, JSON.stringify({ ok: true }));
    await call(routes.ready);
    expect(vi.mocked(globalThis.fetch).mock.calls[0]![1]).toMatchObject({ method: 'POST', body: '{}' });
  });

  it('a refusal is an ApiError with the envelope code and message', async () => {
    const { ApiError, call } = await import('../src/api/client.ts');
    answer(409, JSON.stringify({ error: { code: 'ATTEMPT_ENDED', message: '考试已结束' } }));
    const e = await call(routes.myAttempt).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 409, code: 'ATTEMPT_ENDED', message: '考试已结束' });
  });
});

describe('messageIn', () => {
  it('shows a refusal in the language the page has now, not the one of the request', async () => {
    const { ApiError, messageIn } = await import('../src/api/client.ts');
    const refused = new ApiError(401, 'LOGIN_REFUSED', '考生信息有误，或当前不在登录时间内。');
    expect(messageIn(refused, 'en')).toMatch(/^The candidate details are wrong/);
    expect(messageIn(refused, 'zh-CN')).toBe('考生信息有误，或当前不在登录时间内。');
    // No template for a network failure, and a message with values filled in stays as the server wrote it.
    expect(messageIn(new ApiError(0, 'NETWORK', '网络连接失败'), 'en')).toBe('网络连接失败');
  });
});
