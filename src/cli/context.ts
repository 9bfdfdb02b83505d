import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KeelError } from '../core/index.ts';
import { defaultFundConfigInput, parseFundConfig, type FundConfig } from '../contracts/index.ts';
import { openStore, type Store } from '../store/index.ts';
import type { CliIo } from './output.ts';

/** What every command may use; built once per invocation (the CLI's composition root). */
export interface CliContext {
  readonly io: CliIo;
  /** Keel's home: KEEL_HOME or ./.keel */
  readonly home: string;
  /** Opens (and migrates) the store once; later calls reuse it. */
  store(): Promise<Store>;
  /** The fund config: `--config FILE`, else `<home>/fund.json`, else the embedded default. */
  loadConfig(file?: string): FundConfig;
  /** Where the fund config file lives by default. */
  readonly configPath: string;
  close(): Promise<void>;
}

export function createContext(io: CliIo): CliContext {
  const home = io.env.KEEL_HOME ? path.resolve(io.cwd, io.env.KEEL_HOME) : path.resolve(io.cwd, '.keel');
  let store: Promise<Store> | undefined;
  const configPath = path.join(home, 'fund.json');
  return {
    io,
    home,
    configPath,
    store() {
      store ??= openStore({ home, env: io.env });
      return store;
    },
    loadConfig(file?: string) {
      const p = file ? path.resolve(io.cwd, file) : configPath;
      if (file && !existsSync(p)) throw new KeelError('KEEL_E_FILE', `${file}: no such file`);
      if (!existsSync(p)) return parseFundConfig(defaultFundConfigInput());
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(p, 'utf8'));
      } catch (e) {
        throw new KeelError('KEEL_E_FILE', `${p}: not valid JSON (${(e as Error).message})`);
      }
      return parseFundConfig(raw);
    },
    async close() {
      if (store) await (await store).close();
    },
  };
}
