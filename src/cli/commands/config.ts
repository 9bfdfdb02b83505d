import type { Command } from 'commander';
import { configHash, type FundConfig } from '../../contracts/index.ts';
import { KeelError } from '../../core/index.ts';
import { describeDifferences, storedFundConfig } from '../../fund/index.ts';
import { applyConfig } from '../../pms/index.ts';
import type { CliContext } from '../context.ts';
import { emit, table } from '../output.ts';
import { controlDeps } from './kill-switch.ts';

function configText(cfg: FundConfig, hash: string, origin: string): string {
  const broker = cfg.execution.broker === 'alpaca' ? `alpaca (${cfg.execution.alpaca.endpoint} endpoint, account mismatch: ${cfg.execution.accountMismatch})` : 'paper';
  return [
    `fund ${cfg.fund.id} (${cfg.fund.name}), capital $${cfg.fund.totalCapital.toLocaleString('en-US')}, mode ${cfg.fund.mode}, broker ${broker}`,
    `config sha256 ${hash} (${origin})`,
    '',
    table(
      ['agent', 'strategy', 'capital', 'enabled'],
      cfg.agents.map((a) => [a.id, a.strategy, a.allocatedCapital.toLocaleString('en-US'), a.enabled ? 'yes' : 'no (paused)']),
    ),
  ].join('\n');
}

export function registerConfigCommands(program: Command, ctx: CliContext): void {
  const config = program
    .command('config')
    .description("show, validate, apply and approve a fund's config (the golden config guard)")
    .addHelpText(
      'after',
      [
        '',
        "A fund runs with its stored config: fund.json seeds a new fund once and is never applied silently",
        'afterwards; `keel config apply` makes a changed file the fund\'s config (a new, audited version).',
        'Live cycles (--mode live) run only on an approved version: `keel config approve` approves the fund\'s current one.',
      ].join('\n'),
    );

  config
    .command('show')
    .description("print the fund's config (the stored version it runs with; the file's for a fund not created yet) and its SHA-256")
    .option('--config <file>', 'a config file instead of .keel/fund.json')
    .option('--fund <id>', "the fund (default: the file's)")
    .option('--file', 'print the file as parsed instead of the stored config')
    .option('--json', 'print as JSON')
    .action(async (o: { config?: string; fund?: string; file?: boolean; json?: boolean }) => {
      const given = await ctx.loadConfig(o.config);
      const stored = o.file === true ? null : await storedFundConfig(await ctx.store(), o.fund ?? given.fund.id);
      if (o.fund && !stored && o.file !== true) throw new KeelError('KEEL_E_NOT_FOUND', `fund ${o.fund} does not exist (keel fund list)`);
      const cfg = stored?.config ?? given;
      const hash = stored?.hash ?? configHash(given);
      const origin = stored ? 'stored: the fund runs with it' : `file ${o.config ?? ctx.configPath}`;
      emit(ctx.io, o.json === true, { hash, stored: stored !== null, config: cfg }, () => configText(cfg, hash, origin));
      if (stored && stored.config.fund.id === given.fund.id && stored.hash !== configHash(given)) {
        ctx.io.err(`note: ${o.config ?? ctx.configPath} differs from it; keel config apply to apply the file`);
      }
    });

  config
    .command('validate <file>')
    .description('check a config file; exits non-zero naming the field (or both conflicting fields)')
    .option('--json', 'print as JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const cfg = await ctx.loadConfig(file);
      emit(ctx.io, o.json === true, { ok: true, hash: configHash(cfg) }, () => `ok: ${file} is valid (sha256 ${configHash(cfg)})`);
    });

  config
    .command('apply')
    .description("make a config file the config of its fund (fund.id): a new version, audited; the next cycle runs with it")
    .option('--config <file>', 'a config file instead of .keel/fund.json')
    .option('--by <name>', 'who (default: USER)')
    .option('--note <text>', 'why', 'applied from the config file')
    .option('--json', 'print as JSON')
    .action(async (o: { config?: string; by?: string; note: string; json?: boolean }) => {
      const cfg = await ctx.loadConfig(o.config);
      const c = await applyConfig(await controlDeps(ctx), { who: o.by ?? ctx.env.user, role: 'admin' }, cfg, o.note);
      emit(ctx.io, o.json === true, c, () =>
        c.from === c.to
          ? `fund ${c.fundId} already runs with this config (${c.to.slice(0, 12)}…)`
          : [
              `applied to fund ${c.fundId}: config ${c.from?.slice(0, 12) ?? '(new fund)'}… → ${c.to.slice(0, 12)}…`,
              c.differences.length > 0 ? `changed: ${describeDifferences(c.differences, 20)}` : '',
              c.approved ? 'approved for live trading' : 'not approved for live trading: keel config approve',
            ]
              .filter((x) => x !== '')
              .join('\n'),
      );
    });

  config
    .command('approve')
    .description("approve the fund's current config version for live trading (recorded with who and why)")
    .option('--config <file>', 'the config file naming the fund, instead of .keel/fund.json')
    .option('--fund <id>', "the fund (default: the file's)")
    .option('--by <name>', 'who approves (default: USER)')
    .option('--note <text>', 'why', '')
    .option('--json', 'print as JSON')
    .action(async (o: { config?: string; fund?: string; by?: string; note: string; json?: boolean }) => {
      const { hash, config: cfg } = await ctx.fundConfig({ ...(o.fund ? { fund: o.fund } : {}), ...(o.config ? { config: o.config } : {}) });
      const store = await ctx.store();
      const now = new Date().toISOString();
      const by = o.by ?? ctx.env.user;
      await store.transaction(async (tx) => {
        // A version stored before the schema grew is approved as it parses today (what a cycle hashes).
        await tx.configVersions.save({ hash, fundId: cfg.fund.id, config: cfg, createdAt: now, createdBy: by, note: 'as parsed today' });
        await tx.configVersions.approve(hash, by, now);
        await tx.audit.append({ at: now, actor: by, action: 'ConfigApproved', entity: 'config', entityId: hash, payload: { note: o.note } });
      });
      emit(ctx.io, o.json === true, { hash, approvedBy: by }, () => `approved config ${hash} (by ${by})`);
    });

  config
    .command('list')
    .description("a fund's stored config versions (newest first), the current one marked, and their approval")
    .option('--fund <id>', "the fund (default: fund.json's)")
    .option('--json', 'print as JSON')
    .action(async (o: { fund?: string; json?: boolean }) => {
      const fundId = o.fund ?? (await ctx.loadConfig()).fund.id;
      const store = await ctx.store();
      const list = await store.configVersions.list(fundId);
      if (list.length === 0 && o.json !== true) throw new KeelError('KEEL_E_NOT_FOUND', 'no stored config versions; run keel init');
      const current = (await store.funds.get(fundId))?.configHash ?? null;
      emit(ctx.io, o.json === true, list.map((v) => ({ ...v, current: v.hash === current })), () =>
        table(
          ['hash', 'created', 'by', 'current', 'approved', 'approved by', 'note'],
          list.map((v) => [v.hash.slice(0, 16), v.createdAt, v.createdBy, v.hash === current ? '*' : '', v.approved ? 'yes' : 'no', v.approvedBy ?? '', v.note.slice(0, 50)]),
        ),
      );
    });
}
