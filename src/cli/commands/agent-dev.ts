import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AGENT_CONTRACT_VERSION, agentForTest, runAgent, type AgentRun } from '../../agents/index.ts';
import { AgentConfig, formatPath } from '../../contracts/index.ts';
import { KeelError, ValidationError } from '../../core/index.ts';
import { fileSha256, importAgentModule, isEsmScope, loadMarket } from '../../fund/index.ts';
import { syntheticPanel, type Panel } from '../../market/index.ts';
import type { CliContext } from '../context.ts';
import { emit, table } from '../output.ts';
import { parseInteger } from './args.ts';
import { agentSource, agentTestSource } from './agent-scaffold.ts';

const NAME = /^[a-z0-9][a-z0-9_-]*$/;

interface NewOptions {
  dir: string;
  config?: string;
  capital: number;
  force?: boolean;
  json?: boolean;
}

/** The config entry of a scaffolded agent, its module path relative to the config file's folder. */
function entryFor(name: string, file: string, configDir: string, capital: number): Record<string, unknown> {
  const rel = path.relative(configDir, file).split(path.sep).join('/');
  return { id: name, module: rel.startsWith('.') ? rel : `./${rel}`, allocatedCapital: capital, params: {} };
}

/** Adds an agent entry to a fund config file (refusing an id it already has). */
function addToConfig(configFile: string, entry: Record<string, unknown>): void {
  if (!existsSync(configFile)) throw new KeelError('KEEL_E_FILE', `${configFile}: no such file; run keel init first or leave out --config`);
  const raw = JSON.parse(readFileSync(configFile, 'utf8')) as { agents?: { id?: string }[] };
  const agents = raw.agents ?? [];
  if (agents.some((a) => a.id === entry.id)) throw new ValidationError('agents', `${configFile} already has an agent '${String(entry.id)}'; choose another name or edit the file`);
  writeFileSync(configFile, `${JSON.stringify({ ...raw, agents: [...agents, entry] }, null, 2)}\n`);
}

function checkText(file: string, sha: string, summary: string, run: AgentRun, market: string): string {
  const last = run.proposals.at(-1);
  const t = run.tearSheet;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `ok: ${file} (sha256 ${sha.slice(0, 12)}…) meets agent contract ${AGENT_CONTRACT_VERSION}${summary ? `: ${summary}` : ''}`,
    `${run.proposals.length} proposals on ${market}, ${run.dates[0] ?? ''} … ${run.dates.at(-1) ?? ''}, every one valid`,
    `without costs: return ${pct(t.totalReturn)}, vol ${pct(t.annualVol)}, Sharpe ${t.sharpe.toFixed(2)}, max drawdown ${pct(t.maxDrawdown)}, mean gross ${t.meanGross.toFixed(2)}, ${t.meanNames.toFixed(1)} names, daily turnover ${pct(t.turnover)}`,
    '',
    `last proposal (${last?.asOf ?? '-'}): ${last?.targets.length ?? 0} targets, ${last?.signals.length ?? 0} signals; ${last?.reasoning ?? ''}`,
    table(
      ['symbol', 'weight', 'mu', 'sigma', 'conf'],
      (last?.targets ?? []).slice(0, 15).map((x) => {
        const s = last?.signals.find((g) => g.symbol === x.symbol);
        return [x.symbol, x.weight.toFixed(4), s ? s.mu.toFixed(4) : '-', s ? s.sigma.toFixed(4) : '-', s ? s.confidence.toFixed(2) : '-'];
      }),
    ),
  ].join('\n');
}

/** `keel agent new` and `keel agent check`: writing your own agent (docs/agents.md "Write your own agent"). */
export function registerAgentDevCommands(agent: Command, ctx: CliContext): void {
  agent
    .command('new <name>')
    .description('scaffold a plug-in agent: <dir>/<name>.ts (a ranking agent on keel/agents), its test, and its fund config entry')
    .option('--dir <folder>', 'where to write the files', 'agents')
    .option('--config <file>', 'also add the entry to this fund config file (the module path relative to it)')
    .option('--capital <dollars>', 'the entry\'s allocatedCapital', parseInteger('--capital', 0), 1_000_000)
    .option('--force', 'overwrite existing files')
    .option('--json', 'print as JSON')
    .action((name: string, o: NewOptions) => {
      if (!NAME.test(name)) throw new ValidationError('name', `'${name}' is not an agent id: lower-case letters, digits, _ and - only (e.g. low-vol)`);
      const dir = path.resolve(ctx.io.cwd, o.dir);
      const file = path.join(dir, `${name}.ts`);
      const testFile = path.join(dir, `${name}.test.ts`);
      for (const f of [file, testFile]) if (existsSync(f) && !o.force) throw new KeelError('KEEL_E_FILE', `${f} exists; pass --force to overwrite it`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, agentSource(name));
      writeFileSync(testFile, agentTestSource(name));
      // TypeScript agents are ES modules: outside an ES-module package, mark the folder as one
      const pkg = isEsmScope(file) ? null : path.join(dir, 'package.json');
      if (pkg) writeFileSync(pkg, `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
      const configFile = o.config ? path.resolve(ctx.io.cwd, o.config) : null;
      const entry = entryFor(name, file, configFile ? path.dirname(configFile) : ctx.io.cwd, o.capital);
      if (configFile) addToConfig(configFile, entry);
      emit(ctx.io, o.json === true, { module: file, test: testFile, packageJson: pkg, entry, addedTo: configFile }, () =>
        [
          `wrote ${file}`,
          `wrote ${testFile}`,
          ...(pkg ? [`wrote ${pkg} ({"type": "module"}: agent modules are ES modules)`] : []),
          configFile ? `added agent '${name}' to ${configFile}` : 'its entry for the "agents" list of your fund config (module relative to the config file):',
          ...(configFile ? [] : [JSON.stringify(entry, null, 2)]),
          '',
          `next: keel agent check ${path.relative(ctx.io.cwd, file) || file}, then keel backtest --config <fund config> --from … --to …`,
        ].join('\n'),
      );
    });

  agent
    .command('check <module>')
    .description('load a plug-in agent module, check it against the agent contract on a short window of the stored market (or a synthetic one) and print what it proposed')
    .option('--params <json>', 'the agent\'s params, as in the config (JSON object)')
    .option('--days <n>', 'trading days to run it', parseInteger('--days', 1), 60)
    .option('--synthetic', 'run on a synthetic market even when one is stored')
    .option('--json', 'print as JSON (the last proposal and the tear sheet)')
    .action(async (spec: string, o: { params?: string; days: number; synthetic?: boolean; json?: boolean }) => {
      const file = path.resolve(ctx.io.cwd, spec);
      if (!existsSync(file)) throw new ValidationError('module', `'${spec}' not found (${file})`);
      let params: unknown = {};
      if (o.params !== undefined) {
        try {
          params = JSON.parse(o.params);
        } catch (e) {
          throw new ValidationError('--params', `not valid JSON: ${(e as Error).message}`);
        }
      }
      const sha = fileSha256(file);
      const m = await importAgentModule(file, sha, 'module');
      const id = path.basename(file).replace(/\.[cm]?[jt]s$/, '').toLowerCase().replace(/[^a-z0-9_-]/g, '-');
      const entry = AgentConfig.safeParse({ id, module: spec, allocatedCapital: 1, params });
      if (!entry.success) throw new ValidationError(formatPath(entry.error.issues[0]?.path ?? []), entry.error.issues[0]?.message ?? 'invalid');
      const agentObj = agentForTest(m, { id, params: entry.data.params });
      const { panel, market } = await checkMarket(ctx, o.synthetic === true, o.days);
      const from = panel.dates[Math.max(0, panel.T - o.days)] ?? '';
      const run = runAgent(agentObj, panel, from, panel.dates[panel.T - 1] ?? '');
      emit(ctx.io, o.json === true, { ok: true, module: file, sha256: sha, contract: AGENT_CONTRACT_VERSION, declared: { contract: m.contract, bucket: m.bucket ?? null, riskDrivers: m.riskDrivers ?? null, summary: m.summary }, market, days: run.proposals.length, tearSheet: run.tearSheet, last: run.proposals.at(-1) ?? null }, () =>
        checkText(file, sha, m.summary, run, market),
      );
    });
}

/** The stored market (when there is one and not --synthetic), else a synthetic one long enough for a year of warm-up. */
async function checkMarket(ctx: CliContext, synthetic: boolean, days: number): Promise<{ panel: Panel; market: string }> {
  if (!synthetic) {
    try {
      const loaded = await loadMarket(await ctx.store(), { cacheDir: ctx.marketCacheDir });
      return { panel: loaded.panel, market: `the stored market (${loaded.panel.U} names)` };
    } catch (e) {
      if (!(e instanceof KeelError && e.code === 'KEEL_E_NOT_FOUND')) throw e;
    }
  }
  const years = Math.max(1.5, (days + 260) / 252);
  return { panel: syntheticPanel({ seed: 1, symbols: 60, years }), market: 'a synthetic market (60 names, seed 1)' };
}
