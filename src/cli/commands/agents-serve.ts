import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { NatsRpc } from '../../bus/index.ts';
import { KeelError, ValidationError } from '../../core/index.ts';
import { inProcessAgent, serveAgents, serveAgentsHttp, WORKER_QUEUE } from '../../fund/index.ts';
import type { AgentConfig } from '../../contracts/index.ts';
import type { CliContext } from '../context.ts';
import { parseList } from './args.ts';

interface ServeOptions {
  nats?: string;
  http?: { host: string; port: number };
  subject?: string;
  agents?: string[];
  config?: string;
}

const DEFAULT_PREFIX = 'keel.agents';

/** `--http 9500`, `--http 0.0.0.0:9500`, `--http [::1]:9500` → where to listen (a bare port: 127.0.0.1). */
export function parseListen(v: string): { host: string; port: number } {
  const m = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(v.trim());
  const port = Number(m?.[2]);
  if (!m || port > 65_535) throw new InvalidArgumentError(`--http must be a port or host:port (e.g. 9500 or 0.0.0.0:9500; port 0 picks a free one), got '${v}'`);
  return { host: (m[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}

/** The config's enabled worker agents over this transport, checked against `--agents` and built once (a bad module or parameter fails at start). */
async function configWorkers(ctx: CliContext, file: string, o: ServeOptions, pick: (a: AgentConfig) => boolean, hint: string): Promise<AgentConfig[]> {
  const config = await ctx.loadConfig(file);
  const onWorkers = config.agents.filter((a) => a.enabled && a.worker !== undefined && pick(a));
  if (onWorkers.length === 0) throw new ValidationError('--config', `no enabled agent of ${file} has ${hint}; add it to the agents to run on workers`);
  const ids = onWorkers.map((a) => a.id);
  for (const id of o.agents ?? []) if (!ids.includes(id)) throw new ValidationError('--agents', `agent '${id}' is not run by these workers in ${file} (those are ${ids.join(', ')})`);
  const served = onWorkers.filter((a) => o.agents === undefined || o.agents.includes(a.id));
  for (const a of served) await inProcessAgent(a, config);
  return served;
}

/** What a NATS worker serves: the subject prefix and the agent ids (null: any agent sent to the prefix). */
async function servedOverNats(ctx: CliContext, o: ServeOptions): Promise<{ prefix: string; agents: string[] | null }> {
  if (o.config === undefined) return { prefix: o.subject ?? DEFAULT_PREFIX, agents: o.agents ?? null };
  const served = await configWorkers(ctx, o.config, o, (a) => a.worker?.nats !== undefined && (o.subject === undefined || a.worker.nats === o.subject), `worker${o.subject ? ` { "nats": "${o.subject}" }` : ' { "nats": … }'} (e.g. "worker": { "nats": "${o.subject ?? DEFAULT_PREFIX}" })`);
  const prefixes = [...new Set(served.map((a) => a.worker?.nats ?? ''))];
  if (prefixes.length > 1) throw new ValidationError('--subject', `the config's agents use several worker subjects (${prefixes.join(', ')}); choose one with --subject`);
  return { prefix: prefixes[0] ?? DEFAULT_PREFIX, agents: served.map((a) => a.id) };
}

/** What an HTTP worker serves: the agent ids (null: any agent of a session's config). */
async function servedOverHttp(ctx: CliContext, o: ServeOptions): Promise<string[] | null> {
  if (o.config === undefined) return o.agents ?? null;
  const served = await configWorkers(ctx, o.config, o, (a) => a.worker?.http !== undefined, 'worker { "http": … } (e.g. "worker": { "http": "http://127.0.0.1:9500" })');
  return served.map((a) => a.id);
}

/** Serves until SIGINT or SIGTERM, then stops. */
function untilSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      void stop().then(resolve, resolve);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/** `keel agents serve (--nats <url> | --http <port|host:port>) [--subject p] [--agents a,b] [--config fund.json]`: an agent worker, until SIGINT or SIGTERM. */
export function registerAgentsServeCommand(program: Command, ctx: CliContext): void {
  const agents = program.command('agents').description('agent worker processes: run a fund\'s agents outside its process, over NATS or HTTP');
  agents
    .command('serve')
    .description('run agents (built-in or plug-in) as a worker, in a NATS queue group (each propose request of a cycle goes to one worker) or as an HTTP server')
    .option('--nats <url>', 'serve over NATS, on this server (default: NATS_URL when --http is not given)')
    .option('--http <port|host:port>', 'serve over HTTP, listening here (a bare port listens on 127.0.0.1; 0 picks a free port, printed at start)', parseListen)
    .option('--subject <prefix>', `with --nats: the subject prefix the fund's worker agents use (their "worker": { "nats": … }; default ${DEFAULT_PREFIX}, or the config's)`)
    .option('--agents <ids>', 'comma-separated agent ids to serve (default: every agent the fund sends, or the config\'s worker agents)', parseList)
    .option('--config <file>', 'serve the agents of this fund config that have worker over this transport (checked at start: modules, parameters)')
    .addHelpText(
      'after',
      [
        '',
        'A fund runs an agent on workers when its config entry has "worker": { "nats": "keel.agents", "timeoutMs": 30000 }',
        '(the fund process needs NATS_URL) or "worker": { "http": "http://127.0.0.1:9500" } (a keel agents serve --http server).',
        '',
        `NATS: an agent's first propose request goes on <prefix>.<agent id> to one worker of the queue group ${WORKER_QUEUE};`,
        "its later ones to that worker (a cycle's requests for one worker in one message). The run's market and config (the",
        "session) are fetched from the fund's process once per run, checked by sha256.",
        "HTTP: the fund POSTs a cycle's requests together to <url>/batch (one alone: <url>/agents/<agent id>/propose) and PUTs",
        'the session to <url>/sessions/<sha256> once per run (GET <url>/health answers { ok, agents, answered }).',
        '',
        "Either way the worker answers with the proposal its own copy of the agent makes from the run's market and config and",
        "the agent's book: exactly the in-process proposal. A late or failed answer makes the agent hold. Workers are trusted",
        'like the fund\'s process: keep their subjects and ports private (--http listens on 127.0.0.1 unless given a host).',
        '',
        'Examples:',
        '  keel agents serve --nats nats://127.0.0.1:4222 --agents momentum,committee',
        '  keel agents serve --http 9500',
        '  keel agents serve --http 0.0.0.0:9500 --config fund.json',
      ].join('\n'),
    )
    .action(async (o: ServeOptions) => {
      if (o.http !== undefined) {
        if (o.nats !== undefined || o.subject !== undefined) throw new ValidationError('--http', 'serve over one transport: --http, or --nats (with --subject), not both; start another keel agents serve for the other');
        const ids = await servedOverHttp(ctx, o);
        const server = await serveAgentsHttp({ ...o.http, agents: ids });
        ctx.io.err(`agent worker ${process.pid} serving ${ids ? ids.join(', ') : 'every agent'} over HTTP at ${server.url} (POST ${server.url}/agents/<id>/propose)`);
        await untilSignal(server.stop);
        ctx.io.err(`agent worker ${process.pid} stopped after ${server.worker.answered} requests`);
        return;
      }
      const url = o.nats ?? ctx.env.natsUrl;
      if (!url) throw new KeelError('KEEL_E_VALIDATION', 'keel agents serve needs a transport: --nats nats://127.0.0.1:4222 (or NATS_URL), or --http 9500');
      const { prefix, agents: ids } = await servedOverNats(ctx, o);
      const rpc = await NatsRpc.connect(url);
      const { worker, stop } = serveAgents(rpc, { prefix, agents: ids });
      await rpc.flush();
      ctx.io.err(`agent worker ${process.pid} serving ${ids ? ids.map((id) => `${prefix}.${id}`).join(', ') : `${prefix}.*`} in queue group ${WORKER_QUEUE} on ${url}`);
      await untilSignal(() => {
        stop();
        return rpc.close();
      });
      ctx.io.err(`agent worker ${process.pid} stopped after ${worker.answered} requests`);
    });
}
