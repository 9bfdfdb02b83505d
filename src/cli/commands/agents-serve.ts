import type { Command } from 'commander';
import { NatsRpc } from '../../bus/index.ts';
import { KeelError, ValidationError } from '../../core/index.ts';
import { inProcessAgent, serveAgents, WORKER_QUEUE } from '../../fund/index.ts';
import type { CliContext } from '../context.ts';
import { parseList } from './args.ts';

interface ServeOptions {
  nats?: string;
  subject?: string;
  agents?: string[];
  config?: string;
}

const DEFAULT_PREFIX = 'keel.agents';

/** What a worker serves: the subject prefix and the agent ids (null: any agent sent to the prefix). */
async function servedAgents(ctx: CliContext, o: ServeOptions): Promise<{ prefix: string; agents: string[] | null }> {
  if (o.config === undefined) return { prefix: o.subject ?? DEFAULT_PREFIX, agents: o.agents ?? null };
  const config = await ctx.loadConfig(o.config);
  const onWorkers = config.agents.filter((a) => a.enabled && a.worker !== undefined && (o.subject === undefined || a.worker.nats === o.subject));
  const prefixes = [...new Set(onWorkers.map((a) => a.worker?.nats ?? ''))];
  if (prefixes.length === 0) throw new ValidationError('--config', `no enabled agent of ${o.config} has worker${o.subject ? ` { "nats": "${o.subject}" }` : ''}; add "worker": { "nats": "${o.subject ?? DEFAULT_PREFIX}" } to the agents to run on workers`);
  if (prefixes.length > 1) throw new ValidationError('--subject', `the config's agents use several worker subjects (${prefixes.join(', ')}); choose one with --subject`);
  const ids = onWorkers.map((a) => a.id);
  for (const id of o.agents ?? []) if (!ids.includes(id)) throw new ValidationError('--agents', `agent '${id}' is not run by workers in ${o.config} (those are ${ids.join(', ')})`);
  const agents = o.agents ?? ids;
  // build each once now, so a bad module or parameter fails here rather than at the first cycle
  for (const a of onWorkers) if (agents.includes(a.id)) await inProcessAgent(a, config);
  return { prefix: prefixes[0] ?? DEFAULT_PREFIX, agents };
}

/** `keel agents serve --nats <url> [--subject p] [--agents a,b] [--config fund.json]`: an agent worker, until SIGINT or SIGTERM. */
export function registerAgentsServeCommand(program: Command, ctx: CliContext): void {
  const agents = program.command('agents').description('agent worker processes: run a fund\'s agents outside its process, over NATS');
  agents
    .command('serve')
    .description('run agents (built-in or plug-in) as a worker in a NATS queue group: each propose request of a cycle goes to one worker')
    .option('--nats <url>', 'the NATS server (default: NATS_URL)')
    .option('--subject <prefix>', `the subject prefix the fund's worker agents use (their "worker": { "nats": … }; default ${DEFAULT_PREFIX}, or the config's)`)
    .option('--agents <ids>', 'comma-separated agent ids to serve (default: every agent sent to the prefix, or the config\'s worker agents)', parseList)
    .option('--config <file>', "serve the agents of this fund config that have worker (checked at start: modules, parameters)")
    .addHelpText(
      'after',
      [
        '',
        'A fund runs an agent on workers when its config entry has "worker": { "nats": "keel.agents", "timeoutMs": 30000 }',
        '(the fund process needs NATS_URL). Each cycle sends the agent\'s propose request on <prefix>.<agent id>; one worker',
        `of the queue group ${WORKER_QUEUE} answers with the proposal its own copy of the agent makes from the run's market and`,
        "config (fetched from the fund's process once per run, checked by sha256) and the agent's book: exactly the",
        'in-process proposal. Start as many workers as you have cores; a late or failed answer makes the agent hold.',
      ].join('\n'),
    )
    .action(async (o: ServeOptions) => {
      const url = o.nats ?? ctx.env.natsUrl;
      if (!url) throw new KeelError('KEEL_E_VALIDATION', 'keel agents serve needs a NATS server: --nats nats://127.0.0.1:4222 or NATS_URL');
      const { prefix, agents: ids } = await servedAgents(ctx, o);
      const rpc = await NatsRpc.connect(url);
      const { worker, stop } = serveAgents(rpc, { prefix, agents: ids });
      await rpc.flush();
      ctx.io.err(`agent worker ${process.pid} serving ${ids ? ids.map((id) => `${prefix}.${id}`).join(', ') : `${prefix}.*`} in queue group ${WORKER_QUEUE} on ${url}`);
      await new Promise<void>((resolve) => {
        const done = (): void => {
          process.off('SIGINT', done);
          process.off('SIGTERM', done);
          stop();
          void rpc.close().then(resolve, resolve);
        };
        process.on('SIGINT', done);
        process.on('SIGTERM', done);
      });
      ctx.io.err(`agent worker ${process.pid} stopped after ${worker.answered} requests`);
    });
}
