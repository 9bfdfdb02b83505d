import { z } from 'zod';
import { finite, formatPath, id, isoDate, resolveAgentRisk, symbol, type AgentProposal, type FundConfig, type TargetPosition } from '../../contracts/index.ts';
import { ValidationError, type IsoDate } from '../../core/index.ts';
import type { MarketView } from '../../market/index.ts';
import { weekdaysSince, type FundReview } from '../../overlay/index.ts';
import type { Ledger } from '../ledger/ledger.ts';

/**
 * ATR stops (`risk.atrStops`): the stop and take-profit prices of one agent's position in one name,
 * as the proposal that opened or last resized it gave them (`TargetWeight.stopLoss` / `takeProfit`,
 * price units; null when the agent gave none). `side` is +1 long, −1 short; `setOn` the as-of date
 * of that proposal (a level is checked against the days after it).
 */
export const StopLevel = z.object({
  agentId: id,
  symbol,
  side: z.union([z.literal(1), z.literal(-1)]),
  stop: finite.nullable(),
  target: finite.nullable(),
  setOn: isoDate,
  /** Set when the position exited at this level: the name is in its re-entry cooldown (`risk.atrStopCooldownDays`) since that date. */
  exitedOn: isoDate.exactOptional(),
});
export type StopLevel = z.infer<typeof StopLevel>;

/** A stored list of stop levels, checked; throws ValidationError naming the field. */
export function parseStopLevels(input: unknown, field = 'state.stops'): StopLevel[] {
  const r = z.array(StopLevel).safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new ValidationError(issue ? `${field}.${formatPath(issue.path)}` : field, issue?.message ?? 'invalid stop levels');
}

export type StopExitKind = 'ATR_STOP' | 'TAKE_PROFIT';

/**
 * A position the cycle closes because the day's range crossed its level: a long's low at or below
 * its stop (or its high at or above its target), a short's mirrored. `level` is the price crossed,
 * `low` / `high` the day's range (dollars), `qty` the signed shares closed.
 */
export interface StopExit {
  readonly agentId: string;
  readonly symbol: string;
  readonly kind: StopExitKind;
  readonly level: number;
  readonly low: number;
  readonly high: number;
  readonly qty: number;
  readonly setOn: IsoDate;
}

/** Agents with `risk.atrStops` on. */
export function stopAgents(config: FundConfig): ReadonlySet<string> {
  return new Set(config.agents.filter((a) => resolveAgentRisk(config, a).atrStops).map((a) => a.id));
}

/** Re-entry cooldown in weekdays per agent with stops (`risk.atrStopCooldownDays`; 0: none). */
export function stopCooldowns(config: FundConfig): ReadonlyMap<string, number> {
  return new Map(config.agents.map((a) => [a.id, resolveAgentRisk(config, a).atrStopCooldownDays] as const).filter(([, d]) => d > 0));
}

/**
 * Checks the levels against the day's range. A level whose agent no longer asks for stops, or whose
 * position is closed or turned (for any reason: the agent, the overlay, a fill), is forgotten; a
 * level set today is kept unchecked (today's range is what it was set from). Pure.
 */
export function checkStops(levels: readonly StopLevel[], agents: ReadonlySet<string>, ledger: Ledger, view: MarketView, cooldowns: ReadonlyMap<string, number> = new Map()): { kept: StopLevel[]; exits: StopExit[] } {
  const kept: StopLevel[] = [];
  const exits: StopExit[] = [];
  for (const l of levels) {
    if (!agents.has(l.agentId) || !ledger.has(l.agentId)) continue;
    if (l.exitedOn !== undefined) {
      // a cooldown marker: kept while the cooldown runs, never triggered
      if (weekdaysSince(l.exitedOn, view.asOf) < (cooldowns.get(l.agentId) ?? 0)) kept.push(l);
      continue;
    }
    const qty = ledger.qty(l.agentId, l.symbol);
    if (l.setOn >= view.asOf) {
      kept.push(l);
      continue;
    }
    if (qty === 0 || Math.sign(qty) !== l.side) continue;
    const u = view.column(l.symbol);
    if (u < 0) {
      kept.push(l);
      continue;
    }
    const close = view.close(u);
    const low = orElse(view.value('low', u), close);
    const high = orElse(view.value('high', u), close);
    const hit = crossed(l, low, high);
    if (hit) exits.push({ agentId: l.agentId, symbol: l.symbol, kind: hit.kind, level: hit.level, low, high, qty, setOn: l.setOn });
    else kept.push(l);
  }
  return { kept, exits };
}

function orElse(x: number, y: number): number {
  return x > 0 ? x : y;
}

/** The level the range crossed (the stop first: with both inside one bar, the worse outcome is assumed). */
function crossed(l: StopLevel, low: number, high: number): { kind: StopExitKind; level: number } | null {
  if (!(low > 0 && high > 0)) return null;
  const long = l.side > 0;
  if (l.stop !== null && l.stop > 0 && (long ? low <= l.stop : high >= l.stop)) return { kind: 'ATR_STOP', level: l.stop };
  if (l.target !== null && l.target > 0 && (long ? high >= l.target : low <= l.target)) return { kind: 'TAKE_PROFIT', level: l.target };
  return null;
}

/**
 * The review's final targets with each exited name closed: target 0, the whole position sold or
 * bought back, the reason in `reasoning`; the agent's proposal for that name is overridden this
 * cycle. Returns `positions` itself when nothing exited.
 */
export function closeExits(positions: FundReview['positions'], exits: readonly StopExit[]): FundReview['positions'] {
  if (exits.length === 0) return positions;
  const out: Record<string, TargetPosition[]> = { ...positions } as Record<string, TargetPosition[]>;
  for (const e of exits) {
    const list = [...(out[e.agentId] ?? [])];
    const i = list.findIndex((p) => p.symbol === e.symbol);
    const why = `${e.kind === 'ATR_STOP' ? 'ATR stop' : 'take-profit'} at ${e.level.toFixed(2)} crossed (day range ${e.low.toFixed(2)}–${e.high.toFixed(2)}): closed`;
    const prev = i >= 0 ? list[i] : undefined;
    const current = prev?.currentNotional ?? 0;
    const closed: TargetPosition = {
      version: 1,
      agentId: e.agentId,
      symbol: e.symbol,
      targetWeight: 0,
      targetNotional: 0,
      currentNotional: current,
      deltaNotional: -current,
      priority: 1,
      reasoning: why,
    };
    if (i >= 0) list[i] = closed;
    else list.push(closed);
    out[e.agentId] = list;
  }
  return out;
}

/**
 * The review's final targets with each name in a re-entry cooldown held at 0 on the side it was
 * stopped out of (a target on the other side stands), and the names held back. `positions` itself when nothing is.
 */
export function holdCooldowns(positions: FundReview['positions'], levels: readonly StopLevel[]): { positions: FundReview['positions']; held: StopLevel[] } {
  const markers = levels.filter((l) => l.exitedOn !== undefined);
  const held: StopLevel[] = [];
  if (markers.length === 0) return { positions, held };
  let out: Record<string, TargetPosition[]> | null = null;
  for (const m of markers) {
    const list = (out ?? positions)[m.agentId];
    const i = list ? list.findIndex((p) => p.symbol === m.symbol) : -1;
    const p = list && i >= 0 ? list[i] : undefined;
    if (!list || !p || Math.sign(p.targetWeight) !== m.side) continue;
    out ??= { ...positions } as Record<string, TargetPosition[]>;
    const next = [...list];
    next[i] = { ...p, targetWeight: 0, targetNotional: 0, deltaNotional: -p.currentNotional, reasoning: `stopped out on ${m.exitedOn ?? ''}: no new position on this side during the cooldown` };
    out[m.agentId] = next;
    held.push(m);
  }
  return { positions: out ?? positions, held };
}

/**
 * The levels after the cycle's plan: for each agent with stops, a name the plan opens, resizes or
 * turns takes the levels of this cycle's proposal; a name planned to zero, or exited, loses its
 * levels; a held name with none (stops switched on, a level the agent did not give before) adopts
 * this cycle's. `changes(agentId, position)` says whether the plan trades the agent's position
 * (outside the no-trade band). Pure.
 */
export function nextStops(
  kept: readonly StopLevel[],
  exits: readonly StopExit[],
  agents: ReadonlySet<string>,
  finalTargets: FundReview['positions'],
  proposals: readonly AgentProposal[],
  changes: (agentId: string, p: TargetPosition) => boolean,
  asOf: IsoDate,
  cooldowns: ReadonlyMap<string, number> = new Map(),
): StopLevel[] {
  const key = (a: string, s: string): string => `${a}\u0000${s}`;
  const byKey = new Map(kept.map((l) => [key(l.agentId, l.symbol), l]));
  for (const e of exits) {
    if ((cooldowns.get(e.agentId) ?? 0) > 0) {
      byKey.set(key(e.agentId, e.symbol), { agentId: e.agentId, symbol: e.symbol, side: e.qty > 0 ? 1 : -1, stop: null, target: null, setOn: e.setOn, exitedOn: asOf });
    } else byKey.delete(key(e.agentId, e.symbol));
  }
  const exited = new Set(exits.map((e) => key(e.agentId, e.symbol)));
  for (const p of proposals) {
    if (!agents.has(p.agentId)) continue;
    const levels = new Map(p.targets.map((t) => [t.symbol, t]));
    for (const t of finalTargets[p.agentId] ?? []) {
      const k = key(p.agentId, t.symbol);
      if (exited.has(k) || byKey.get(k)?.exitedOn !== undefined) continue;
      if (t.targetWeight === 0) {
        if (changes(p.agentId, t)) byKey.delete(k);
        continue;
      }
      const side = t.targetWeight > 0 ? 1 : -1;
      const had = byKey.get(k);
      if (had && !changes(p.agentId, t) && had.side === side) continue;
      const g = levels.get(t.symbol);
      const stop = positiveOrNull(g?.stopLoss);
      const target = positiveOrNull(g?.takeProfit);
      if (stop === null && target === null) {
        if (changes(p.agentId, t)) byKey.delete(k);
        continue;
      }
      byKey.set(k, { agentId: p.agentId, symbol: t.symbol, side, stop, target, setOn: asOf });
    }
  }
  return [...byKey.values()].sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}

function positiveOrNull(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && x > 0 ? x : null;
}
