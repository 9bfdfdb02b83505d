import { z } from 'zod';
import { ERROR_CATALOGUE } from '../core/index.ts';
import * as responses from './responses/index.ts';
import { IdempotencyKey } from './idempotency.ts';
import { isRawResponse, type AnyRoute } from './route.ts';
import { STORABLE_TEXT_PATTERN } from './storable-text.ts';

type Json = Record<string, unknown>;

/** JSON Schema 2020-12, the dialect of OpenAPI 3.1 (nullable types are `anyOf [..., { type: null }]`, never `nullable`). */
function schemaOf(s: z.ZodType): Json {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  return schema;
}

/** Drops `additionalProperties: false` (zod's output mode adds it): answers may gain fields, and clients must ignore those they do not know. */
function openObjects(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(openObjects);
  if (typeof v !== 'object' || v === null) return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) if (!(k === 'additionalProperties' && x === false)) out[k] = openObjects(x);
  return out;
}

const NOT_SCHEMAS = new Set(['default', 'enum', 'const', 'examples', 'description']);

/**
 * Declares the text rule the server applies to every string and key of a request (storable-text.ts):
 * a string without a pattern or fixed values gets the storable-text pattern, an object's keys too.
 */
function withTextRule(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withTextRule);
  if (typeof v !== 'object' || v === null) return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) out[k] = NOT_SCHEMAS.has(k) ? x : withTextRule(x);
  const types = Array.isArray(out.type) ? out.type : [out.type];
  if (types.includes('string') && out.pattern === undefined && out.enum === undefined && out.const === undefined) out.pattern = STORABLE_TEXT_PATTERN;
  if (types.includes('object')) {
    const names = (out.propertyNames ?? {}) as Json;
    if (names.pattern === undefined && names.enum === undefined) out.propertyNames = { ...names, type: 'string', pattern: STORABLE_TEXT_PATTERN };
  }
  return out;
}

/** The JSON Schema of a request's parameters or body, with the text rule. */
const requestSchemaOf = (s: z.ZodType): Json => withTextRule(schemaOf(s)) as Json;

const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The response components: every schema src/api/responses exports, by its export name, and each
 * route's own response schema when it is not one of those (`<OperationId>Response`). Schemas refer
 * to each other by `$ref`, so a shape used by several answers (Order, Proposal) is written once.
 */
function responseComponents(routes: readonly AnyRoute[]): { schemas: Record<string, Json>; idOf: (s: z.ZodType) => string | undefined } {
  const reg = z.registry<{ id: string }>();
  // by name: a module namespace's key order differs between loaders (tsx, vitest)
  const named = Object.entries(responses).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [name, s] of named) if (s instanceof z.ZodType && !reg.has(s)) reg.add(s, { id: name });
  for (const r of routes) if (!isRawResponse(r.response) && !reg.has(r.response)) reg.add(r.response, { id: `${pascal(operationId(r))}Response` });
  const { schemas } = z.toJSONSchema(reg, { io: 'output', unrepresentable: 'any', target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` });
  const out: Record<string, Json> = {};
  for (const [id, js] of Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const { $schema: _dialect, $id: _id, ...schema } = js as Json;
    out[id] = openObjects(schema) as Json;
  }
  return { schemas: out, idOf: (s) => reg.get(s)?.id };
}

const operationId = (r: AnyRoute): string => `${r.method.toLowerCase()}${openApiPath(r.url).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`;

/** The success response of an operation: its JSON schema component, or the media type of a raw answer. */
function successOf(r: AnyRoute, idOf: (s: z.ZodType) => string | undefined): Json {
  if (isRawResponse(r.response)) return { description: r.summary, content: { [r.response.contentType]: { schema: { type: 'string' } } } };
  const id = idOf(r.response);
  return { description: r.summary, content: { 'application/json': { schema: id ? { $ref: `#/components/schemas/${id}` } : schemaOf(r.response) } } };
}

/** Fastify `:param` paths to OpenAPI `{param}` paths. */
export const openApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parametersOf(r: AnyRoute): Json[] {
  const out: Json[] = [];
  for (const [where, s] of [['path', r.params], ['query', r.query]] as const) {
    if (!s) continue;
    const js = requestSchemaOf(s);
    const props = (js.properties ?? {}) as Record<string, Json>;
    const required = new Set((js.required ?? []) as string[]);
    for (const [name, schema] of Object.entries(props)) out.push({ name, in: where, required: where === 'path' || required.has(name), schema });
  }
  if (r.idempotent) out.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: schemaOf(IdempotencyKey) });
  return out;
}

/** A rule across query parameters (from ≤ to), which one parameter's schema cannot carry. */
function queryRule(r: AnyRoute): string {
  const d = r.query ? schemaOf(r.query).description : undefined;
  return typeof d === 'string' ? ` Query: ${d}.` : '';
}

/**
 * The OpenAPI 3.1 document of the API, generated from the routes' zod schemas (the same ones the
 * server validates with), so the document cannot drift from the code.
 */
export function openApiDocument(routes: readonly AnyRoute[]): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const answers = responseComponents(routes);
  for (const r of routes) {
    const p = (paths[openApiPath(r.url)] ??= {});
    const roles = r.access === 'public' ? 'public' : r.access === 'any' ? 'any authenticated user' : `${r.access.join(', ')} (admin may too)`;
    p[r.method.toLowerCase()] = {
      summary: r.summary,
      description: `Roles: ${roles}.${queryRule(r)}`,
      tags: [r.tag],
      operationId: operationId(r),
      parameters: parametersOf(r),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: requestSchemaOf(r.body) } } } } : {}),
      ...(r.access === 'public' ? { security: [] } : {}),
      responses: {
        [String(r.status)]: successOf(r, answers.idOf),
        default: { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Keel API', version: '1', description: 'Keel fund operating system HTTP API. See docs/api.md.' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'keel_session' } },
      schemas: {
        ...answers.schemas,
        Error: {
          type: 'object',
          required: ['code', 'message', 'details'],
          properties: { code: { type: 'string', enum: Object.keys(ERROR_CATALOGUE) }, message: { type: 'string' }, details: { type: 'object' } },
        },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A small HTML page listing every operation (the JSON is at /docs/openapi.json). */
export function docsHtml(routes: readonly AnyRoute[]): string {
  const rows = routes
    .map((r) => `<tr><td>${r.method}</td><td><code>${esc(r.url)}</code></td><td>${esc(r.access === 'public' || r.access === 'any' ? r.access : r.access.join(', '))}</td><td>${esc(r.summary)}</td></tr>`)
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Keel API</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}</style>
</head><body><h1>Keel API v1</h1><p>OpenAPI document: <a href="/docs/openapi.json">/docs/openapi.json</a>. Authenticate with <code>Authorization: Bearer &lt;key&gt;</code>.</p>
<table><thead><tr><th>method</th><th>path</th><th>roles</th><th>summary</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
}
