// The web's route table (packages/contracts/src/api.ts) against the live server: every entry is a route with that
// method and path, and its params, query, body and 200 response have the same JSON Schema as the server's own.
// A renamed route, a changed body or a new response field the table does not know fails here, not in a browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { routes, type ApiRoute } from '@invigil/contracts';
import { makeApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeApp('sqlite');
});
afterAll(() => t.cleanup());

/** JSON Schema of a zod schema, as the OpenAPI document describes it (inputs for requests, outputs for answers). */
function json(schema: unknown, io: 'input' | 'output'): unknown {
  if (schema === undefined) return undefined;
  return z.toJSONSchema(schema as z.ZodType, { io, unrepresentable: 'any' });
}

describe('the web route table (contracts/api.ts)', () => {
  const entries = Object.entries(routes) as Array<[string, ApiRoute]>;

  it('names each route once', () => {
    const keys = entries.map(([, r]) => `${r.method} ${r.path}`);
    expect(keys.length).toBe(new Set(keys).size);
  });

  it.each(entries)('%s is the server route with the same schemas', (_name, r) => {
    const live = t.app.routeTable.find((x) => x.method === r.method && x.url === r.path);
    expect(live, `${r.method} ${r.path} is not a server route`).toBeDefined();
    const s = (live!.schema ?? {}) as { params?: unknown; querystring?: unknown; body?: unknown; response?: Record<number, unknown> };
    expect(json(r.params, 'input'), 'params').toEqual(json(s.params, 'input'));
    expect(json(r.query, 'input'), 'query').toEqual(json(s.querystring, 'input'));
    // A raw body (the segment PUT: z.instanceof(Buffer)) has no JSON form: the table leaves it out.
    if (!(s.body instanceof z.ZodCustom)) expect(json(r.body, 'input'), 'body').toEqual(json(s.body, 'input'));
    expect(json(r.response ?? undefined, 'output'), '200 response').toEqual(json(s.response?.[200], 'output'));
  });
});
