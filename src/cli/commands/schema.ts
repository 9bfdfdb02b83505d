import { InvalidArgumentError, type Command } from 'commander';
import { z } from 'zod';
import { AGENT_CONTRACT_VERSION, AgentProposal, AgentRequest } from '../../contracts/index.ts';
import type { CliContext } from '../context.ts';

const SCHEMAS = { 'agent-request': AgentRequest, 'agent-proposal': AgentProposal } as const;
type SchemaName = keyof typeof SCHEMAS;

function parseName(v: string): SchemaName {
  if (!(v in SCHEMAS)) throw new InvalidArgumentError(`one of ${Object.keys(SCHEMAS).join(', ')}`);
  return v as SchemaName;
}

/** `keel schema agent-request|agent-proposal`: the JSON Schema of a remote agent's request and answer (docs/agents.md "Remote agents"). */
export function registerSchemaCommand(program: Command, ctx: CliContext): void {
  program
    .command('schema')
    .argument('<name>', 'agent-request or agent-proposal', parseName)
    .description(`print the JSON Schema (draft 2020-12) of agent contract ${AGENT_CONTRACT_VERSION}: agent-request (what Keel sends a remote agent) or agent-proposal (what it answers)`)
    .action((n: SchemaName) => {
      // the request as Keel sends it (defaults filled); the proposal as an agent may write it (defaults optional)
      const schema = z.toJSONSchema(SCHEMAS[n], { io: n === 'agent-request' ? 'output' : 'input', unrepresentable: 'any' });
      ctx.io.out(JSON.stringify({ ...schema, $id: `https://keel.dev/schemas/agent-contract-${AGENT_CONTRACT_VERSION}/${n}.json`, title: n }, null, 2));
    });
}
