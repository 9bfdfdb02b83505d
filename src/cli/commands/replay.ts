import type { Command } from 'commander';
import { parseFundConfig } from '../../contracts/index.ts';
import { KeelError } from '../../core/index.ts';
import { loadMarket, refuseApprovalExecution, replayCycle, type CycleInputs } from '../../fund/index.ts';
import type { CliContext } from '../context.ts';
import { emit } from '../output.ts';

export function registerReplayCommand(program: Command, ctx: CliContext): void {
  program
    .command('replay <cycleId>')
    .description(
      're-run a recorded cycle from its stored inputs and report any difference in the decisions (none is expected). ' +
        "An approval execution (<fund>-exec-<proposal>, the state an approved proposal's orders left) is not a cycle: replay the cycle its proposal came from",
    )
    .option('--json', 'print the report as JSON')
    .action(async (cycleId: string, o: { json?: boolean }) => {
      const store = await ctx.store();
      const cycle = await store.cycles.get(cycleId);
      await refuseApprovalExecution(store, cycleId, cycle);
      if (!cycle) throw new KeelError('KEEL_E_NOT_FOUND', `no cycle '${cycleId}'`);
      const inputs = (cycle.summary as { inputs?: CycleInputs }).inputs;
      if (!inputs) throw new KeelError('KEEL_E_NOT_FOUND', `cycle '${cycleId}' was stored without its inputs; it cannot be replayed`);
      const version = await store.configVersions.get(inputs.configHash);
      if (!version) throw new KeelError('KEEL_E_NOT_FOUND', `config ${inputs.configHash.slice(0, 12)}… of cycle '${cycleId}' is not stored`);
      const config = parseFundConfig(version.config);
      const recorded = await store.overlayActions.listByCycle(cycleId);
      const market = await loadMarket(store, { to: inputs.asOf, cacheDir: ctx.marketCacheDir });
      const report = await replayCycle(config, market.panel, inputs, recorded);
      const { decisions: _decisions, ...summary } = report;
      emit(ctx.io, o.json === true, summary, () =>
        report.identical
          ? `replay of ${cycleId} (${report.asOf}): identical — ${recorded.length} decisions, sha256 ${report.replayedHash.slice(0, 16)}…`
          : [`replay of ${cycleId} DIFFERS (${report.differences.length} difference(s)):`, ...report.differences.slice(0, 40).map((d) => `  ${d.agentId} ${d.path}: recorded ${JSON.stringify(d.recorded)} → replayed ${JSON.stringify(d.replayed)}`)].join('\n'),
      );
      if (!report.identical) throw new KeelError('KEEL_E_INVARIANT', `replay of ${cycleId} differs from the record`);
    });
}
