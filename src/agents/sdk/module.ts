import type { z } from 'zod';
import { AGENT_CONTRACT_VERSION, contractMajor, RiskDriver } from '../../contracts/index.ts';
import type { Agent, AgentContext } from '../agent.ts';

/**
 * What a plug-in agent module exports by default (`export default defineAgent({...})`): the
 * contract it was written against, how to build the agent, and optionally its parameter schema,
 * bucket and risk drivers (the fund config's `bucket` and `riskDrivers` win over the module's).
 */
export interface AgentModule<P = Record<string, unknown>> {
  /** The agent contract the module was written against: `'1'`, `'1.0'` or `'1.0.0'` (AGENT_CONTRACT_VERSION). */
  readonly contract: string;
  /** One line for `keel agent check` and the docs. */
  readonly summary?: string;
  /** The overlay bucket the agent belongs to (a key of the config's `buckets`). */
  readonly bucket?: string;
  /** The risk factors the agent's book loads on (the correlation and crowding checks use them). */
  readonly riskDrivers?: readonly RiskDriver[];
  /** A zod schema of the config's `params` (with defaults); a bad value is refused naming the field. */
  readonly params?: z.ZodType<P>;
  /** Builds the agent from its resolved context (id, capital, risk) and its parameters. Called once per roster. */
  create(ctx: AgentContext, params: P): Agent;
}

/** Declares a plug-in agent module with its types checked: `export default defineAgent({ contract: '1', create: ... })`. */
export function defineAgent<P = Record<string, unknown>>(m: AgentModule<P>): AgentModule<P> {
  return m;
}

/** A module's default export, understood (any of the three accepted forms). */
export interface LoadedAgentModule {
  readonly contract: string;
  readonly summary: string;
  readonly bucket: string | undefined;
  readonly riskDrivers: readonly RiskDriver[] | undefined;
  readonly params: z.ZodType | null;
  create(ctx: AgentContext, params: unknown): Agent;
}

type Understood = { readonly ok: true; readonly module: LoadedAgentModule } | { readonly ok: false; readonly error: string };

const FORMS = 'export default defineAgent({ contract: "1", create: (ctx, params) => new MyAgent(ctx, params) }), a class (export default class MyAgent { constructor(ctx, params) {…} propose(view, book) {…} }) or a factory function (ctx, params) => agent';

function field<T>(o: object, k: string): T | undefined {
  return (o as Record<string, unknown>)[k] as T | undefined;
}

/**
 * Reads a plug-in module's default export: a `defineAgent` object, a class whose instances have
 * `propose` (static `contract`, `bucket`, `riskDrivers`, `params`, `summary` optional), or a factory
 * function `(ctx, params) => Agent` (the same optional properties). Checks the contract major and
 * the declared drivers; the error says what is wrong and the forms accepted.
 */
export function agentModuleOf(exported: unknown): Understood {
  if (exported === undefined || exported === null) return { ok: false, error: `the module has no default export; export one of: ${FORMS}` };
  let create: ((ctx: AgentContext, params: unknown) => Agent) | null = null;
  if (typeof exported === 'function') {
    const proto = (exported as { prototype?: unknown }).prototype;
    const isClass = typeof proto === 'object' && proto !== null && typeof (proto as Record<string, unknown>).propose === 'function';
    const ctor = exported as new (ctx: AgentContext, params: unknown) => Agent;
    const fn = exported as (ctx: AgentContext, params: unknown) => Agent;
    create = isClass ? (ctx, p) => new ctor(ctx, p) : (ctx, p) => fn(ctx, p);
  } else if (typeof exported === 'object' && typeof field(exported, 'create') === 'function') {
    const m = exported as AgentModule<unknown>;
    create = (ctx, p) => m.create(ctx, p);
  }
  if (!create) return { ok: false, error: `the default export is a ${typeof exported} without create(); export one of: ${FORMS}` };
  const o = exported as object;
  const contract = field<unknown>(o, 'contract') ?? AGENT_CONTRACT_VERSION;
  if (typeof contract !== 'string' || !Number.isInteger(contractMajor(contract))) return { ok: false, error: `contract must be a version string like "1" or "1.0", got ${JSON.stringify(contract)}` };
  if (contractMajor(contract) !== contractMajor(AGENT_CONTRACT_VERSION)) {
    return { ok: false, error: `the module was written for agent contract ${contract}; this Keel implements ${AGENT_CONTRACT_VERSION} (docs/agents.md "The contract" says what changed)` };
  }
  const drivers = field<unknown>(o, 'riskDrivers');
  let riskDrivers: RiskDriver[] | undefined;
  if (drivers !== undefined) {
    const r = RiskDriver.array().safeParse(drivers);
    if (!r.success) return { ok: false, error: `riskDrivers must be a list of ${RiskDriver.options.join(', ')}; got ${JSON.stringify(drivers)}` };
    riskDrivers = r.data;
  }
  const bucket = field<unknown>(o, 'bucket');
  if (bucket !== undefined && (typeof bucket !== 'string' || bucket === '')) return { ok: false, error: `bucket must be a bucket name (a key of the config's buckets), got ${JSON.stringify(bucket)}` };
  const params = field<unknown>(o, 'params');
  if (params !== undefined && !(typeof params === 'object' && params !== null && typeof field(params, 'safeParse') === 'function')) {
    return { ok: false, error: 'params must be a zod schema (z.object({...})) of the agent\'s parameters' };
  }
  const summary = field<unknown>(o, 'summary');
  return {
    ok: true,
    module: {
      contract,
      summary: typeof summary === 'string' ? summary : '',
      bucket: bucket as string | undefined,
      riskDrivers,
      params: (params as z.ZodType | undefined) ?? null,
      create,
    },
  };
}
