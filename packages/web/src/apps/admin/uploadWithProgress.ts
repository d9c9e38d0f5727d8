// Multipart upload with progress. fetch() cannot report upload progress, so this one request uses XHR;
// errors come back as the same ApiError (code, translated message, details) as every other call.
import i18n from '../../i18n/index.ts';
import { ApiError } from '../../api/client.ts';

export function uploadWithProgress<T>(url: string, file: File, onProgress: (percent: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept-language', i18n.language || 'zh-CN');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', i18n.t('common.networkError')));
    xhr.onload = () => {
      let data: { error?: { code?: string; message?: string; details?: unknown } } | undefined;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      const e = data?.error;
      reject(new ApiError(xhr.status, (e?.code ?? 'INTERNAL') as ApiError['code'], e?.message ?? xhr.statusText, e?.details));
    };
    const body = new FormData();
    body.append('file', file, file.name);
    xhr.send(body);
  });
}
