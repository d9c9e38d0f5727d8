// Errors raised anywhere in the server carry a registry code; the HTTP edge turns them into
// `{"error":{"code","message"}}` in the caller's language.
import { errorCodes, errorMessage, type ErrorCode, type Lang } from '@invigil/contracts';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly details?: unknown,
  ) {
    super(`${code} ${JSON.stringify(params)}`);
  }
  get status(): number {
    return errorCodes[this.code].status;
  }
  body(lang: Lang) {
    return { error: { code: this.code, message: errorMessage(this.code, lang, this.params), ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export const notFound = () => new AppError('NOT_FOUND');
export const forbidden = () => new AppError('FORBIDDEN');
