// Errors of the use cases: a code from the one registry (packages/contracts/src/errors.ts) with its parameters
// and optional details for the client. A service does not know whether HTTP or a socket called it; the edge
// decides how a code is answered (http/errors.ts maps it to a status and a body in the caller's language).
import type { ErrorCode } from '@invigil/contracts';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly details?: unknown,
  ) {
    super(`${code} ${JSON.stringify(params)}`);
  }
}

export const notFound = () => new AppError('NOT_FOUND');
export const forbidden = () => new AppError('FORBIDDEN');
