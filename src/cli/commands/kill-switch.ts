import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { KeelError } from '../../core/index.ts';
import { killSwitchFile } from '../../fund/index.ts';
import type { CliContext } from '../context.ts';
import { emit } from '../output.ts';

export function registerKillSwitchCommands(program: Command, ctx: CliContext): void {
  const ks = program.command('kill-switch').description('the manual kill switch (.keel/KILL_SWITCH file and the fund trading state)');
  ks.command('trip')
    .description('halt trading: no cycle runs until the switch is re-armed')
    .requiredOption('--reason <text>', 'why (recorded in the audit chain)')
    .option('--by <name>', 'who', process.env.USER ?? 'cli')
    .option('--json', 'print as JSON')
    .action(async (o: { reason: string; by: string; json?: boolean }) => {
      const config = ctx.loadConfig();
      const store = await ctx.store();
      const at = new Date().toISOString();
      mkdirSync(ctx.home, { recursive: true });
      writeFileSync(killSwitchFile(ctx.home), `${JSON.stringify({ at, by: o.by, reason: o.reason })}\n`);
      await store.transaction(async (tx) => {
        if (await tx.funds.get(config.fund.id)) await tx.funds.setTradingState(config.fund.id, 'HALTED');
        await tx.audit.append({ at, actor: o.by, action: 'KillSwitchTripped', entity: 'fund', entityId: config.fund.id, payload: { reason: o.reason } });
      });
      emit(ctx.io, o.json === true, { tripped: true, file: killSwitchFile(ctx.home), at }, () => `kill switch TRIPPED by ${o.by}: ${o.reason}`);
    });
  ks.command('rearm')
    .description('remove the kill switch; the fund resumes in REDUCING and returns to ACTIVE after the cooldown')
    .requiredOption('--reason <text>', 'why it is safe to resume (recorded)')
    .option('--by <name>', 'who', process.env.USER ?? 'cli')
    .option('--json', 'print as JSON')
    .action(async (o: { reason: string; by: string; json?: boolean }) => {
      const config = ctx.loadConfig();
      const store = await ctx.store();
      const file = killSwitchFile(ctx.home);
      const fund = await store.funds.get(config.fund.id);
      if (!existsSync(file) && fund?.tradingState !== 'HALTED') throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', 'the kill switch is not tripped');
      const at = new Date().toISOString();
      rmSync(file, { force: true });
      await store.transaction(async (tx) => {
        if (fund) await tx.funds.setTradingState(config.fund.id, 'REDUCING');
        await tx.audit.append({ at, actor: o.by, action: 'KillSwitchRearmed', entity: 'fund', entityId: config.fund.id, payload: { reason: o.reason } });
      });
      emit(ctx.io, o.json === true, { tripped: false, at }, () => `kill switch re-armed by ${o.by}: ${o.reason}; trading state REDUCING until the cooldown passes`);
    });
}
