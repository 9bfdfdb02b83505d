import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { FundRow } from '../store/index.ts';
import type { Principal, Role } from './auth.ts';
import type { ApiRuntime } from './runtime.ts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Who may call: nobody needs to log in, any authenticated user, or these roles (admin always may). */
export type Access = 'public' | 'any' | readonly Role[];

/** What a handler receives: validated input, the caller, the fund it is scoped to, and the services. */
export interface Call<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** Null only on public routes. */
  readonly principal: Principal | null;
  /** The fund of `:fundId`, already checked to be the caller's. */
  readonly fund: FundRow | null;
  readonly rt: ApiRuntime;
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
}

/** A non-JSON answer (Prometheus text, HTML). */
export interface RawAnswer {
  readonly raw: true;
  readonly contentType: string;
  readonly body: string | Buffer;
}
/** A JSON answer serialised and UTF-8 encoded once (hot read models cache the bytes, not the object). */
export function rawJson(value: unknown): RawAnswer {
  return { raw: true, contentType: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(value), 'utf8') };
}

/** Returned by a handler that took over the socket (server-sent events). */
export const HIJACKED = Symbol('hijacked');

type Schema = z.ZodType;

/** A success answer that is not JSON: its media type (server-sent events, HTML, Prometheus text). */
export interface RawResponse {
  readonly contentType: string;
}
/** Declares a non-JSON success answer, e.g. `response: rawResponse('text/html')`. */
export const rawResponse = (contentType: string): RawResponse => ({ contentType });
/**
 * How a route declares its success answer: the zod schema of its JSON body (usually one of
 * src/api/responses), or `rawResponse(type)` for text, HTML or SSE. The schema documents the answer
 * in the OpenAPI document and, with KEEL_VALIDATE_RESPONSES=1, every answer is checked against it.
 */
export type ResponseSpec = Schema | RawResponse;
export const isRawResponse = (r: ResponseSpec): r is RawResponse => typeof (r as { contentType?: unknown }).contentType === 'string';
type In<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined> {
  readonly method: HttpMethod;
  /** Fastify path, e.g. `/v1/funds/:fundId/positions`. */
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** Success status (default 200). */
  readonly status?: number;
  /** Honour the Idempotency-Key header (POSTs that create orders or trades). */
  readonly idempotent?: boolean;
  /** The success answer (see ResponseSpec). */
  readonly response: ResponseSpec;
  handler(c: Call<In<P>, In<Q>, In<B>>): Promise<unknown>;
}

/** A route with its input types erased, as the server and the OpenAPI generator see it. */
export interface AnyRoute {
  readonly method: HttpMethod;
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  readonly params: Schema | undefined;
  readonly query: Schema | undefined;
  readonly body: Schema | undefined;
  readonly status: number;
  readonly idempotent: boolean;
  readonly response: ResponseSpec;
  handler(c: Call<unknown, unknown, unknown>): Promise<unknown>;
}

/** Declares a route; its zod schemas validate the request and document it. */
export function route<P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, B extends Schema | undefined = undefined>(
  spec: RouteSpec<P, Q, B>,
): AnyRoute {
  return {
    method: spec.method,
    url: spec.url,
    summary: spec.summary,
    tag: spec.tag,
    access: spec.access,
    params: spec.params,
    query: spec.query,
    body: spec.body,
    status: spec.status ?? 200,
    idempotent: spec.idempotent ?? false,
    response: spec.response,
    handler: spec.handler as (c: Call<unknown, unknown, unknown>) => Promise<unknown>,
  };
}
