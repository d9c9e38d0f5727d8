// The HTTP edge of the error registry: a service's AppError becomes a status and
// `{"error":{"code","message"}}` in the caller's language. Services never import this file.
import { errorCodes, errorMessage, type Lang } from '@invigil/contracts';
import { AppError } from '../services/errors.ts';

export { AppError, notFound, forbidden } from '../services/errors.ts';

export const httpStatus = (e: AppError): number => errorCodes[e.code].status;

export function errorBody(e: AppError, lang: Lang) {
  return { error: { code: e.code, message: errorMessage(e.code, lang, e.params), ...(e.details === undefined ? {} : { details: e.details }) } };
}

/** Status and body in one call, for the error handler and the 404 fallback. */
export const httpError = (e: AppError, lang: Lang) => ({ status: httpStatus(e), body: errorBody(e, lang) });
