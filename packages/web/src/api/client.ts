// The typed API client: `call(routes.x, { params, query, body })` with the request and response types derived from
// the route table in contracts (packages/contracts/src/api.ts, proved against the server by
// packages/server/test/api-routes.test.ts). JSON in/out, cookies, the user's language, and errors as ApiError with
// the server's stable code and its already-translated message.
import { errorCodes, errorMessage, pathOf, type ApiRoute, type BodyOf, type ErrorCode, type PathParams, type QueryOf, type ResponseOf } from '@invigil/contracts';
import i18n from '../i18n/index.ts';
import { readErrorBody } from './errors.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * The error's message in the page's current language. The server answered in the language of the moment of the
 * request; a candidate who switches language afterwards should not keep reading the other one. A message with
 * values filled in ({seconds} …) stays as the server wrote it.
 */
export function messageIn(e: ApiError, lang: string): string {
  if (e.code === 'NETWORK' || !(e.code in errorCodes)) return e.message;
  const l = lang === 'en' ? 'en' : 'zh-CN';
  const template: string = errorCodes[e.code][l];
  return template.includes('{') ? e.message : errorMessage(e.code, l);
}

/** An ApiError from a failed response's status and body: the envelope's code and message, else the status. */
export function apiErrorOf(status: number, statusText: string, body: string): ApiError {
  const e = readErrorBody(body);
  return new ApiError(status, (e?.code ?? 'INTERNAL') as ErrorCode, e?.message ?? statusText, e?.details);
}

async function request<T>(method: string, url: string, body?: unknown, init: RequestInit = {}): Promise<T> {
  const headers: Record<string, string> = { 'accept-language': i18n.language || 'zh-CN' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin', ...init });
  } catch {
    throw new ApiError(0, 'NETWORK', i18n.t('common.networkError'));
  }
  const text = await res.text();
  if (!res.ok) throw apiErrorOf(res.status, res.statusText, text);
  return (text ? JSON.parse(text) : undefined) as T;
}

type HasKeys<T> = keyof T extends never ? false : true;
/** What a call of route R needs: its path's parameters, its query (optional) and its body, each only if it has one. */
export type CallInput<R extends ApiRoute> = (HasKeys<PathParams<R['path']>> extends true ? { params: PathParams<R['path']> } : { params?: never }) &
  (R['query'] extends object ? { query?: QueryOf<R> } : { query?: never }) &
  (R['body'] extends object ? { body: BodyOf<R> } : { body?: never });

/** The URL of a route (for an <img src>, a download link, or a request made another way). */
export function urlOf<R extends ApiRoute>(r: R, input: { params?: PathParams<R['path']>; query?: QueryOf<R> }): string {
  const path = pathOf(r, (input.params ?? {}) as PathParams<R['path']>);
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries((input.query ?? {}) as Record<string, unknown>)) if (v !== undefined && v !== null) q.set(k, String(v));
  const qs = q.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Calls a route of the table; the answer is typed by the route's response schema. */
export function call<R extends ApiRoute>(r: R, ...[input]: Record<never, never> extends CallInput<R> ? [CallInput<R>?] : [CallInput<R>]): Promise<ResponseOf<R>> {
  const i = (input ?? {}) as CallInput<R>;
  // A POST without a body still sends {} (the server's JSON parser wants a body with the JSON content type).
  const body = i.body ?? (r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
  return request<ResponseOf<R>>(r.method, urlOf(r, i as { params?: PathParams<R['path']>; query?: QueryOf<R> }), body);
}
