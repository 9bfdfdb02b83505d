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
