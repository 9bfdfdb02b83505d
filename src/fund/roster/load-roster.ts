import { agentContext, createAgent, instantiateAgent, TransportAgent, type Agent, type RosterAgent } from '../../agents/index.ts';
import { AgentDataNeeds, type AgentConfig, type FundConfig } from '../../contracts/index.ts';
import { ValidationError } from '../../core/index.ts';
import { SessionHost, WorkerAgent } from '../workers/worker-agent.ts';
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
 * NATS. A fund of built-ins only gets exactly `createRoster`'s agents.
 */
export async function loadRoster(config: FundConfig, o: RosterOptions = {}): Promise<RosterAgent[]> {
  const out: RosterAgent[] = [];
  const hosts = new Map<string, SessionHost>();
  for (const a of config.agents) {
    if (!a.enabled) continue;
    if (a.worker !== undefined) {
      const ctx = agentContext(a, config);
      if (o.replaying) {
        out.push(new TransportAgent(ctx, a.params, { timeoutMs: a.worker.timeoutMs, data: AgentDataNeeds.parse({}) }, NOT_ASKED));
        continue;
      }
      if (!o.links?.nats) throw new ValidationError(`agents.${a.id}.worker`, 'an agent run by workers needs a NATS server: set NATS_URL (e.g. nats://127.0.0.1:4222) and start workers with keel agents serve, or remove worker to run it in-process');
      const rpc = await o.links.nats();
      let host = hosts.get(a.worker.nats);
      if (!host) hosts.set(a.worker.nats, (host = new SessionHost(rpc, a.worker.nats)));
      out.push(new WorkerAgent(ctx, config, a.worker, rpc, host));
      continue;
    }
    out.push(await loadAgent(a, config, o));
  }
  return out;
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
