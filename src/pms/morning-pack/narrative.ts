/**
 * The morning pack's narrative: a deterministic template (the default, and what tests check), or
 * an optional LLM hook given the pack as JSON, falling back to the template when it fails.
 */
import type { Regime } from '../../contracts/index.ts';
import { fmtMoney, fmtNumber, fmtPct } from './format.ts';
import type { MorningPack } from './morning-pack.ts';

const REGIME_OPENING: Readonly<Record<Regime, string>> = {
  BULL_QUIET: 'Markets are in a quiet bull regime: prices trend up and volatility is low, conditions that favour carrying risk.',
  BULL_VOLATILE: 'Markets are in a volatile bull regime: prices are rising but the swings are wide, so size with care.',
  BEAR_QUIET: 'Markets are in a quiet bear regime: a grinding decline with low volatility, which favours defence over new risk.',
  BEAR_CRISIS: 'Markets are in a crisis regime: prices are falling and volatility is high, so capital preservation comes first.',
};

const REGIME_RISK_NOTE: Readonly<Record<Regime, string>> = {
  BULL_QUIET: 'Quiet markets flatter VaR; the stress figure is the better guide to the tail.',
  BULL_VOLATILE: 'Wide swings raise realised VaR; watch limits that are close to warning.',
  BEAR_QUIET: 'In a falling market, check that gross exposure is still earning its risk.',
  BEAR_CRISIS: 'In a crisis, any limit warning deserves action today, and liquidity may be worse than the stress days suggest.',
};

const pctOrNa = (x: number | null): string => (x === null ? 'n/a' : fmtPct(x));

function marketParagraph(p: MorningPack): string {
  const m = p.market;
  const parts = [REGIME_OPENING[m.regime]];
  if (m.indexLevel !== null) {
    parts.push(`${m.indexSymbol} closed at ${fmtNumber(m.indexLevel)} (${pctOrNa(m.return1d)} on the day, ${pctOrNa(m.return5d)} over 5 days, ${pctOrNa(m.return21d)} over 21 days).`);
  }
  const v = m.volatilityIndex;
  if (v) parts.push(`${v.symbol} is at ${fmtNumber(v.level)}${v.change1d === null ? '' : ` (${v.change1d >= 0 ? '+' : ''}${fmtNumber(v.change1d)} pts)`}.`);
  return parts.join(' ');
}

function agentsParagraph(p: MorningPack): string {
  if (p.agents.length === 0) return 'No agents reported a view.';
  return p.agents
    .map((a) => {
      const s = a.topSignals[0];
      const sig = s ? `top signal ${s.symbol} (μ ${fmtPct(s.mu)}, conviction ${fmtNumber(s.conviction)})` : 'no signals';
      const b = a.book;
      const pnl = b.pnl1d === undefined || b.pnl1d === null ? '' : `, P&L ${fmtMoney(b.pnl1d)} ${b.pnl1dDate ? `on ${b.pnl1dDate}` : 'yesterday'}`;
      const o = a.lastOverlay;
      const ov = o
        ? `last overlay action ${o.action}${o.action === 'SCALE' ? ` ×${fmtNumber(o.scale)}` : ''}${o.reasonCodes.length > 0 ? ` (${o.reasonCodes.join(', ')})` : ''}`
        : 'no overlay action yet';
      const state = a.state === 'normal' ? '' : ` [${a.state}]`;
      return `${a.agentId} (${a.strategy})${state}: gross ${fmtPct(b.gross, 1, false)}, net ${fmtPct(b.net, 1)} across ${b.positions} names${pnl}; ${sig}; ${ov}.`;
    })
    .join('\n');
}

function proposalsParagraph(p: MorningPack): string {
  const q = p.awaitingApproval;
  if (q.length === 0) return 'No proposals await approval.';
  const first = q[0];
  const head = `${q.length} proposal${q.length === 1 ? '' : 's'} await${q.length === 1 ? 's' : ''} approval`;
  return first ? `${head}; the first to expire is ${first.id} from ${first.agentId} (${first.symbols.join(', ')}), in ${first.minutesToExpiry} minutes.` : `${head}.`;
}

function riskParagraph(p: MorningPack): string {
  const r = p.risk;
  if (r === null) return 'No risk snapshot is available.';
  const parts = [
    `Risk: 1-day VaR 95% ${fmtMoney(r.var95)} (${fmtPct(r.var95Pct, 2, false)} of NAV), VaR 99% ${fmtMoney(r.var99)} (${fmtPct(r.var99Pct, 2, false)}), CVaR 99% ${fmtMoney(r.cvar99)} (${fmtPct(r.cvar99Pct, 2, false)}).`,
    `Gross ${fmtPct(r.grossPct, 1, false)}, net ${fmtPct(r.netPct, 1)}; HHI ${fmtNumber(r.hhi, 3)} (${fmtNumber(r.effectiveNames, 1)} effective names), top 10 ${fmtPct(r.top10Share, 1, false)} of gross.`,
    `Days to liquidate ${fmtNumber(r.daysToLiquidate, 1)} (${fmtNumber(r.stressDaysToLiquidate, 1)} under stress).`,
  ];
  if (r.worstStress) parts.push(`Worst stress scenario: ${r.worstStress.scenario} at ${fmtMoney(r.worstStress.pnl)}.`);
  const lim = (xs: RiskLimitLine[]): string => xs.map((x) => `${x.name} at ${fmtPct(x.utilisation, 0, false)} of limit`).join(', ');
  if (r.breaches.length > 0) parts.push(`LIMIT BREACH: ${lim(r.breaches)}.`);
  if (r.warnings.length > 0) parts.push(`Warnings: ${lim(r.warnings)}.`);
  if (r.breaches.length === 0 && r.warnings.length === 0) parts.push('All limits are within bounds.');
  parts.push(REGIME_RISK_NOTE[p.market.regime]);
  return parts.join(' ');
}
type RiskLimitLine = { readonly name: string; readonly utilisation: number };

function alertsParagraph(p: MorningPack): string {
  if (p.alerts.length === 0) return 'No overnight alerts.';
  const c = p.alertCounts;
  const counts = (['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const).filter((s) => c[s] > 0).map((s) => `${c[s]} ${s.toLowerCase()}`);
  const shown = p.alerts.slice(0, 5).map((a) => `${a.severity}: ${a.title}`);
  return `Overnight alerts: ${counts.join(', ')}. ${shown.join('; ')}${p.alerts.length > 5 ? `; and ${p.alerts.length - 5} more` : ''}.`;
}

/** The template narrative: title line, then market, agents, proposals, risk and alerts paragraphs. */
export function templateNarrative(p: MorningPack): string {
  return [`Morning pack for ${p.fundId}, ${p.asOf}`, marketParagraph(p), agentsParagraph(p), proposalsParagraph(p), riskParagraph(p), alertsParagraph(p)].join('\n\n');
}

/** The prompt handed to an LLM: instructions, the template draft, and the pack as JSON. */
export function narrativePrompt(p: MorningPack): string {
  return [
    'You are the briefing writer of a multi-strategy fund. Write a concise morning note for the portfolio manager',
    'from the data below. Use only these numbers; do not invent any. Keep the order: market, agents, proposals, risk, alerts.',
    '',
    'Draft (from the template):',
    templateNarrative(p),
    '',
    'Data (JSON):',
    JSON.stringify(p),
  ].join('\n');
}

export interface NarrateOptions {
  /** An LLM call (prompt → text). Absent: the template is used. */
  readonly llm?: (prompt: string) => Promise<string>;
}

export interface Narrative {
  readonly text: string;
  readonly source: 'template' | 'llm';
  /** Why the LLM text was not used (it threw or returned nothing). */
  readonly fallbackReason: string | null;
}

/** Narrates the pack: the template by default; with `llm`, its answer, or the template if it fails or is empty. */
export async function narrate(p: MorningPack, opts: NarrateOptions = {}): Promise<Narrative> {
  if (!opts.llm) return { text: templateNarrative(p), source: 'template', fallbackReason: null };
  try {
    const text = (await opts.llm(narrativePrompt(p))).trim();
    if (text === '') return { text: templateNarrative(p), source: 'template', fallbackReason: 'the LLM returned an empty text' };
    return { text, source: 'llm', fallbackReason: null };
  } catch (e) {
    return { text: templateNarrative(p), source: 'template', fallbackReason: `the LLM call failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
