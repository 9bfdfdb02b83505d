import { z } from 'zod';
import { ValidationError } from '../core/index.ts';
import { AgentState, dollars, finite, formatPath, id, isoDate, refineUnique, Regime, shares, TradingState } from '../contracts/index.ts';
import type { FundState } from './types.ts';

const rearm = z.object({ who: z.string(), why: z.string(), at: isoDate });
const track = z.object({ state: AgentState, since: isoDate.nullable(), recoveryStep: z.number().int().min(-1), rearm: rearm.nullable(), entryDrawdown: finite.refine((x) => x >= 0, { message: 'must be ≥ 0' }).exactOptional(), unitVol: z.number().min(0).max(100).exactOptional() });
const position = z.object({ symbol: z.string().min(1), qty: shares, price: dollars.refine((x) => x >= 0, { message: 'must be ≥ 0' }) });
/** A daily return or a weight: a fraction, at most 100 (10,000%) in size. */
const fraction = finite.refine((x) => Math.abs(x) <= 100, { message: 'must be at most 100 in size' });

const agent = z.object({
  agentId: id,
  allocatedCapital: dollars.refine((x) => x >= 0, { message: 'must be ≥ 0' }),
  positions: z.array(position),
  weights: z.array(z.object({ symbol: z.string().min(1), weight: fraction })).exactOptional(),
  equity: dollars,
  highWaterMark: dollars,
  dailyPnl: dollars,
  monthlyPnl: dollars,
  drawdown: track,
  returns: z.array(fraction),
  standaloneRisk: z.number().min(0).max(100).exactOptional(),
  configuredCapital: dollars.exactOptional(),
  forecast: z.object({ vol: z.number().min(0).max(100), bias2: z.number().min(0).max(1e4), days: z.number().int().min(0), proposed: z.number().min(0).max(100).exactOptional(), proposedDays: z.number().int().min(0).exactOptional() }).exactOptional(),
});

/**
 * The fund state as stored between cycles (JSON), checked when it is loaded: real dates
 * (`YYYY-MM-DD`), numbers finite and within the sizes the risk math can square, each agent and
 * each outside book once (an id also used by an agent is refused: it would count as one book).
 */
export const FundStateRecord = z
  .object({
    asOf: isoDate,
    capital: dollars,
    highWaterMark: dollars,
    dailyPnl: dollars,
    monthlyPnl: dollars,
    tradingState: TradingState,
    tradingStateSince: isoDate.nullable(),
    fundDrawdown: track,
    agents: z.array(agent).superRefine((a, ctx) => refineUnique(a, (x) => x.agentId, 'agentId', ctx, 'each agent once')),
    outsideBooks: z.array(z.object({ bookId: id, positions: z.array(position) })).superRefine((b, ctx) => refineUnique(b, (x) => x.bookId, 'bookId', ctx, 'each book once')).exactOptional(),
    cvarBreachStreak: z.number().int().min(0),
    emergency: z.boolean(),
    manualKill: rearm.nullable(),
    regime: Regime.nullable(),
    regimeTrack: z
      .object({ regime: Regime, since: isoDate, days: z.number().int().min(1), pending: Regime.nullable(), pendingDays: z.number().int().min(0), asOf: isoDate })
      .exactOptional(),
    hedges: z.array(z.object({ instrument: z.string().min(1), notional: dollars, kind: z.enum(['index', 'sector', 'beta']) })),
    fundReturns: z.array(fraction),
    allocatedOn: isoDate.nullable().exactOptional(),
  })
  .superRefine((s, ctx) => {
    const agents = new Set(s.agents.map((a) => a.agentId));
    (s.outsideBooks ?? []).forEach((b, i) => {
      if (agents.has(b.bookId)) ctx.addIssue({ code: 'custom', path: ['outsideBooks', i, 'bookId'], message: `'${b.bookId}' is also an agent's id; a book outside the agents needs an id of its own` });
    });
  });

/** A stored fund state, checked; throws ValidationError naming the field (`state.agents[1].drawdown.since`). */
export function parseFundState(input: unknown, field = 'state'): FundState {
  const r = FundStateRecord.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new ValidationError(issue ? `${field}.${formatPath(issue.path)}` : field, issue?.message ?? 'invalid fund state');
}

/** Compile-time guard: a field added to FundState (or an agent's book, or a drawdown track) must be added to the schema, or loading would drop it. */
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
type Parsed = z.infer<typeof FundStateRecord>;
type Assert<T extends true> = T;
export type _SchemaCoversEveryField = Assert<SameKeys<Parsed, FundState> & SameKeys<Parsed['agents'][number], FundState['agents'][number]> & SameKeys<Parsed['fundDrawdown'], FundState['fundDrawdown']>>;
