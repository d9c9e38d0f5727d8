// Typed fetch wrapper: JSON in/out, cookies, the user's language, and errors as ApiError with the
// server's stable code and its already-translated message.
import type { ErrorCode } from '@invigil/contracts';
import i18n from '../i18n/index.ts';

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

export async function api<T>(method: string, url: string, body?: unknown, init: RequestInit = {}): Promise<T> {
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
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const e = data?.error;
    throw new ApiError(res.status, e?.code ?? 'INTERNAL', e?.message ?? res.statusText, e?.details);
  }
  return data as T;
}

export const get = <T>(url: string) => api<T>('GET', url);
export const post = <T>(url: string, body?: unknown) => api<T>('POST', url, body ?? {});
export const put = <T>(url: string, body?: unknown) => api<T>('PUT', url, body ?? {});
export const patch = <T>(url: string, body?: unknown) => api<T>('PATCH', url, body ?? {});
export const del = <T>(url: string) => api<T>('DELETE', url);
