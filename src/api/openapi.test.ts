/**
 * The OpenAPI document is structurally valid OpenAPI 3.1: its schemas use only JSON Schema 2020-12
 * keywords (no OpenAPI 3.0 `nullable`, no boolean `exclusiveMinimum`), every `$ref` resolves, path
 * templates match their path parameters, operation ids are unique, and it declares the rules the
 * server enforces (dates, > 0, maxima, scenario names, exactly one of qty / notional).
 */
import { describe, expect, it } from 'vitest';
import { allRoutes, openApiDocument } from './index.ts';

type Json = Record<string, unknown>;
const doc = openApiDocument(allRoutes()) as { openapi: string; info: Json; paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> } };

/** JSON Schema 2020-12 keywords (core, applicator, validation, format, meta-data, unevaluated, content) and OpenAPI 3.1's additions. */
const KEYWORDS = new Set([
  '$id', '$schema', '$ref', '$anchor', '$dynamicRef', '$dynamicAnchor', '$vocabulary', '$comment', '$defs',
  'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas', 'prefixItems', 'items', 'contains', 'properties', 'patternProperties', 'additionalProperties', 'propertyNames',
  'unevaluatedItems', 'unevaluatedProperties',
  'type', 'enum', 'const', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains',
  'maxProperties', 'minProperties', 'required', 'dependentRequired',
  'format', 'title', 'description', 'default', 'deprecated', 'readOnly', 'writeOnly', 'examples', 'contentEncoding', 'contentMediaType', 'contentSchema',
  'discriminator', 'xml', 'externalDocs', 'example',
]);
const TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_ONE = new Set(['not', 'if', 'then', 'else', 'items', 'contains', 'additionalProperties', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema']);

/** Problems of one schema and its subschemas, each as `<where>: <what>`. */
function schemaProblems(s: unknown, where: string): string[] {
  if (typeof s === 'boolean') return [];
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return [`${where}: a schema must be an object or a boolean`];
  const out: string[] = [];
  for (const [k, v] of Object.entries(s as Json)) {
    const at = `${where}.${k}`;
    if (!KEYWORDS.has(k) && !k.startsWith('x-')) out.push(`${at}: not a JSON Schema 2020-12 keyword`);
    if (k === 'type' && !(Array.isArray(v) ? v : [v]).every((t) => typeof t === 'string' && TYPES.has(t))) out.push(`${at}: unknown type ${JSON.stringify(v)}`);
    if ((k === 'exclusiveMinimum' || k === 'exclusiveMaximum' || k === 'minimum' || k === 'maximum') && typeof v !== 'number') out.push(`${at}: must be a number in 2020-12`);
    if (k === 'required' && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) out.push(`${at}: must be a list of names`);
    if (k === 'pattern' && typeof v === 'string') {
      try {
        new RegExp(v, 'u');
      } catch {
        out.push(`${at}: not a valid regular expression`);
      }
    }
    if (SCHEMA_MAPS.has(k)) for (const [name, sub] of Object.entries(v as Json)) out.push(...schemaProblems(sub, `${at}.${name}`));
    if (SCHEMA_LISTS.has(k)) (v as unknown[]).forEach((sub, i) => out.push(...schemaProblems(sub, `${at}[${i}]`)));
    if (SCHEMA_ONE.has(k)) out.push(...schemaProblems(v, at));
  }
  return out;
}

function walk(v: unknown, visit: (key: string, value: unknown, path: string) => void, path = '#'): void {
  if (typeof v !== 'object' || v === null) return;
  for (const [k, x] of Object.entries(v)) {
    visit(k, x, `${path}/${k}`);
    walk(x, visit, `${path}/${k}`);
  }
}

const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
const bodySchema = (path: string, method: string): Json => (((doc.paths[path]?.[method]?.requestBody as Json).content as Json)['application/json'] as { schema: Json }).schema;
const props = (s: Json): Record<string, Json> => s.properties as Record<string, Json>;

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with an info block and operations under every path', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(typeof doc.info.title).toBe('string');
    expect(typeof doc.info.version).toBe('string');
    expect(operations.length).toBeGreaterThan(40);
    for (const { path, method } of operations) {
      expect(path.startsWith('/'), path).toBe(true);
      expect(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'], path).toContain(method);
    }
  });

  it('every schema uses JSON Schema 2020-12 only (no nullable)', () => {
    const problems: string[] = [];
    for (const { path, method, op } of operations) {
      for (const p of (op.parameters ?? []) as Json[]) problems.push(...schemaProblems(p.schema, `${method} ${path} ${String(p.name)}`));
      const content = (op.requestBody as Json | undefined)?.content as Record<string, { schema: unknown }> | undefined;
      for (const [type, c] of Object.entries(content ?? {})) problems.push(...schemaProblems(c.schema, `${method} ${path} ${type}`));
    }
    for (const [name, s] of Object.entries(doc.components.schemas)) problems.push(...schemaProblems(s, `components.schemas.${name}`));
    walk(doc, (k, _v, path) => {
      if (k === 'nullable') problems.push(`${path}: nullable is OpenAPI 3.0`);
    });
    expect(problems).toEqual([]);
  });

  it('operations have unique ids, responses, well-formed parameters matching the path template, and resolvable $refs', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of operations) {
      const label = `${method} ${path}`;
      const responses = op.responses as Record<string, Json>;
      expect(Object.keys(responses).some((s) => /^2\d\d$/.test(s)), label).toBe(true);
      for (const r of Object.values(responses)) expect(typeof r.description, label).toBe('string');
      const params = (op.parameters ?? []) as { name: string; in: string; required?: boolean; schema?: unknown }[];
      for (const p of params) {
        expect(['path', 'query', 'header', 'cookie'], label).toContain(p.in);
        expect(typeof p.schema, `${label} ${p.name}`).toBe('object');
      }
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const inPath = params.filter((p) => p.in === 'path');
      expect(inPath.map((p) => p.name).sort(), label).toEqual(templated);
      for (const p of inPath) expect(p.required, `${label} ${p.name}`).toBe(true);
      const keys = params.map((p) => `${p.in}:${p.name}`);
      expect(new Set(keys).size, label).toBe(keys.length);
    }
    walk(doc, (k, v, path) => {
      if (k !== '$ref') return;
      const target = String(v).replace(/^#\//, '').split('/').reduce<unknown>((o, seg) => (o as Json | undefined)?.[seg], doc);
      expect(target, `${path} → ${String(v)}`).toBeDefined();
    });
  });

  it('every success response has a body schema: a JSON component, or the media type of a raw answer', () => {
    const missing: string[] = [];
    for (const { path, method, op } of operations) {
      const [status, ok] = Object.entries(op.responses as Record<string, Json>).find(([s]) => /^2\d\d$/.test(s)) ?? ['', {}];
      const content = (ok.content ?? {}) as Record<string, { schema?: Json }>;
      const [type, c] = Object.entries(content)[0] ?? ['', {}];
      if (!c.schema || (type === 'application/json' && typeof c.schema.$ref !== 'string')) missing.push(`${method} ${path} ${status} ${type}`);
    }
    expect(missing).toEqual([]);
    const funds = doc.components.schemas.FundsAnswer as { properties: { funds: { items: Json } } };
    expect(funds.properties.funds.items).toEqual({ $ref: '#/components/schemas/FundSummary' });
    expect(Object.keys(doc.paths['/v1/events']?.get?.responses as Json)).toContain('200');
    expect(((doc.paths['/v1/events']?.get?.responses as Record<string, Json>)['200']?.content as Json)['text/event-stream']).toEqual({ schema: { type: 'string' } });
  });

  it('declares the rules the server enforces', () => {
    const ticket = bodySchema('/v1/funds/{fundId}/trades', 'post');
    expect(ticket.oneOf).toEqual([{ required: ['qty'] }, { required: ['notional'] }]);
    expect(props(ticket).qty).toMatchObject({ type: 'number', exclusiveMinimum: 0, maximum: 1e12 });
    expect(props(ticket).notional).toMatchObject({ exclusiveMinimum: 0, maximum: 1e15 });
    expect(props(ticket).limitPrice).toEqual({ anyOf: [{ type: 'number', exclusiveMinimum: 0, maximum: 1e15 }, { type: 'null' }] });
    const agent = bodySchema('/v1/funds/{fundId}/agents', 'post');
    expect(props(agent).allocatedCapital).toMatchObject({ minimum: 0, maximum: 1e15 });
    const modify = bodySchema('/v1/funds/{fundId}/proposals/{proposalId}/modify', 'post');
    expect(props(modify).size).toMatchObject({ exclusiveMinimum: 0, maximum: 1e6 });
    const stress = bodySchema('/v1/funds/{fundId}/stress', 'post');
    const scenario = (props(stress).scenarios as { items: { anyOf: Json[] } }).items;
    expect(scenario.anyOf[0]?.enum).toContain('gfc_2008');
    expect(scenario.anyOf[1]).toEqual({ pattern: '^worst_\\d+d$' });
    expect(props(agent).id).toMatchObject({ pattern: '^[a-z0-9][a-z0-9_-]*$' });
    expect((props(agent).strategy as { enum: string[] }).enum).not.toContain('custom');
    expect((props(agent).riskDrivers as { items: Json }).items.enum).toContain('equity_beta');
    const riskParams = props(bodySchema('/v1/funds/{fundId}/agents/{agentId}/risk', 'patch')).riskParams as Json;
    expect(riskParams.additionalProperties).toBe(false);
    expect(props(riskParams).maxPositionPct).toMatchObject({ minimum: 0, maximum: 1 });
    const review = props(bodySchema('/v1/risk/review', 'post'));
    expect(props(review.fund as Json).capital).toMatchObject({ minimum: 1, maximum: 1e15 });
    expect(((props(review.fund as Json).returns as Json).items as Json)).toMatchObject({ minimum: -100, maximum: 100 });
    const journal = doc.paths['/v1/funds/{fundId}/journal']?.get as Json;
    const from = (journal.parameters as Json[]).find((p) => p.name === 'from');
    expect(from?.schema).toMatchObject({ type: 'string', format: 'date' });
    expect(String(journal.description)).toContain('from must not be after to');
  });

  it('declares the text rule on every request string and key: no NUL, no lone surrogate, and a reason is not blank', () => {
    const problems: string[] = [];
    const check = (v: unknown, at: string): void => {
      if (typeof v !== 'object' || v === null) return;
      const s = v as Json;
      const types = Array.isArray(s.type) ? s.type : [s.type];
      if (types.includes('string') && s.enum === undefined && s.const === undefined) {
        const p = typeof s.pattern === 'string' ? new RegExp(s.pattern, 'u') : undefined;
        if (!p || p.test('a\u0000') || p.test('a\ud800') || p.test('\udc00')) problems.push(`${at}: a string whose pattern lets NUL or a lone surrogate through`);
      }
      if (types.includes('object') && s.additionalProperties !== false && typeof (s.propertyNames as Json | undefined)?.pattern !== 'string') problems.push(`${at}: an object without a propertyNames pattern`);
      for (const [k, x] of Object.entries(s)) if (!['default', 'enum', 'const', 'examples'].includes(k)) check(x, `${at}.${k}`);
    };
    for (const { path, method, op } of operations) {
      for (const p of (op.parameters ?? []) as Json[]) check(p.schema, `${method} ${path} ${String(p.name)}`);
      if (op.requestBody) check(bodySchema(path, method), `${method} ${path} body`);
    }
    expect(problems).toEqual([]);
    const reason = new RegExp(String(props(bodySchema('/v1/funds/{fundId}/kill-switch/trip', 'post')).reason?.pattern), 'u');
    for (const blank of [' ', '\t\n', '\u00a0\u3000', '\ufeff']) expect(reason.test(blank), JSON.stringify(blank)).toBe(false);
    for (const text of ['x', ' why ', 'rocket 🚀', '\u001c']) expect(reason.test(text), JSON.stringify(text)).toBe(true);
  });
});
