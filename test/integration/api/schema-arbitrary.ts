/**
 * Values a JSON Schema (2020-12, the subset the OpenAPI document uses) accepts, as fast-check
 * arbitraries: what a schema-driven fuzzer sends when it plays by the document. Strings without a
 * pattern draw from an alphabet with blanks, NUL, astral and byte-order-mark characters, and any
 * string is sometimes at its maximum length, so a rule the server enforces but the document does not
 * declare shows up as a refusal, and text that overflows where it is copied shows up as a 500.
 */
import fc from 'fast-check';

type Json = Record<string, unknown>;

const ALPHABET = fc.constantFrom('a', 'Z', '1', ' ', '\t', '\n', '\u00e9', '😀', '\u0000', '\ufeff', '-', '.');
/** Code points, as JSON Schema counts a string's length. */
const length = (s: string): number => [...s].length;

function stringOf(s: Json): fc.Arbitrary<string> {
  const min = (s.minLength as number | undefined) ?? 0;
  const max = (s.maxLength as number | undefined) ?? Number.MAX_SAFE_INTEGER;
  const fits = (x: string): boolean => length(x) >= min && length(x) <= max;
  if (s.format === 'date') return fc.date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const pattern = typeof s.pattern === 'string' ? new RegExp(s.pattern, 'u') : undefined;
  const short = pattern ? fc.stringMatching(pattern) : fc.string({ unit: ALPHABET, minLength: min, maxLength: Math.min(max, min + 30) });
  // text at its longest (in code points, as the document counts; an emoji is two UTF-16 units), where derived text overflows
  const longest = max < 100_000 ? ['r'.repeat(max), '😀'.repeat(max), `${'r'.repeat(max - 1)}😀`].filter((x) => !pattern || pattern.test(x)) : [];
  return (longest.length > 0 ? fc.oneof({ weight: 8, arbitrary: short }, { weight: 1, arbitrary: fc.constantFrom(...longest) }) : short).filter(fits);
}

function numberOf(s: Json, isInteger: boolean): fc.Arbitrary<number> {
  const lo = (s.minimum ?? s.exclusiveMinimum ?? -1e6) as number;
  const hi = (s.maximum ?? s.exclusiveMaximum ?? 1e6) as number;
  const fits = (x: number): boolean => x >= lo && x <= hi && (s.exclusiveMinimum === undefined || x > (s.exclusiveMinimum as number)) && (s.exclusiveMaximum === undefined || x < (s.exclusiveMaximum as number));
  if (isInteger) return fc.integer({ min: Math.max(Math.ceil(lo), -(2 ** 31)), max: Math.min(Math.floor(hi), 2 ** 31) }).filter(fits);
  return fc.oneof(fc.constantFrom(lo, hi, (lo + hi) / 2), fc.double({ min: lo, max: hi, noNaN: true })).filter(fits);
}

function objectOf(s: Json, valid: (s: Json) => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const props = (s.properties ?? {}) as Record<string, Json>;
  const keys = Object.keys(props);
  const required = (s.required ?? []) as string[];
  if (keys.length === 0) {
    const values = typeof s.additionalProperties === 'object' && Object.keys(s.additionalProperties as Json).length > 0 ? valid(s.additionalProperties as Json) : fc.jsonValue({ maxDepth: 1 });
    return fc.dictionary(stringOf({ maxLength: 10, ...(s.propertyNames as Json | undefined) }), values, { maxKeys: 3 });
  }
  const withKeys = (more: readonly string[], without: readonly string[]) =>
    fc.record(Object.fromEntries(keys.filter((k) => !without.includes(k)).map((k) => [k, valid(props[k] ?? {})])), { requiredKeys: keys.filter((k) => required.includes(k) || more.includes(k)) });
  // `oneOf` / `anyOf` of `required` lists: one branch's fields (and, for oneOf, none of the others')
  const branches = ((s.oneOf ?? s.anyOf ?? []) as Json[]).map((b) => (b.required ?? []) as string[]);
  if (branches.length === 0) return withKeys([], []);
  return fc.oneof(...branches.map((b) => withKeys(b, s.oneOf ? branches.flat().filter((k) => !b.includes(k)) : [])));
}

/** Values `schema` accepts; `$ref`s resolve in `doc`. */
export function schemaArbitrary(doc: Json, schema: Json): fc.Arbitrary<unknown> {
  const resolve = (s: Json): Json => (typeof s.$ref === 'string' ? resolve(s.$ref.replace('#/', '').split('/').reduce<Json>((o, k) => o[k] as Json, doc)) : s);
  const valid = (s0: Json): fc.Arbitrary<unknown> => {
    const s = resolve(s0);
    if (s.const !== undefined) return fc.constant(s.const);
    if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
    const alts = s.anyOf as Json[] | undefined;
    if (alts && s.type === undefined && s.properties === undefined) return fc.oneof(...alts.map(valid));
    if (alts && s.type === 'string') return fc.oneof(...alts.map((a) => valid({ type: 'string', ...a })));
    switch (Array.isArray(s.type) ? s.type[0] : s.type) {
      case 'string':
        return stringOf(s);
      case 'number':
        return numberOf(s, false);
      case 'integer':
        return numberOf(s, true);
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return fc.array(valid((s.items ?? {}) as Json), { minLength: (s.minItems as number | undefined) ?? 0, maxLength: Math.min((s.maxItems as number | undefined) ?? 3, ((s.minItems as number | undefined) ?? 0) + 3) });
      case 'object':
        return objectOf(s, valid);
      default:
        return fc.jsonValue({ maxDepth: 1 });
    }
  };
  return valid(schema);
}
