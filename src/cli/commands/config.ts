import type { Command } from 'commander';
import { configHash } from '../../contracts/index.ts';
import { KeelError } from '../../core/index.ts';
import type { CliContext } from '../context.ts';
import { emit, table } from '../output.ts';
import { registerFund } from '../../fund/index.ts';

export function registerConfigCommands(program: Command, ctx: CliContext): void {
  const config = program.command('config').description('show, validate and approve the fund config (the golden config guard)');

  config
    .command('show')
    .description('print the effective fund config and its SHA-256')
    .option('--config <file>', 'a config file instead of .keel/fund.json')
    .option('--json', 'print as JSON')
    .action((o: { config?: string; json?: boolean }) => {
      const cfg = ctx.loadConfig(o.config);
      const hash = configHash(cfg);
      emit(ctx.io, o.json === true, { hash, config: cfg }, () =>
        [
          `fund ${cfg.fund.id} (${cfg.fund.name}), capital $${cfg.fund.totalCapital.toLocaleString('en-US')}, mode ${cfg.fund.mode}`,
          `config sha256 ${hash}`,
          '',
          table(
            ['agent', 'strategy', 'capital', 'enabled'],
            cfg.agents.map((a) => [a.id, a.strategy, a.allocatedCapital.toLocaleString('en-US'), a.enabled ? 'yes' : 'no']),
          ),
        ].join('\n'),
      );
    });

  config
    .command('validate <file>')
    .description('check a config file; exits non-zero naming the field (or both conflicting fields)')
    .option('--json', 'print as JSON')
    .action((file: string, o: { json?: boolean }) => {
      const cfg = ctx.loadConfig(file);
      emit(ctx.io, o.json === true, { ok: true, hash: configHash(cfg) }, () => `ok: ${file} is valid (sha256 ${configHash(cfg)})`);
    });

  config
    .command('approve')
    .description('approve the current config hash for live trading (recorded with who and why)')
    .option('--config <file>', 'a config file instead of .keel/fund.json')
    .option('--by <name>', 'who approves', process.env.USER ?? 'cli')
    .option('--note <text>', 'why', '')
    .option('--json', 'print as JSON')
    .action(async (o: { config?: string; by: string; note: string; json?: boolean }) => {
      const cfg = ctx.loadConfig(o.config);
      const store = await ctx.store();
      const now = new Date().toISOString();
      const { hash } = await registerFund(store, cfg, o.by, now);
      await store.transaction(async (tx) => {
        await tx.configVersions.approve(hash, o.by, now);
        await tx.audit.append({ at: now, actor: o.by, action: 'ConfigApproved', entity: 'config', entityId: hash, payload: { note: o.note } });
      });
      emit(ctx.io, o.json === true, { hash, approvedBy: o.by }, () => `approved config ${hash} (by ${o.by})`);
    });

  config
    .command('list')
    .description('stored config versions and their approval')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      const cfg = ctx.loadConfig();
      const store = await ctx.store();
      const list = await store.configVersions.list(cfg.fund.id);
      if (list.length === 0 && o.json !== true) throw new KeelError('KEEL_E_NOT_FOUND', 'no stored config versions; run keel init');
      emit(ctx.io, o.json === true, list, () =>
        table(
          ['hash', 'created', 'approved', 'by'],
          list.map((v) => [v.hash.slice(0, 16), v.createdAt, v.approved ? 'yes' : 'no', v.approvedBy ?? '']),
        ),
      );
    });
}
