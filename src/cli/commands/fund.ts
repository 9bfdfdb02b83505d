import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { defaultFundConfigInput, type FundConfigInput } from '../../contracts/index.ts';
import { KeelError } from '../../core/index.ts';
import { createFund, listFunds } from '../../pms/index.ts';
import type { CliContext } from '../context.ts';
import { emit, table } from '../output.ts';
import { parsePositive } from './args.ts';
import { controlDeps } from './kill-switch.ts';

function readJson(ctx: CliContext, file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path.resolve(ctx.io.cwd, file), 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new KeelError('KEEL_E_FILE', `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(e as Error).message})`}`);
  }
}

export function registerFundCommands(program: Command, ctx: CliContext): void {
  const fund = program.command('fund').description('create and list the funds of this store (as POST/GET /v1/funds)');
  fund
    .command('create <id>')
    .description('create a fund: its config stored as the first version, its agents registered')
    .option('--name <name>', 'display name (default: the id)')
    .option('--capital <dollars>', 'total capital (default 100,000,000; the default roster takes 90%)', parsePositive('--capital'))
    .addOption(new Option('--mode <mode>', 'autonomous (trades) or advisory (proposals for approval)').choices(['autonomous', 'advisory']))
    .addOption(new Option('--broker <broker>', 'execution.broker').choices(['paper', 'alpaca']))
    .option('--config <file>', 'create from this config file (its fund.id is replaced by <id>) instead of the default roster')
    .option('--by <name>', 'who (default: USER)')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { name?: string; capital?: number; mode?: 'autonomous' | 'advisory'; broker?: 'paper' | 'alpaca'; config?: string; by?: string; json?: boolean }) => {
      const base = (o.config ? readJson(ctx, o.config) : defaultFundConfigInput(o.capital ?? 100_000_000)) as FundConfigInput & { fund?: Record<string, unknown>; execution?: Record<string, unknown> };
      const input = {
        ...base,
        fund: { ...(base.fund ?? {}), id, name: o.name ?? id, ...(o.capital !== undefined ? { totalCapital: o.capital } : {}), ...(o.mode ? { mode: o.mode } : {}) },
        ...(o.broker ? { execution: { ...(base.execution ?? {}), broker: o.broker } } : {}),
      } as FundConfigInput;
      const by = o.by ?? ctx.env.user;
      const c = await createFund(await controlDeps(ctx), { who: by, role: 'admin' }, input, `created by ${by} from the CLI`);
      emit(ctx.io, o.json === true, c, () => `created fund ${id} (config ${c.to.slice(0, 12)}…); run it with keel run --once --fund ${id}`);
    });
  fund
    .command('list')
    .description('the funds with their trading state, mode, broker, capital, agents (paused ones named) and config approval')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      const funds = await listFunds({ store: await ctx.store() });
      emit(ctx.io, o.json === true, funds, () =>
        funds.length === 0
          ? 'no funds; create one with keel init or keel fund create <id>'
          : table(
              ['fund', 'state', 'mode', 'broker', 'capital', 'agents', 'paused', 'config', 'approved'],
              funds.map((f) => [f.id, f.tradingState, f.mode ?? '?', f.broker ?? '?', f.totalCapital?.toLocaleString('en-US') ?? '?', f.agents ?? '?', f.pausedAgents.join(',') || '-', f.configHash?.slice(0, 12) ?? '-', f.approved ? 'yes' : 'no']),
            ),
      );
    });
}
