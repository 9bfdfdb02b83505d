import { agentContext, createAgent, instantiateAgent, type Agent } from '../../agents/index.ts';
import type { AgentConfig, FundConfig } from '../../contracts/index.ts';
import { configuredModule } from './agent-modules.ts';

/**
 * The fund's roster, every enabled agent in config order: built-ins from the registry, plug-in
 * modules imported (their recorded sha256 checked) and their proposals checked against the
 * contract. A fund of built-ins only gets exactly `createRoster`'s agents.
 */
export async function loadRoster(config: FundConfig): Promise<Agent[]> {
  const out: Agent[] = [];
  for (const a of config.agents) {
    if (!a.enabled) continue;
    out.push(await loadAgent(a, config));
  }
  return out;
}

async function loadAgent(a: AgentConfig, config: FundConfig): Promise<Agent> {
  if (a.module !== undefined) {
    const m = await configuredModule({ id: a.id, module: a.module, moduleSha256: a.moduleSha256 });
    return instantiateAgent(m, agentContext(a, config), a.params);
  }
  return createAgent(a, config);
}
