import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { buildServer, DEFAULT_RATE_LIMIT, type ServerOptions } from '../../api/index.ts';
import type { CliContext } from '../context.ts';
import { parseInteger } from './args.ts';

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  /** Fastify request logging to stdout (default true; credentials are redacted). */
  readonly isLogging?: boolean;
}

/** A listening server and how to stop it. */
export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the API (and the dashboard from `web/dist` when built) on host:port, with its parts from
 * the kernel (store, bus, clock, metrics, brokers, Keel's home). Environment (docs/operations.md):
 * KEEL_CORS_ORIGINS (comma list; closed when unset), KEEL_LLM_URL (morning-pack narrator),
 * KEEL_RATE_LIMIT_PER_MIN, KEEL_JOB_CONCURRENCY (backtests at once), KEEL_LOG_LEVEL. The stored market
 * is loaded in the background at start, so the first Morning Pack does not wait for it.
 */
export async function startServe(ctx: CliContext, o: ServeOptions): Promise<RunningServer> {
  const kernel = ctx.kernel({ level: 'info' });
  const env = kernel.env;
  const store = await kernel.store();
  const perMinute = env.api.rateLimitPerMin ?? DEFAULT_RATE_LIMIT.perMinute;
  const webDist = path.resolve(ctx.io.cwd, 'web/dist');
  const opts: ServerOptions = {
    store,
    config: (await ctx.loadConfig()),
    bus: await kernel.bus(),
    metrics: kernel.metrics,
    clock: kernel.clock,
    kernel,
    corsOrigins: env.api.corsOrigins,
    rateLimit: { perMinute, burst: Math.max(1, Math.round(perMinute / 5)) },
    logger: o.isLogging === false ? false : { level: env.logLevel ?? 'info' },
    ...(env.api.llmUrl !== null ? { llmUrl: env.api.llmUrl } : {}),
    ...(env.api.jobConcurrency !== null ? { jobConcurrency: env.api.jobConcurrency } : {}),
    ...(env.api.jobQueueMax !== null ? { jobQueueMax: env.api.jobQueueMax } : {}),
    warmMarket: true,
    validateResponses: env.api.validateResponses,
    ...(existsSync(path.join(webDist, 'index.html')) ? { webDist } : {}),
  };
  const app = await buildServer(opts);
  await app.listen({ port: o.port, host: o.host });
  const a = app.server.address();
  const port = typeof a === 'object' && a !== null ? a.port : o.port;
  return { url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`, close: () => app.close() };
}

/** `keel serve [--port 8080] [--host 127.0.0.1]`: serves until SIGINT or SIGTERM. */
export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the HTTP API (docs at /docs) and, when web/dist exists, the dashboard at /')
    .option('--port <n>', 'port (0 = any free port)', parseInteger('--port', 0), 8080)
    .option('--host <h>', 'interface to listen on', '127.0.0.1')
    .option('--quiet', 'no request log')
    .action(async (o: { port: number; host: string; quiet?: boolean }) => {
      const server = await startServe(ctx, { port: o.port, host: o.host, isLogging: o.quiet !== true });
      ctx.io.err(`Keel API on ${server.url} (OpenAPI at ${server.url}/docs); create a key with \`keel user add <name> --role admin\``);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
