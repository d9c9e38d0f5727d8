// JSON bodies nested deeper than any of our schemas go are refused before parsing: a few kilobytes of `[[[[…`
// overflowed the stack in validation and answered 500 (issue #13). Parsing itself stays Fastify's own
// (prototype-poisoning checks included).
import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.ts';

export const MAX_JSON_DEPTH = 32;

/** Nesting depth of a JSON text, strings skipped; stops counting once past `limit`. */
export function jsonDepthExceeds(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

export function registerJsonDepthGuard(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (jsonDepthExceeds(body as string)) return done(new AppError('VALIDATION_FAILED', { detail: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` }), undefined);
    parse(req, body as string, done);
  });
}
