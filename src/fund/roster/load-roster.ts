import { agentContext, createAgent, instantiateAgent, TransportAgent, type Agent, type RosterAgent } from '../../agents/index.ts';
import { AgentDataNeeds, type AgentConfig, type AgentWorkerConfig, type FundConfig } from '../../contracts/index.ts';
import { ValidationError } from '../../core/index.ts';
import { HttpWorkerChannel } from '../workers/http-channel.ts';
import { NatsWorkerChannel } from '../workers/nats-channel.ts';
import { WorkerAgent, type WorkerChannel } from '../workers/worker-agent.ts';
import { configuredModule } from './agent-modules.ts';
import { transportFor, type RemoteLinks } from './transports.ts';

export interface RosterOptions {
  /** How remote agents and agent workers are reached (default: HTTP by the global fetch; NATS needs `nats`). */
  readonly links?: RemoteLinks;
  /** Replay: remote agents are in the roster but never asked (their recorded answers are used). */
  readonly replaying?: boolean;
}

const NOT_ASKED = (): Promise<never> => Promise.reject(new Error('a replayed cycle uses the recorded answer'));

/**
 * The fund's roster, every enabled agent in config order: built-ins from the registry, plug-in
 * modules imported (their recorded sha256 checked) with their proposals checked against the
 * contract, remote agents over their transport, agents with `worker` asked of agent workers over
 * NATS or HTTP (one channel per subject prefix or server, shared by its agents). A fund of
 * built-ins only gets exactly `createRoster`'s agents.
 */
export async function loadRoster(config: FundConfig, o: RosterOptions = {}): Promise<RosterAgent[]> {
  const out: RosterAgent[] = [];
  const channels = new Map<string, WorkerChannel>();
  for (const a of config.agents) {
    if (!a.enabled) continue;
    if (a.worker !== undefined) {
      const ctx = agentContext(a, config);
      if (o.replaying) {
        out.push(new TransportAgent(ctx, a.params, { timeoutMs: a.worker.timeoutMs, data: AgentDataNeeds.parse({}) }, NOT_ASKED));
        continue;
      }
      const key = a.worker.http !== undefined ? `http ${a.worker.http}` : `nats ${a.worker.nats ?? ''}`;
      let channel = channels.get(key);
      if (!channel) channels.set(key, (channel = await workerChannel(a.id, a.worker, o.links ?? {})));
      out.push(new WorkerAgent(ctx, config, a.worker.timeoutMs, channel));
      continue;
    }
    out.push(await loadAgent(a, config, o));
  }
  return out;
}

/** How the fund's process reaches the workers a config entry's `worker` names. */
async function workerChannel(agentId: string, worker: AgentWorkerConfig, links: RemoteLinks): Promise<WorkerChannel> {
  if (worker.http !== undefined) return new HttpWorkerChannel(worker.http, links.fetch);
  if (!links.nats) throw new ValidationError(`agents.${agentId}.worker`, 'an agent run by workers over NATS needs a NATS server: set NATS_URL (e.g. nats://127.0.0.1:4222) and start workers with keel agents serve, or use "worker": { "http": … } with keel agents serve --http, or remove worker to run it in-process');
  return new NatsWorkerChannel(await links.nats(), worker.nats ?? '');
}

/** The agent a config entry names, built in this process (an agent worker builds its agents with it). */
export async function inProcessAgent(a: AgentConfig, config: FundConfig): Promise<Agent> {
  if (a.module !== undefined) {
    const m = await configuredModule({ id: a.id, module: a.module, moduleSha256: a.moduleSha256 });
    return instantiateAgent(m, agentContext(a, config), a.params);
  }
  return createAgent(a, config);
}

async function loadAgent(a: AgentConfig, config: FundConfig, o: RosterOptions): Promise<RosterAgent> {
  if (a.remote !== undefined) {
    const transport = o.replaying ? NOT_ASKED : await transportFor(a.id, a.remote, o.links ?? {});
    return new TransportAgent(agentContext(a, config), a.params, a.remote, transport);
  }
  return inProcessAgent(a, config);
}
