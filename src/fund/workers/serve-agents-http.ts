import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkerRequest, type WorkerSessionRef } from '../../contracts/index.ts';
import { KeelError } from '../../core/index.ts';
import { AgentWorker } from './agent-worker.ts';
import { BATCH_PATH, HTTP_SESSION_UNKNOWN } from './http-routes.ts';

/** Sessions the server keeps (a fund's run and the next). */
const KEPT_SESSIONS = 2;
/** The largest propose request body, bytes (a request carries a book, not market data). */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
/** The largest session, bytes (a 500-name, 5-year panel is about 45 MB). */
const MAX_SESSION_BYTES = 1024 * 1024 * 1024;

export interface ServeAgentsHttpOptions {
  /** The interface to listen on (default 127.0.0.1: workers are trusted like the fund's process). */
  readonly host?: string;
  /** The port; 0 picks a free one (see the returned `url`). */
  readonly port: number;
  /** Agent ids to serve; null: every agent of a session's config. */
  readonly agents: readonly string[] | null;
}

export interface HttpAgentServer {
  readonly worker: AgentWorker;
  /** The base URL a fund config's `"worker": { "http": … }` names, e.g. http://127.0.0.1:9500. */
  readonly url: string;
  stop(): Promise<void>;
}

/** A propose request naming a session this server does not hold. */
class SessionUnknown extends Error {}

/** An answer with its status. */
class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs an agent worker as an HTTP server (`keel agents serve --http`): the same `AgentWorker` as
 * over NATS, with the session pushed by the fund's process instead of fetched.
 * - `PUT /sessions/<sha256>`: a run's session bytes (config and panel), checked against the hash;
 * - `POST /agents/<id>/propose`: a `WorkerRequest` (JSON), answered with a `WorkerAnswer` (JSON, or
 *   compact binary when the request asks for it); 409 when
 *   its session has not been PUT (the fund's process sends it and asks again), 400 for a request
 *   that is not valid or names an agent not served;
 * - `POST /batch`: `{ "requests": [WorkerRequest] }`, a cycle's requests for this server's agents,
 *   answered in one body (`encodeBatch`: each answer or its error, in order); 409 as above;
 * - `GET /health`: `{ ok, agents, answered }`.
 */
export async function serveAgentsHttp(o: ServeAgentsHttpOptions): Promise<HttpAgentServer> {
  const sessions = new Map<string, Uint8Array>();
  const fetchSession = (ref: WorkerSessionRef): Promise<Uint8Array> => {
    const bytes = sessions.get(ref.id);
    return bytes ? Promise.resolve(bytes) : Promise.reject(new SessionUnknown(`session ${ref.id.slice(0, 12)}… has not been sent to this server: PUT its bytes to /sessions/${ref.id}`));
  };
  const worker = new AgentWorker(fetchSession, o.agents ? new Set(o.agents) : null);

  const route = async (req: IncomingMessage): Promise<{ status: number; body: unknown }> => {
    const url = new URL(req.url ?? '/', 'http://worker');
    const session = /^\/sessions\/([0-9a-f]{64})$/.exec(url.pathname);
    if (session && req.method === 'PUT') {
      const id = session[1] ?? '';
      const bytes = await readBody(req, MAX_SESSION_BYTES);
      const got = createHash('sha256').update(bytes).digest('hex');
      if (got !== id) throw new HttpFailure(400, `the session received (${bytes.length} bytes) has sha256 ${got.slice(0, 12)}…, not ${id.slice(0, 12)}…`);
      sessions.set(id, bytes);
      for (const old of sessions.keys()) if (sessions.size > KEPT_SESSIONS && old !== id) sessions.delete(old);
      return { status: 204, body: null };
    }
    const propose = /^\/agents\/([^/]+)\/propose$/.exec(url.pathname);
    if (propose && req.method === 'POST') {
      const { bytes, body } = await readJson(req);
      const id = decodeURIComponent(propose[1] ?? '');
      const agentId = typeof body === 'object' && body !== null && 'agentId' in body ? body.agentId : undefined;
      if (agentId !== id) throw new HttpFailure(400, `the request is for agent ${String(agentId)}, posted to ${url.pathname}`);
      return { status: 200, body: await worker.respond(bytes) };
    }
    if (url.pathname === BATCH_PATH && req.method === 'POST') {
      const { body } = await readJson(req);
      const requests = typeof body === 'object' && body !== null && 'requests' in body && Array.isArray(body.requests) ? (body.requests as unknown[]) : null;
      if (!requests) throw new HttpFailure(400, 'a batch is { "requests": [worker requests] }');
      // every session first: a server that lost one answers 409 for the batch, and the fund's process sends it again
      for (const r of requests) {
        const id = WorkerRequest.safeParse(r).data?.session.id;
        if (id !== undefined && !sessions.has(id)) throw new SessionUnknown(`session ${id.slice(0, 12)}… has not been sent to this server: PUT its bytes to /sessions/${id}`);
      }
      return { status: 200, body: await worker.respondAll(body) };
    }
    if (url.pathname === '/health' && req.method === 'GET') return { status: 200, body: { ok: true, agents: o.agents, answered: worker.answered } };
    throw new HttpFailure(404, `no route ${String(req.method)} ${url.pathname} (POST /agents/<id>/propose, POST /batch, PUT /sessions/<sha256>, GET /health)`);
  };

  const server = createServer((req, res) => {
    route(req).then(
      (r) => reply(res, r.status, r.body),
      (e: unknown) => reply(res, statusOf(e), { error: e instanceof Error ? e.message : String(e) }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '127.0.0.1', () => resolve());
  });
  const a = server.address() as AddressInfo;
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return {
    worker,
    url: `http://${host}:${a.port}`,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function statusOf(e: unknown): number {
  if (e instanceof HttpFailure) return e.status;
  if (e instanceof SessionUnknown) return HTTP_SESSION_UNKNOWN;
  if (e instanceof KeelError) return e.status;
  return 500;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204) {
    res.writeHead(204).end();
    return;
  }
  if (body instanceof Uint8Array) {
    res.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
    return;
  }
  if (typeof body === 'string') {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpFailure(413, `the body (${declared} bytes) is larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > limit) throw new HttpFailure(413, `the body is larger than ${limit} bytes`);
    chunks.push(c);
  }
  // a fresh buffer at offset 0: the panel decoder reads typed arrays from it
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A request body (at most MAX_REQUEST_BYTES) and its JSON; not JSON is a 400. */
async function readJson(req: IncomingMessage): Promise<{ bytes: Uint8Array; body: unknown }> {
  const bytes = await readBody(req, MAX_REQUEST_BYTES);
  try {
    return { bytes, body: JSON.parse(new TextDecoder().decode(bytes)) as unknown };
  } catch {
    throw new HttpFailure(400, 'the request body is not JSON');
  }
}
