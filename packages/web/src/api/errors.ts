// The server's error envelope (contracts ErrorBody: { error: { code, message, details } }), read in one place for
// every way the web app talks HTTP: fetch (api/client.ts), the segment upload (media/protocol.ts) and XHR uploads
// with progress (api/upload.ts). No UI import: the phone page's uploader uses it too.
import type { ErrorBody } from '@invigil/contracts';

export type ErrorEnvelope = Omit<ErrorBody['error'], 'code'> & { code: string };

/**
 * The envelope in a response body, or null when the body is not one (empty, cut off mid-response, a proxy's
 * HTML error page): then the caller has only the HTTP status to go on.
 */
export function readErrorBody(text: string): ErrorEnvelope | null {
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    return null;
  }
  const e = (data as { error?: unknown } | undefined)?.error;
  if (!e || typeof e !== 'object') return null;
  const { code, message, details } = e as Record<string, unknown>;
  if (typeof code !== 'string' || typeof message !== 'string') return null;
  return details === undefined ? { code, message } : { code, message, details };
}
