import { existsSync } from 'node:fs';
import path from 'node:path';
import cors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { z } from 'zod';
import { KeelError } from '../core/index.ts';
import type { FundRow } from '../store/index.ts';
import { MAX_BODY_BYTES, registerJsonParser } from './body-parser.ts';
import { bearerKey, canSeeFund, cookieValue, hasRole, SESSION_COOKIE, type Principal } from './auth.ts';
import { clientErrorResponse, toErrorResponse, validationError } from './http-error.ts';
import type { ServerOptions } from './options.ts';
import { DEFAULT_RATE_LIMIT, RateLimiter } from './rate-limit.ts';
import { IdempotencyKey } from './idempotency.ts';
import { checkResponse } from './response-check.ts';
import { unstorableText } from './storable-text.ts';
import { HIJACKED, type AnyRoute, type RawAnswer } from './route.ts';
import { cachedPositions } from './routes/books.ts';
import { allRoutes } from './routes/index.ts';
import { ApiRuntime } from './runtime.ts';

/** Headers and fields that never reach a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'body.key',
  'key',
  'apiKey',
];

function isRaw(x: unknown): x is RawAnswer {
  return typeof x === 'object' && x !== null && (x as { raw?: unknown }).raw === true;
}

function parseWith(schema: z.ZodType | undefined, value: unknown, where: 'params' | 'query' | 'body'): unknown {
  if (!schema) return undefined;
  const bad = unstorableText(value, where);
  if (bad) throw new KeelError('KEEL_E_VALIDATION', `${bad.field}: ${bad.why}`, { field: bad.field });
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw validationError(where, r.error);
  return r.data;
}

function httpMetrics(registry: Registry): { requests: Counter<'route' | 'method' | 'status'>; duration: Histogram<'route'> } {
  const requests =
    (registry.getSingleMetric('keel_http_requests_total') as Counter<'route' | 'method' | 'status'> | undefined) ??
    new Counter({ name: 'keel_http_requests_total', help: 'HTTP requests by route, method and status', labelNames: ['route', 'method', 'status'], registers: [registry] });
  const duration =
    (registry.getSingleMetric('keel_http_request_duration_seconds') as Histogram<'route'> | undefined) ??
    new Histogram({ name: 'keel_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['route'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5], registers: [registry] });
  return { requests, duration };
}

/**
 * The caller, from an API key or a session cookie. While the request's source is rate limited,
 * only a key already known to be valid is looked up: unknown keys from a limited source never
 * reach the database.
 */
async function principalOf(rt: ApiRuntime, req: FastifyRequest, isSourceLimited: boolean): Promise<Principal | undefined> {
  const key = bearerKey(req.headers.authorization);
  if (key) return rt.auth.knownApiKey(key) ?? (isSourceLimited ? undefined : await rt.auth.byApiKey(key));
  const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
  if (token) return rt.auth.bySession(token);
  return undefined;
}

/** The fund row: cached for reads; writes read it fresh (its trading state may have just changed elsewhere). */
function fundRow(rt: ApiRuntime, fundId: string, isWrite: boolean): Promise<FundRow | undefined> {
  return isWrite ? rt.store.funds.get(fundId) : rt.cache.get(fundId, 'fund', () => rt.store.funds.get(fundId));
}

function handlerFor(rt: ApiRuntime, r: AnyRoute, callers: WeakMap<FastifyRequest, Principal | null>) {
  const checked = rt.opts.validateResponses === true ? (payload: unknown): unknown => (checkResponse(r, payload), payload) : (payload: unknown): unknown => payload;
  return async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const principal = callers.get(req) ?? null;
    if (r.access !== 'public' && principal === null) {
      throw new KeelError('KEEL_E_UNAUTHORIZED', 'send Authorization: Bearer <api key> or log in with POST /v1/session');
    }
    const params = parseWith(r.params, req.params, 'params');
    let fund: FundRow | null = null;
    const fundId = (params as { fundId?: unknown } | undefined)?.fundId;
    if (typeof fundId === 'string') {
      // A fund the caller may not see answers exactly like one that does not exist.
      const row = principal && canSeeFund(principal, fundId) ? await fundRow(rt, fundId, r.method !== 'GET') : undefined;
      if (!row) throw new KeelError('KEEL_E_NOT_FOUND', `fund ${fundId} does not exist`, { field: 'params.fundId' });
      fund = row;
    }
    if (Array.isArray(r.access) && principal && !hasRole(principal, r.access)) {
      throw new KeelError('KEEL_E_FORBIDDEN', `${r.method} ${r.url} needs the role ${r.access.join(' or ')} (you are ${principal.role})`, {
        required: r.access,
        role: principal.role,
      });
    }
    const query = parseWith(r.query, req.query, 'query');
    const body = parseWith(r.body, req.body, 'body');
    const call = { params, query, body, principal, fund, rt, req, reply };
    const rawKey = req.headers['idempotency-key'];
    if (r.idempotent && rawKey !== undefined && principal) {
      const k = IdempotencyKey.safeParse(rawKey);
      if (!k.success) throw new KeelError('KEEL_E_VALIDATION', `headers.idempotency-key: ${k.error.issues[0]?.message ?? 'invalid'}`, { field: 'headers.idempotency-key' });
      const out = await rt.idempotency.run(`${principal.userId}:${r.method}:${req.url}`, k.data, req.body, async () => ({
        status: r.status,
        payload: await r.handler(call),
      }));
      if (out.isReplay) reply.header('idempotent-replay', 'true');
      return reply.code(out.status).send(checked(out.payload));
    }
    const result = await r.handler(call);
    if (result !== HIJACKED) checked(result);
    if (result === HIJACKED) return reply;
    if (isRaw(result)) return reply.code(r.status).type(result.contentType).send(result.body);
    return reply.code(r.status).send(result);
  };
}

/**
 * Builds the HTTP API (not listening): validation with zod, authentication (API key or session),
 * authorisation by role and fund, error mapping through ERROR_CATALOGUE, rate limiting, CORS
 * (closed unless origins are given), credential redaction in logs. Use `.inject()` in tests or
 * `.listen()` to serve.
 */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const rt = new ApiRuntime(opts);
  const logger = opts.logger === undefined || opts.logger === false ? false : { ...(typeof opts.logger === 'object' ? opts.logger : {}), redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  const sendError = (e: unknown, reply: FastifyReply): void => {
    const { status, body } = toErrorResponse(e);
    void reply.code(status).send(body);
  };
  const app = Fastify({
    logger,
    bodyLimit: MAX_BODY_BYTES,
    routerOptions: { maxParamLength: 1_000 },
    trustProxy: false,
    return503OnClosing: true,
    // errors raised before routing (a malformed %-escape, an over-long parameter) in the documented shape
    frameworkErrors: (e, _req, reply) => sendError(e, reply),
    clientErrorHandler: (e: Error & { code?: string }, socket) => {
      if (e.code === 'ECONNRESET' || socket.destroyed) return;
      if (socket.writable) socket.write(clientErrorResponse(e));
      socket.destroy(e);
    },
  });
  const limiter = new RateLimiter(opts.rateLimit ?? DEFAULT_RATE_LIMIT, () => rt.clock.now());
  const m = httpMetrics(opts.metrics.registry);
  registerJsonParser(app);

  app.setErrorHandler((e, req, reply) => {
    if (toErrorResponse(e).status >= 500) req.log.error({ err: e }, 'request failed');
    sendError(e, reply);
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    sendError(new KeelError('KEEL_E_NOT_FOUND', `no route ${req.method} ${path.length > 200 ? `${path.slice(0, 200)}…` : path}`, {}), reply);
  });
  // Who calls, resolved once per request: a valid credential is limited by its own bucket; no
  // credential, an unknown or a malformed one by the request's source address.
  const callers = new WeakMap<FastifyRequest, Principal | null>();
  app.addHook('onRequest', async (req, reply) => {
    const source = `ip:${req.ip}`;
    const principal = (await principalOf(rt, req, limiter.isLimited(source))) ?? null;
    callers.set(req, principal);
    const wait = limiter.take(principal ? principal.credential : source);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new KeelError('KEEL_E_RATE_LIMITED', `rate limit exceeded; retry in ${wait} s`, { retryAfterS: wait });
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    const routeUrl = req.routeOptions.url ?? 'unmatched';
    m.requests.inc({ route: routeUrl, method: req.method, status: String(reply.statusCode) });
    m.duration.observe({ route: routeUrl }, reply.elapsedTime / 1000);
  });
  const origins = opts.corsOrigins ?? [];
  if (origins.length > 0) await app.register(cors, { origin: [...origins], credentials: true, methods: ['GET', 'POST', 'PATCH', 'DELETE'] });

  for (const r of allRoutes()) app.route({ method: r.method, url: r.url, handler: handlerFor(rt, r, callers) });

  if (opts.webDist && existsSync(path.join(opts.webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: path.resolve(opts.webDist), prefix: '/', wildcard: false });
  }
  // Bus events that change a fund's books or state drop its cached read models.
  const unsubscribe = await Promise.all([
    opts.bus.subscribe('fill.recorded', () => rt.cache.invalidate(null)),
    opts.bus.subscribe('order.updated', (o) => rt.cache.invalidate(o.fundId)),
    opts.bus.subscribe('cycle.completed', (c) => {
      rt.invalidateMarket();
      rt.cache.invalidate(c.fundId);
    }),
    opts.bus.subscribe('trading-state.changed', (c) => rt.cache.invalidate(c.fundId)),
  ]);
  // Jobs a previous run of this server left QUEUED or RUNNING are stored FAILED, not left running forever.
  await rt.backtests.recover();
  app.addHook('onClose', async () => {
    for (const u of unsubscribe) u();
    await rt.backtests.close();
  });
  // after listening: the first slices of a cold store take seconds, and the port should be open meanwhile
  if (opts.warmMarket === true) {
    app.addHook('onListen', async () => {
      // then each fund's positions read model (it replays every stored fill, a week per statement), so that the
      // first Position Book or Morning Pack does not wait for it
      void rt
        .loadedMarket()
        .then(async () => {
          for (const f of await rt.store.funds.list()) await cachedPositions(rt, f.id);
        })
        .catch(() => undefined);
    });
  }
  app.decorate('keel', rt);
  return app;
}
