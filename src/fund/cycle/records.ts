import type { StopExit, StopLevel } from './stops.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { AgentProposal, DecisionRecord, FinalDecision, OverlayDecision, TargetPosition } from '../../contracts/index.ts';

const EPS = 1e-9;

function decisionFor(t: TargetPosition | undefined, proposed: number, final: number): FinalDecision {
  const delta = t?.deltaNotional ?? 0;
  if (delta > 1e-6) return 'EXECUTE_BUY';
  if (delta < -1e-6) return 'EXECUTE_SELL';
  return Math.abs(proposed - final) > EPS ? 'REJECT' : 'HOLD';
}

export interface RecordContext {
  cycleId: string;
  timestamp: string;
  configHash: string;
  /** Data quality score per symbol (1 when unknown). */
  quality: ReadonlyMap<string, number>;
}

/**
 * The 15-field decision records of one agent's reviewed proposal: one per name the agent
 * proposed, holds or was given by the overlay (seed: mini-quant-fund §7).
 */
export function decisionRecords(p: AgentProposal, d: OverlayDecision, positions: readonly TargetPosition[], ctx: RecordContext, exits: readonly StopExit[] = [], cooling: readonly StopLevel[] = []): DecisionRecord[] {
  const exitOf = new Map(exits.filter((e) => e.agentId === p.agentId).map((e) => [e.symbol, e]));
  const cooled = new Set(cooling.filter((l) => l.agentId === p.agentId).map((l) => l.symbol));
  const signals = new Map(p.signals.map((s) => [s.symbol, s]));
  const stops = new Map(p.targets.map((t) => [t.symbol, t.stopLoss]));
  const byName = new Map(positions.map((t) => [t.symbol, t]));
  const agentNotes = new Map<string, string[]>();
  for (const n of p.agentRisk) if (n.symbol) agentNotes.set(n.symbol, [...(agentNotes.get(n.symbol) ?? []), n.code]);
  const fundCodes = d.reasons.map((r) => r.code);
  const checks: Record<string, unknown> = {};
  for (const c of d.checks) checks[c.check] = { status: c.status, scale: c.scale };
  const out: DecisionRecord[] = [];
  for (const t of d.targets) {
    const pos = byName.get(t.symbol);
    const current = pos?.currentNotional ?? 0;
    if (Math.abs(t.proposedWeight) < EPS && Math.abs(t.finalWeight) < EPS && Math.abs(current) < 1e-6) continue;
    const s = signals.get(t.symbol);
    const mu = s?.mu ?? 0;
    const sigma = s?.sigma ?? 0;
    const symbolReasons = d.reasons.filter((r) => r.symbol === t.symbol).map((r) => r.code);
    // A stop exit overrides the agent and the overlay for the name: closed, the level named.
    const exit = exitOf.get(t.symbol);
    if (exit) symbolReasons.unshift(exit.kind);
    else if (cooled.has(t.symbol)) symbolReasons.unshift('STOP_COOLDOWN');
    out.push({
      version: 1,
      cycleId: ctx.cycleId,
      symbol: t.symbol,
      timestamp: ctx.timestamp,
      finalDecision: !exit && d.action === 'BLOCK' && Math.abs(t.proposedWeight - t.finalWeight) > EPS ? 'REJECT' : decisionFor(pos, t.proposedWeight, t.finalWeight),
      positionSize: exit || cooled.has(t.symbol) ? 0 : t.finalWeight,
      stopLoss: exit?.kind === 'ATR_STOP' ? exit.level : (stops.get(t.symbol) ?? null),
      reasonCodes: [...new Set([...(agentNotes.get(t.symbol) ?? []), ...symbolReasons, ...fundCodes.filter((c) => !symbolReasons.includes(c))])],
      muHat: mu,
      sigmaHat: sigma,
      conviction: sigma > 0 ? mu / sigma : 0,
      dataQualityScore: Math.min(1, Math.max(0, ctx.quality.get(t.symbol) ?? 1)),
      providerConfidence: 1,
      agentResults: { [p.agentId]: { mu, sigma, confidence: s?.confidence ?? null, horizonDays: s?.horizonDays ?? null, proposedWeight: t.proposedWeight } },
      riskChecks: checks,
      metadata: {
        agentId: p.agentId,
        strategy: p.strategy,
        decisionId: d.decisionId,
        overlayAction: d.action,
        overlayScale: d.scale,
        traceId: p.traceId,
        configHash: ctx.configHash,
        deltaNotional: pos?.deltaNotional ?? 0,
      },
    });
  }
  return out;
}

/**
 * The records of an agent that made no proposal this cycle (its `propose` threw, or a remote agent
 * was late, failed or answered an invalid proposal): it holds, so one HOLD record per name it
 * holds, at its current weight, with the reason (`AGENT_NO_PROPOSAL`) and the error. A flat agent
 * holds nothing: its failure is in the cycle's alerts.
 */
export function holdRecords(ledger: Ledger, f: { readonly agentId: string; readonly error: string }, ctx: RecordContext): DecisionRecord[] {
  if (!ledger.has(f.agentId)) return [];
  const book = ledger.book(f.agentId);
  const nav = ledger.navCents(f.agentId);
  const out: DecisionRecord[] = [];
  for (const h of book.holdings.values()) {
    out.push({
      version: 1,
      cycleId: ctx.cycleId,
      symbol: h.symbol,
      timestamp: ctx.timestamp,
      finalDecision: 'HOLD',
      positionSize: nav !== 0 && Number.isFinite(h.mark) ? ((h.qty4 / 1e4) * h.mark * 100) / nav : 0,
      stopLoss: null,
      reasonCodes: ['AGENT_NO_PROPOSAL'],
      muHat: 0,
      sigmaHat: 0,
      conviction: 0,
      dataQualityScore: Math.min(1, Math.max(0, ctx.quality.get(h.symbol) ?? 1)),
      providerConfidence: 1,
      agentResults: { [f.agentId]: { error: f.error } },
      riskChecks: {},
      metadata: { agentId: f.agentId, strategy: null, overlayAction: 'HOLD', configHash: ctx.configHash, error: f.error, traceId: `${ctx.cycleId}:${f.agentId}` },
    });
  }
  return out;
}
