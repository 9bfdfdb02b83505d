/**
 * The morning pack: one structured briefing per fund per day — market snapshot and regime, each
 * agent's view, proposals awaiting approval, the risk summary and overnight alerts (seed:
 * macro-fund-pms "Morning Pack"). Pure: every input is passed in.
 */
import type { AgentState, Alert, AlertSeverity, OverlayDecision, OverlayDecisionHeadline, Regime, Signal, StrategyType } from '../../contracts/index.ts';
import { isAwaitingDecision, type TradeProposal } from '../workflow/proposal.ts';
import { isoMs } from '../time.ts';
import type { RiskMonitorReport } from '../risk/risk-monitor.ts';

export interface AgentViewInput {
  readonly agentId: string;
  readonly strategy: StrategyType;
  readonly state?: AgentState;
  /** The agent's latest signals (its latest cycle's; `latestSignals` in the store). */
  readonly signals: readonly Signal[];
  /**
   * Gross and net as fractions of the agent's capital. pnl1d: dollars, the agent's NAV at its
   * latest stored close (`pnl1dDate`) minus its NAV at the stored close before (see `oneDayPnl`);
   * null with fewer than two.
   */
  readonly book: { readonly gross: number; readonly net: number; readonly positions: number; readonly pnl1d?: number | null; readonly pnl1dDate?: string | null };
  readonly lastOverlay: OverlayDecisionHeadline | null;
}

/** Signals shown per agent unless the input says otherwise. */
export const DEFAULT_TOP_SIGNALS = 3;

/**
 * An agent's 1-day P&L in dollars from its stored end-of-day NAVs, newest first: the latest
 * point's daily return (net of the capital the cycle's allocation moved into the book) times the
 * NAV before it (the previous stored close, whatever the gap), else the NAV change; rounded to the
 * cent; null with fewer than two points. A reallocation counted as P&L before (a $5M move into a
 * book read as a $5M day).
 */
export function oneDayPnl(points: readonly { readonly date: string; readonly nav: number; readonly dailyReturn?: number | null }[]): { readonly pnl1d: number | null; readonly pnl1dDate: string | null } {
  const [last, prev] = points;
  if (!last) return { pnl1d: null, pnl1dDate: null };
  if (!prev) return { pnl1d: null, pnl1dDate: last.date };
  if (prev.date >= last.date) throw new Error(`oneDayPnl: NAV points must be newest first (${last.date} then ${prev.date})`);
  // the stored daily return is net of the capital the allocation moved into the book; the NAV change is not
  const pnl = typeof last.dailyReturn === 'number' && Number.isFinite(last.dailyReturn) ? last.dailyReturn * prev.nav : last.nav - prev.nav;
  return { pnl1d: Math.round(pnl * 100) / 100, pnl1dDate: last.date };
}

export interface MorningPackInput {
  readonly fundId: string;
  /** The trading date the pack is for (YYYY-MM-DD). */
  readonly asOf: string;
  /** ISO-8601 time the pack is built (used for expiry of proposals). */
  readonly generatedAt: string;
  readonly market: {
    readonly indexSymbol: string;
    /** Index closes, oldest first; the last is the latest close. */
    readonly indexCloses: readonly number[];
    readonly volatilityIndex?: { readonly symbol: string; readonly level: number; readonly previous?: number | null } | null;
    readonly regime: Regime;
  };
  readonly agents: readonly AgentViewInput[];
  readonly proposals: readonly TradeProposal[];
  readonly risk: RiskMonitorReport | null;
  readonly alerts: readonly Alert[];
  /** Alerts at or after this ISO time are "overnight". */
  readonly alertsSince: string;
  /** Signals shown per agent (default 3). */
  readonly topSignals?: number;
}

export interface MarketSnapshot {
  readonly indexSymbol: string;
  readonly indexLevel: number | null;
  /** Simple returns over 1, 5 and 21 trading days (null when the series is too short). */
  readonly return1d: number | null;
  readonly return5d: number | null;
  readonly return21d: number | null;
  readonly volatilityIndex: { readonly symbol: string; readonly level: number; readonly change1d: number | null } | null;
  readonly regime: Regime;
}

export interface TopSignal {
  readonly symbol: string;
  readonly mu: number;
  readonly sigma: number;
  /** mu / sigma (0 when sigma is 0). */
  readonly conviction: number;
  readonly confidence: number;
  readonly horizonDays: number;
}

export interface AgentView {
  readonly agentId: string;
  readonly strategy: StrategyType;
  readonly state: AgentState;
  readonly topSignals: TopSignal[];
  /** The date of the signals shown (the agent's latest cycle that signalled), null without any. */
  readonly signalsAsOf: string | null;
  readonly book: AgentViewInput['book'];
  readonly lastOverlay: { readonly decisionId: string; readonly action: OverlayDecision['action']; readonly scale: number; readonly reasonCodes: string[]; readonly summary: string; readonly asOf: string } | null;
}

export interface AwaitingProposal {
  readonly id: string;
  readonly agentId: string;
  readonly symbols: readonly string[];
  readonly status: TradeProposal['status'];
  readonly size: number;
  readonly limitPrice: number | null;
  readonly expiresAt: string;
  /** Whole minutes from generatedAt to expiry. */
  readonly minutesToExpiry: number;
  readonly rationale: string;
}

/** The risk figures the pack shows. VaR/CVaR: the worst of the three methods, dollars and fractions of NAV. */
export interface RiskSummary {
  readonly nav: number;
  readonly var95: number;
  readonly var95Pct: number;
  readonly var99: number;
  readonly var99Pct: number;
  readonly cvar99: number;
  readonly cvar99Pct: number;
  readonly grossPct: number;
  readonly netPct: number;
  readonly hhi: number;
  readonly effectiveNames: number;
  readonly top10Share: number;
  readonly daysToLiquidate: number;
  readonly stressDaysToLiquidate: number;
  readonly worstStress: { readonly scenario: string; readonly pnl: number } | null;
  readonly breaches: { readonly name: string; readonly utilisation: number }[];
  readonly warnings: { readonly name: string; readonly utilisation: number }[];
}

export interface MorningPack {
  readonly fundId: string;
  readonly asOf: string;
  readonly generatedAt: string;
  readonly market: MarketSnapshot;
  readonly agents: AgentView[];
  readonly awaitingApproval: AwaitingProposal[];
  readonly risk: RiskSummary | null;
  /** Overnight alerts, most severe first, then newest first. */
  readonly alerts: Alert[];
  readonly alertCounts: Readonly<Record<AlertSeverity, number>>;
}

export const SEVERITY_RANK: Readonly<Record<AlertSeverity, number>> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };

const ret = (closes: readonly number[], k: number): number | null => {
  const n = closes.length;
  if (n <= k) return null;
  const a = closes[n - 1 - k] as number;
  return a > 0 ? (closes[n - 1] as number) / a - 1 : null;
};

function riskSummary(r: RiskMonitorReport): RiskSummary {
  const level = (c: number): RiskMonitorReport['var'][number] | undefined => r.var.find((l) => Math.abs(l.confidence - c) < 1e-12);
  const worst = (c: number, f: (v: RiskMonitorReport['var'][number]['historical']) => number): number => {
    const l = level(c);
    return l ? Math.max(f(l.historical), f(l.parametric), f(l.monteCarlo)) : Number.NaN;
  };
  const pick = (s: 'BREACH' | 'WARNING'): { name: string; utilisation: number }[] =>
    r.limits.filter((l) => l.status === s).map((l) => ({ name: l.name, utilisation: l.utilisation })).sort((a, b) => b.utilisation - a.utilisation);
  return {
    nav: r.nav,
    var95: worst(0.95, (v) => v.var),
    var95Pct: worst(0.95, (v) => v.varPct),
    var99: worst(0.99, (v) => v.var),
    var99Pct: worst(0.99, (v) => v.varPct),
    cvar99: worst(0.99, (v) => v.cvar),
    cvar99Pct: worst(0.99, (v) => v.cvarPct),
    grossPct: r.grossPct,
    netPct: r.netPct,
    hhi: r.concentration.hhi,
    effectiveNames: r.concentration.effectiveNames,
    top10Share: r.concentration.top10Share,
    daysToLiquidate: r.liquidity.daysToLiquidate,
    stressDaysToLiquidate: r.liquidity.stressDaysToLiquidate,
    worstStress: r.worstStress ? { scenario: r.worstStress.scenario, pnl: r.worstStress.pnl } : null,
    breaches: pick('BREACH'),
    warnings: pick('WARNING'),
  };
}

const byStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Builds the morning pack. Deterministic: the same input gives the same pack. */
export function buildMorningPack(input: MorningPackInput): MorningPack {
  const { market } = input;
  const closes = market.indexCloses;
  const vol = market.volatilityIndex ?? null;
  const n = input.topSignals ?? DEFAULT_TOP_SIGNALS;
  const now = isoMs(input.generatedAt, 'generatedAt');
  const agents: AgentView[] = [...input.agents]
    .sort((a, b) => byStr(a.agentId, b.agentId))
    .map((a) => ({
      agentId: a.agentId,
      strategy: a.strategy,
      state: a.state ?? 'normal',
      topSignals: a.signals
        .map((s) => ({ symbol: s.symbol, mu: s.mu, sigma: s.sigma, conviction: s.sigma > 0 ? s.mu / s.sigma : 0, confidence: s.confidence, horizonDays: s.horizonDays }))
        .sort((x, y) => Math.abs(y.conviction) - Math.abs(x.conviction) || byStr(x.symbol, y.symbol))
        .slice(0, n),
      signalsAsOf: a.signals.reduce<string | null>((d, s) => (d === null || s.asOf > d ? s.asOf : d), null),
      book: a.book,
      lastOverlay: a.lastOverlay
        ? {
            decisionId: a.lastOverlay.decisionId,
            action: a.lastOverlay.action,
            scale: a.lastOverlay.scale,
            reasonCodes: [...new Set(a.lastOverlay.reasons.map((r) => r.code))],
            summary: a.lastOverlay.summary,
            asOf: a.lastOverlay.asOf,
          }
        : null,
    }));
  const awaitingApproval = input.proposals
    .filter((p) => p.fundId === input.fundId && isAwaitingDecision(p.status) && isoMs(p.expiresAt) > now)
    .sort((a, b) => isoMs(a.expiresAt) - isoMs(b.expiresAt) || byStr(a.id, b.id))
    .map((p) => ({
      id: p.id,
      agentId: p.agentId,
      symbols: p.symbols,
      status: p.status,
      size: p.size,
      limitPrice: p.limitPrice,
      expiresAt: p.expiresAt,
      minutesToExpiry: Math.floor((isoMs(p.expiresAt) - now) / 60_000),
      rationale: p.rationale,
    }));
  const since = isoMs(input.alertsSince, 'alertsSince');
  const alerts = input.alerts
    .filter((a) => (a.fundId === null || a.fundId === input.fundId) && isoMs(a.timestamp) >= since && isoMs(a.timestamp) <= now)
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || isoMs(b.timestamp) - isoMs(a.timestamp) || byStr(a.id, b.id));
  const alertCounts: Record<AlertSeverity, number> = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 };
  for (const a of alerts) alertCounts[a.severity]++;
  return {
    fundId: input.fundId,
    asOf: input.asOf,
    generatedAt: input.generatedAt,
    market: {
      indexSymbol: market.indexSymbol,
      indexLevel: closes.length > 0 ? (closes[closes.length - 1] as number) : null,
      return1d: ret(closes, 1),
      return5d: ret(closes, 5),
      return21d: ret(closes, 21),
      volatilityIndex: vol ? { symbol: vol.symbol, level: vol.level, change1d: vol.previous === undefined || vol.previous === null ? null : vol.level - vol.previous } : null,
      regime: market.regime,
    },
    agents,
    awaitingApproval,
    risk: input.risk ? riskSummary(input.risk) : null,
    alerts,
    alertCounts,
  };
}
