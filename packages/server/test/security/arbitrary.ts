// fast-check arbitraries derived from zod schemas (zod 4 introspection), plus hostile values: what the fuzzing tier
// sends to every route and socket event. `valid` aims inside the schema (so handlers run), `hostile` aims outside
// it (no payload, null, wrong types, deep nesting, huge strings) so validation is what gets tested.
import fc from 'fast-check';

type Def = { type: string; [k: string]: unknown };
type Z = { _zod: { def: Def; bag?: Record<string, unknown> } };

const defOf = (s: unknown) => (s as Z)._zod.def;
const bagOf = (s: unknown) => (s as Z)._zod.bag ?? {};

/** Values that are real somewhere in the world (ids of the demo session, attempt…), so some requests hit data. */
export function schemaArb(schema: unknown, pool: readonly string[], depth = 0): fc.Arbitrary<unknown> {
  if (!schema || typeof schema !== 'object' || !('_zod' in schema)) return fc.anything({ maxDepth: 2 });
  const def = defOf(schema);
  const bag = bagOf(schema);
  switch (def.type) {
    case 'string': {
      const min = typeof bag.minimum === 'number' ? bag.minimum : 0;
      const max = typeof bag.maximum === 'number' ? Math.min(bag.maximum, 80) : 80;
      const plain = fc.string({ minLength: Math.min(min, max), maxLength: Math.max(min, max) });
      return pool.length ? fc.oneof(fc.constantFrom(...pool), plain) : plain;
    }
    case 'number': {
      const int = bag.format === 'safeint' || bag.format === 'int32';
      const min = typeof bag.minimum === 'number' ? bag.minimum : -1e6;
      const max = typeof bag.maximum === 'number' ? bag.maximum : 1e13;
      return int ? fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) }) : fc.double({ min, max, noNaN: true });
    }
    case 'int':
      return fc.integer();
    case 'bigint':
      return fc.integer();
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
      return fc.constant(undefined);
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
    case 'optional':
      return fc.option(schemaArb(def.innerType, pool, depth), { nil: undefined });
    case 'nullable':
      return fc.option(schemaArb(def.innerType, pool, depth), { nil: null });
    case 'default':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
    case 'prefault':
      return schemaArb(def.innerType, pool, depth);
    case 'pipe':
      return schemaArb(def.in, pool, depth);
    case 'lazy':
      return depth > 3 ? fc.constant(null) : schemaArb((def.getter as () => unknown)(), pool, depth + 1);
    case 'array':
      return depth > 4 ? fc.constant([]) : fc.array(schemaArb(def.element, pool, depth + 1), { maxLength: 4 });
    case 'tuple':
      return fc.tuple(...(def.items as unknown[]).map((i) => schemaArb(i, pool, depth + 1)));
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map((o) => schemaArb(o, pool, depth + 1)));
    case 'intersection':
      return schemaArb(def.left, pool, depth);
    case 'record':
      return depth > 4 ? fc.constant({}) : fc.dictionary(fc.string({ maxLength: 12 }), schemaArb(def.valueType, pool, depth + 1), { maxKeys: 4 });
    case 'object': {
      if (depth > 5) return fc.constant({});
      const shape = (def.shape ?? {}) as Record<string, unknown>;
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(shape)) model[k] = schemaArb(v, pool, depth + 1);
      return fc.record(model);
    }
    case 'custom':
      // z.instanceof(Buffer) and binary socket payloads: random bytes, sometimes with a plausible header.
      return fc.oneof(
        fc.uint8Array({ maxLength: 512 }).map((u) => Buffer.from(u)),
        fc.uint8Array({ maxLength: 64 }).map((u) => Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.from(u)])),
        fc.uint8Array({ maxLength: 64 }).map((u) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from(u), Buffer.from([0xff, 0xd9])])),
      );
    default:
      return fc.anything({ maxDepth: 2 });
  }
}

/** Values outside any schema: the shapes the abuse run used. */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constantFrom(0, -1, 1e308, '', 'x'.repeat(100_000), true, [], {}, [1, 2], { a: 1 }),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.anything({ maxDepth: 4, maxKeys: 4, withNullPrototype: true }),
  fc.constant(JSON.parse(`{"a":${'['.repeat(200)}${']'.repeat(200)}}`)),
  fc.constant({ __proto__: { admin: true }, constructor: { prototype: { x: 1 } } }),
);

/** A value inside the schema, next to it (one field replaced by a hostile one), or outside it. */
export function payloadArb(schema: unknown, pool: readonly string[]): fc.Arbitrary<unknown> {
  const valid = schemaArb(schema, pool);
  const mutated = fc.tuple(valid, fc.string({ maxLength: 10 }), hostile).map(([v, k, h]) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return h;
    const keys = Object.keys(v);
    const key = keys.length ? keys[Math.abs(k.length * 7919) % keys.length]! : k;
    return { ...(v as object), [key]: h };
  });
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: mutated }, { weight: 2, arbitrary: hostile });
}
