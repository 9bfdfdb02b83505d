import { Command, CommanderError } from 'commander';
import { registerAgentCommands } from './commands/agent.ts';
import { registerAgentsServeCommand } from './commands/agents-serve.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerBacktestCommands } from './commands/backtest.ts';
import { registerConfigCommands } from './commands/config.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerFundCommands } from './commands/fund.ts';
import { registerInitCommand } from './commands/init.ts';
import { registerKillSwitchCommands } from './commands/kill-switch.ts';
import { registerReplayCommand } from './commands/replay.ts';
import { registerRiskCommands } from './commands/risk.ts';
import { registerRunCommands } from './commands/run.ts';
import { registerSchemaCommand } from './commands/schema.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerUserCommands } from './commands/user.ts';
import { createContext, type CliContext } from './context.ts';
import { registerMarketCommands } from './market/index.ts';
import { formatError, processIo, type CliIo } from './output.ts';

/** Builds the `keel` program. Each command area registers itself; `io` is where output goes. */
export function buildProgram(ctx: CliContext): Command {
  const { io } = ctx;
  const program = new Command('keel')
    .description('Keel: a fund operating system — autonomous agents under a fund-level risk overlay')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride();
  registerInitCommand(program, ctx);
  registerConfigCommands(program, ctx);
  registerFundCommands(program, ctx);
  registerAgentCommands(program, ctx);
  registerAgentsServeCommand(program, ctx);
  registerAuditCommands(program, ctx);
  registerMarketCommands(program, ctx);
  registerBacktestCommands(program, ctx);
  registerRunCommands(program, ctx);
  registerReplayCommand(program, ctx);
  registerKillSwitchCommands(program, ctx);
  registerDemoCommand(program, ctx);
  registerUserCommands(program, ctx);
  registerServeCommand(program, ctx);
  registerRiskCommands(program, ctx);
  registerSchemaCommand(program, ctx);
  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 usage error. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const ctx = createContext(io);
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return e.exitCode === 0 ? 0 : 2;
    }
    io.err(formatError(e));
    return 1;
  } finally {
    await ctx.close();
  }
}
