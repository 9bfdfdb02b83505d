import { Option, type Command } from 'commander';
import { RandomIds } from '../../core/index.ts';
import { rearmKillSwitch, tripKillSwitch, type ControlDeps, type KillSwitchChange } from '../../pms/index.ts';
import type { TradingState } from '../../contracts/index.ts';
import type { CliContext } from '../context.ts';
import { emit } from '../output.ts';

/** The control deps of a CLI command: the kernel's store, bus and home. */
export async function controlDeps(ctx: CliContext): Promise<ControlDeps> {
  const kernel = ctx.kernel();
  return { store: await kernel.store(), bus: await kernel.bus(), ids: new RandomIds(), now: new Date(kernel.clock.now()).toISOString(), home: kernel.home };
}

/** The fund a command acts on: `--fund`, else fund.json's (seeded when it does not exist yet). */
export async function fundIdOf(ctx: CliContext, fund: string | undefined): Promise<string> {
  return (await ctx.fundConfig(fund ? { fund } : {})).config.fund.id;
}

function sharedNote(c: KillSwitchChange): string {
  return c.sharedFile ? `\nnote: ${c.sharedFile} (the shared kill switch of earlier versions) exists and halts every fund; remove it when every fund may trade` : '';
}

export function registerKillSwitchCommands(program: Command, ctx: CliContext): void {
  const ks = program
    .command('kill-switch')
    .description("a fund's kill switch: its trading state in the store and its file $KEEL_HOME/funds/<id>/KILL_SWITCH")
    .addHelpText('after', '\nThe same use case as POST /v1/funds/:fundId/kill-switch/trip|rearm: the trading-state table, a journal entry,\nan audit row and the trading-state.changed event; the database transaction is written before the file.\nThe shared file $KEEL_HOME/KILL_SWITCH of earlier versions still halts every fund when present.');
  ks.command('trip')
    .description('halt trading of a fund: HALTED, no cycle trades until the switch is re-armed')
    .requiredOption('--reason <text>', 'why (recorded in the journal and the audit chain)')
    .option('--fund <id>', "the fund (default: fund.json's)")
    .option('--by <name>', 'who (default: USER)')
    .option('--json', 'print as JSON')
    .action(async (o: { reason: string; fund?: string; by?: string; json?: boolean }) => {
      const fundId = await fundIdOf(ctx, o.fund);
      const by = o.by ?? ctx.env.user;
      const c = await tripKillSwitch(await controlDeps(ctx), { who: by, role: 'risk' }, fundId, o.reason);
      emit(ctx.io, o.json === true, c, () => `kill switch of fund ${fundId} TRIPPED by ${by}: ${o.reason} (${c.from} → HALTED; ${c.file ?? 'no file'})${sharedNote(c)}`);
    });
  ks.command('rearm')
    .description("re-arm a fund: HALTED → REDUCING (ACTIVE after the cooldown), REDUCING → ACTIVE; removes the fund's kill-switch file")
    .requiredOption('--reason <text>', 'why it is safe to resume (recorded)')
    .option('--fund <id>', "the fund (default: fund.json's)")
    .addOption(new Option('--to <state>', 'the state to re-arm to (default: the next step of the table)').choices(['ACTIVE', 'REDUCING']))
    .option('--by <name>', 'who (default: USER)')
    .option('--json', 'print as JSON')
    .action(async (o: { reason: string; fund?: string; to?: TradingState; by?: string; json?: boolean }) => {
      const fundId = await fundIdOf(ctx, o.fund);
      const by = o.by ?? ctx.env.user;
      const c = await rearmKillSwitch(await controlDeps(ctx), { who: by, role: 'risk' }, fundId, o.reason, o.to);
      emit(ctx.io, o.json === true, c, () => `kill switch of fund ${fundId} re-armed by ${by}: ${o.reason}; trading state ${c.tradingState}${c.tradingState === 'REDUCING' ? ' until the cooldown passes' : ''}${sharedNote(c)}`);
    });
}
