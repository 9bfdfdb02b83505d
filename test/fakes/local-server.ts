// A local HTTP server on 127.0.0.1 and a random port, for the fakes of remote APIs: records every
// request (method, path, query, headers) and counts hits per path.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
}

export type Handler = (req: IncomingMessage, url: URL, res: ServerResponse) => void | Promise<void>;

export class LocalServer {
  readonly requests: SeenRequest[] = [];
  base = '';
  private server: Server | null = null;

  constructor(private readonly handler: Handler) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers });
      Promise.resolve(this.handler(req, url, res)).catch((e: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { message: String(e) });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Lets the process exit while the server listens (benchmarks, which have no teardown). */
  unref(): void {
    this.server?.unref();
  }

  /** Requests to a path (all paths when omitted). */
  hits(path?: string): number {
    return path === undefined ? this.requests.length : this.requests.filter((r) => r.path === path).length;
  }

  clear(): void {
    this.requests.length = 0;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** A failure the next matching request gets instead of its answer. */
export interface ScriptedFailure {
  readonly status: number;
  /** Retry-After in seconds, sent with 429 and 503. */
  readonly retryAfter?: number;
}

/**
 * The shell of a fake remote API: a LocalServer answering through `handle`, scripted failures
 * for the next requests, and dated records (bars, observations) by key.
 */
export abstract class FakeApi {
  readonly server: LocalServer;
  private readonly script: ScriptedFailure[] = [];

  constructor() {
    this.server = new LocalServer((req, url, res) => this.handle(req, url, res));
  }

  get url(): string {
    return this.server.base;
  }

  start(): Promise<string> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** The next `n` data requests fail with `status` (a 429 or 503 may carry Retry-After seconds). */
  failNext(status: number, n = 1, retryAfter?: number): void {
    for (let i = 0; i < n; i++) this.script.push(retryAfter === undefined ? { status } : { status, retryAfter });
  }

  /** The failure scripted for this request, if any, with its Retry-After header. */
  protected scripted(): { readonly status: number; readonly headers: Record<string, string> } | undefined {
    const f = this.script.shift();
    return f && { status: f.status, headers: f.retryAfter === undefined ? {} : { 'Retry-After': String(f.retryAfter) } };
  }

  protected abstract handle(req: IncomingMessage, url: URL, res: ServerResponse): void;
}

/** Records with a date, by key (a symbol, a series id), ascending by date; a new record of a date replaces the old. */
export class DatedRecords<T extends { readonly date: string }> {
  private readonly byKey = new Map<string, T[]>();

  add(key: string, items: readonly T[]): void {
    const byDate = new Map((this.byKey.get(key) ?? []).map((x) => [x.date, x]));
    for (const x of items) byDate.set(x.date, x);
    this.byKey.set(key, [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)));
  }

  get(key: string): readonly T[] | undefined {
    return this.byKey.get(key);
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }
}
