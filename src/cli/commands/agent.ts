import type { Command } from 'commander';
import { AGENT_RISK_KEYS, changeAgentRisk, pauseAgent, rearmAgentDrawdown, resumeAgent, type AgentChange } from '../../pms/index.ts';
import type { CliContext } from '../context.ts';
import { emit } from '../output.ts';
import { parsePositive } from './args.ts';
import { registerAgentDevCommands } from './agent-dev.ts';
import { controlDeps, fundIdOf } from './kill-switch.ts';

function changeText(verb: string, c: AgentChange): string {
  const approval = c.approved ? 'approved for live trading' : 'not approved: a live fund refuses to trade until keel config approve';
  return `agent ${c.agent.id} of fund ${c.fundId} ${verb}; config ${c.from?.slice(0, 12) ?? '(none)'}… → ${c.to.slice(0, 12)}… (${approval}); the next cycle uses it`;
}

/** `key=value` pairs of risk parameters → numbers, naming a bad pair. */
function parseRisk(pairs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pairs) {
    const m = /^([A-Za-z0-9]+)=(.+)$/.exec(p);
    const v = m ? Number(m[2]) : Number.NaN;
    if (!m?.[1] || !Number.isFinite(v)) throw new Error(`--set ${p}: expected name=number, e.g. maxPositionPct=0.05 (names: ${AGENT_RISK_KEYS.join(', ')})`);
    out[m[1]] = v;
  }
  return out;
}

export function registerAgentCommands(program: Command, ctx: CliContext): void {
  const agent = program
    .command('agent')
    .description("write your own agent (new, check), pause, resume or change the risk of a fund's agent (a versioned config change, as the API's), or re-arm one its drawdown ladder paused")
    .addHelpText(
      'after',
      [
        '',
        "Each control stores a new version of the fund's config (audited, part of the config hash) and the next",
        'cycle uses it. A paused agent proposes nothing and its book is held as it stands: no orders for it,',
        "its positions still count in the fund's risk. In live mode the new version must be approved",
        '(keel config approve) before the fund trades again.',
      ].join('\n'),
    );
  registerAgentDevCommands(agent, ctx);
  const common = (c: Command) => c.option('--fund <id>', "the fund (default: fund.json's)").option('--by <name>', 'who (default: USER)').option('--json', 'print as JSON');
  common(agent.command('pause <agentId>').description('pause an agent from the next cycle: no new trades, its book held').requiredOption('--reason <text>', 'why (journal and audit)')).action(
    async (agentId: string, o: { reason: string; fund?: string; by?: string; json?: boolean }) => {
      const fundId = await fundIdOf(ctx, o.fund);
      const c = await pauseAgent(await controlDeps(ctx), { who: o.by ?? ctx.env.user, role: 'risk' }, fundId, agentId, o.reason);
      emit(ctx.io, o.json === true, c, () => changeText('paused', c));
    },
  );
  common(agent.command('resume <agentId>').description('resume a paused agent from the next cycle').requiredOption('--reason <text>', 'why (journal and audit)')).action(
    async (agentId: string, o: { reason: string; fund?: string; by?: string; json?: boolean }) => {
      const fundId = await fundIdOf(ctx, o.fund);
      const c = await resumeAgent(await controlDeps(ctx), { who: o.by ?? ctx.env.user, role: 'risk' }, fundId, agentId, o.reason);
      emit(ctx.io, o.json === true, c, () => changeText('resumed', c));
    },
  );
  common(
    agent
      .command('rearm <agentId>')
      .description('re-arm an agent its drawdown ladder paused: the next cycle starts its recovery ramp once the cooldown has passed')
      .requiredOption('--reason <text>', 'why (journal and audit)')
      .addHelpText('after', '\nThe ladder\'s last step (drawdown.agentSteps, 3σ of the agent\'s own vol by default) pauses an agent until a\nperson re-arms it (role risk). The same use case as POST /v1/funds/:fundId/agents/:agentId/rearm. Refused when\nthe agent is not paused by its ladder; a config pause (keel agent pause) is undone by keel agent resume.'),
  ).action(async (agentId: string, o: { reason: string; fund?: string; by?: string; json?: boolean }) => {
    const fundId = await fundIdOf(ctx, o.fund);
    const r = await rearmAgentDrawdown(await controlDeps(ctx), { who: o.by ?? ctx.env.user, role: 'risk' }, fundId, agentId, o.reason);
    emit(ctx.io, o.json === true, r, () => `agent ${r.agentId} of fund ${r.fundId} re-armed by ${r.journalEntry.who}: ${o.reason}; the next cycle starts its recovery once the drawdown cooldown has passed`);
  });
  common(
    agent
      .command('risk <agentId>')
      .description("change an agent's risk parameters (--set name=value, repeatable) and/or its allocated capital")
      .option('--set <name=value>', `a risk parameter (${AGENT_RISK_KEYS.join(', ')})`, (v: string, acc: string[]) => [...acc, v], [] as string[])
      .option('--capital <dollars>', 'allocated capital', parsePositive('--capital'))
      .requiredOption('--reason <text>', 'why (journal and audit)'),
  ).action(async (agentId: string, o: { set: string[]; capital?: number; reason: string; fund?: string; by?: string; json?: boolean }) => {
    const fundId = await fundIdOf(ctx, o.fund);
    const risk = parseRisk(o.set);
    const c = await changeAgentRisk(
      await controlDeps(ctx),
      { who: o.by ?? ctx.env.user, role: 'admin' },
      fundId,
      agentId,
      { ...(o.set.length > 0 ? { risk } : {}), ...(o.capital !== undefined ? { allocatedCapital: o.capital } : {}) },
      o.reason,
    );
    emit(ctx.io, o.json === true, c, () => changeText(`risk changed (${c.differences.map((d) => d.path).join(', ') || 'no change'})`, c));
  });
}
