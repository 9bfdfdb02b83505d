import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { JsonLogger, KeelError, type LogLevel } from '../core/index.ts';
import { defaultFundConfigInput, parseFundConfig, parseFundConfigInput, type FundConfig } from '../contracts/index.ts';
import { checkAgentParams } from '../agents/index.ts';
import { createKernel, marketCacheDir, describeDifferences, readEnv, resolveAgentModules, resolveFundConfig, type KeelEnv, type Kernel, type ResolvedFundConfig } from '../fund/index.ts';
import { proposalDesk } from '../pms/index.ts';
import type { Store } from '../store/index.ts';
import type { CliIo } from './output.ts';

/** What every command may use; built once per invocation. Its parts come from the kernel. */
export interface CliContext {
  readonly io: CliIo;
  /** The environment table, read once (a bad value fails the command that reads it, naming the variable). */
  readonly env: KeelEnv;
  /** Keel's home: KEEL_HOME or ./.keel */
  readonly home: string;
  /** The kernel (built on first use; `level` is the log level when KEEL_LOG_LEVEL is unset). */
  kernel(o?: { readonly level?: LogLevel }): Kernel;
  /** The kernel's store (opened and migrated once). */
  store(): Promise<Store>;
  /**
   * The fund config file: `--config FILE`, else `<home>/fund.json`, else the embedded default.
   * Plug-in agent modules are resolved against the file's folder and their sha256 recorded.
   */
  loadConfig(file?: string): Promise<FundConfig>;
  /**
   * The config a fund runs with: its stored version (a fund that does not exist yet is seeded
   * from the file). Where the file differs, a warning names the fields; it is not applied.
   */
  fundConfig(o?: { readonly fund?: string; readonly config?: string }): Promise<ResolvedFundConfig>;
  /** Where the fund config file lives by default. */
  readonly configPath: string;
  /** Cached market loads: `<home>/cache` (src/fund/market-cache.ts). */
  readonly marketCacheDir: string;
  close(): Promise<void>;
}

export function createContext(io: CliIo): CliContext {
  let env: KeelEnv | undefined;
  let kernel: Kernel | undefined;
  const envOf = (): KeelEnv => (env ??= readEnv(io.env, io.cwd));
  const ctx: CliContext = {
    io,
    get env() {
      return envOf();
    },
    get home() {
      return envOf().home;
    },
    get configPath() {
      return path.join(envOf().home, 'fund.json');
    },
    get marketCacheDir() {
      return marketCacheDir(envOf().home);
    },
    kernel(o = {}) {
      kernel ??= createKernel({
        env: envOf(),
        logger: new JsonLogger((l) => io.err(l), {}, envOf().logLevel ?? o.level ?? 'warn'),
        desk: proposalDesk,
      });
      return kernel;
    },
    store() {
      return ctx.kernel().store();
    },
    async loadConfig(file?: string) {
      const p = file ? path.resolve(io.cwd, file) : ctx.configPath;
      if (file && !existsSync(p)) throw new KeelError('KEEL_E_FILE', `${file}: no such file`);
      if (!existsSync(p)) return parseFundConfig(defaultFundConfigInput());
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(p, 'utf8'));
      } catch (e) {
        throw new KeelError('KEEL_E_FILE', `${p}: not valid JSON (${(e as Error).message})`);
      }
      // a file a person wrote: every key must be known, every built-in agent's parameters valid
      const config = await resolveAgentModules(parseFundConfigInput(raw), path.dirname(p));
      checkAgentParams(config);
      return config;
    },
    async fundConfig(o = {}) {
      const given = await ctx.loadConfig(o.config);
      const store = await ctx.store();
      const r = await resolveFundConfig(store, given, { ...(o.fund ? { fundId: o.fund } : {}), actor: envOf().user, now: new Date().toISOString() });
      if (r.drift.length > 0) {
        const file = o.config ?? ctx.configPath;
        io.err(`warning: ${file} differs from fund ${r.config.fund.id}'s config in ${r.drift.length} field(s) (${describeDifferences(r.drift)}); it is not applied: the fund runs with its stored config. Apply it with keel config apply${o.config ? ` --config ${o.config}` : ''}.`);
      }
      return r;
    },
    async close() {
      if (kernel) await kernel.close();
    },
  };
  return ctx;
}
