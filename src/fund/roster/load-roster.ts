import { agentContext, createAgent, instantiateAgent, TransportAgent, type RosterAgent } from '../../agents/index.ts';
import type { AgentConfig, FundConfig } from '../../contracts/index.ts';
import { configuredModule } from './agent-modules.ts';
import { transportFor, type RemoteLinks } from './transports.ts';

export interface RosterOptions {
  /** How remote agents are reached (default: HTTP by the global fetch; NATS agents need `nats`). */
  readonly links?: RemoteLinks;
  /** Replay: remote agents are in the roster but never asked (their recorded answers are used). */
  readonly replaying?: boolean;
}

const NOT_ASKED = (): Promise<never> => Promise.reject(new Error('a replayed cycle uses the recorded answer'));

/**
 * The fund's roster, every enabled agent in config order: built-ins from the registry, plug-in
 * modules imported (their recorded sha256 checked) with their proposals checked against the
 * contract, remote agents over their transport. A fund of built-ins only gets exactly
 * `createRoster`'s agents.
 */
export async function loadRoster(config: FundConfig, o: RosterOptions = {}): Promise<RosterAgent[]> {
  const out: RosterAgent[] = [];
  for (const a of config.agents) {
    if (!a.enabled) continue;
    out.push(await loadAgent(a, config, o));
  }
  return out;
}

async function loadAgent(a: AgentConfig, config: FundConfig, o: RosterOptions): Promise<RosterAgent> {
  if (a.module !== undefined) {
    const m = await configuredModule({ id: a.id, module: a.module, moduleSha256: a.moduleSha256 });
    return instantiateAgent(m, agentContext(a, config), a.params);
  }
  if (a.remote !== undefined) {
    const transport = o.replaying ? NOT_ASKED : await transportFor(a.id, a.remote, o.links ?? {});
    return new TransportAgent(agentContext(a, config), a.params, a.remote, transport);
  }
  return createAgent(a, config);
}
