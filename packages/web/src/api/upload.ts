// File upload with progress (multipart or a raw body). fetch() cannot report upload progress, so this one request uses XHR;
// errors come back as the same ApiError (code, translated message, details) as every other call.
import i18n from '../i18n/index.ts';
import type { ApiRoute, PathParams, ResponseOf } from '@invigil/contracts';
import { ApiError, apiErrorOf, urlOf } from './client.ts';

/**
 * A file upload to route R, answered like call(R): a multipart `file` field (routes.importCandidates), or with
 * `rawType` the file itself as the body with that content type (routes.importPhotos takes application/zip).
 */
export function uploadWithProgress<R extends ApiRoute>(r: R, params: PathParams<R['path']>, file: File, onProgress: (percent: number) => void, rawType?: string): Promise<ResponseOf<R>> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(r.method, urlOf(r, { params }));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept-language', i18n.language || 'zh-CN');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', i18n.t('common.networkError')));
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) return reject(apiErrorOf(xhr.status, xhr.statusText, xhr.responseText));
      try {
        resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as ResponseOf<R>);
      } catch {
        reject(new ApiError(0, 'NETWORK', i18n.t('common.networkError')));
      }
    };
    if (rawType) {
      xhr.setRequestHeader('content-type', rawType);
      return xhr.send(file);
    }
    const body = new FormData();
    body.append('file', file, file.name);
    xhr.send(body);
  });
}
