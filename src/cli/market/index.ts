import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { registerFetch } from './fetch.ts';
import { registerGenerate } from './generate.ts';
import { registerImport } from './import.ts';
import { registerList } from './list.ts';
import { registerQuality } from './quality.ts';

/** Registers `keel market generate | import | fetch | quality | list` on the root program. */
export function registerMarketCommands(program: Command, deps: CliContext): Command {
  const market = program.command('market').description('market data: synthetic market, importers, fetching from providers, data quality and governance');
  registerGenerate(market, deps);
  registerImport(market, deps);
  registerFetch(market, deps);
  registerQuality(market, deps);
  registerList(market, deps);
  return market;
}
