import type { IsoDate } from '../../core/index.ts';
import type { BindingReport } from '../../overlay/index.ts';

/**
 * One rule's binding-constraint totals over a backtest (docs/overlay.md "Binding constraints").
 * Dollars are averages per trading day; percentages divide by the average proposed gross / VaR.
 */
export interface BindingRuleSummary {
  readonly rule: string;
  /** A policy multiplier (switched off by `--compare overlay-off`). */
  readonly policy: boolean;
  /** Gross exposure removed, dollars per day (mean over the backtest's days). */
  readonly gross: number;
  /** `gross` as a fraction of the mean proposed gross. */
  readonly grossPct: number;
  /** Fund VaR removed, dollars per day (mean); negative when the rule's cuts added risk (a hedge leg). */
  readonly var: number;
  /** `var` as a fraction of the mean proposed fund VaR. */
  readonly varPct: number;
  /** Agent-days on which the rule removed a dollar or more (of gross or VaR), and their share of the reviewed agent-days. */
  readonly agentDays: number;
  readonly agentDaysPct: number;
  /** The first and last days the rule removed something. */
  readonly firstDate: IsoDate;
  readonly lastDate: IsoDate;
}

/**
 * The binding constraints of a backtest: the means per day of the proposed and final gross and
 * fund VaR, and each rule's share of the difference, largest gross first: the rules that removed a
 * dollar or more on some agent-day. Their `gross` sums to `proposedGross − finalGross` and their
 * `var` to `proposedVar − finalVar` (but for the fractions of a cent of the rules left out).
 */
export interface BindingSummary {
  readonly days: number;
  /** Reviewed agent-days (one per agent decision). */
  readonly agentDays: number;
  readonly proposedGross: number;
  readonly finalGross: number;
  readonly proposedVar: number;
  readonly finalVar: number;
  readonly rules: readonly BindingRuleSummary[];
}

/** Sums the reviews' binding-constraint reports, day by day. */
export class BindingTally {
  private days = 0;
  private agentDays = 0;
  private proposedGross = 0;
  private finalGross = 0;
  private proposedVar = 0;
  private finalVar = 0;
  private readonly rules = new Map<string, { policy: boolean; gross: number; var: number; agentDays: number; firstDate: IsoDate; lastDate: IsoDate }>();

  add(date: IsoDate, report: BindingReport, decisions: number): void {
    this.days++;
    this.agentDays += decisions;
    this.proposedGross += report.proposedGross;
    this.finalGross += report.finalGross;
    this.proposedVar += report.proposedVar;
    this.finalVar += report.finalVar;
    for (const e of report.effects) {
      let r = this.rules.get(e.rule);
      if (!r) {
        r = { policy: e.policy, gross: 0, var: 0, agentDays: 0, firstDate: date, lastDate: date };
        this.rules.set(e.rule, r);
      }
      r.gross += e.gross;
      r.var += e.var;
      // a cap equal to the scaled weight but for rounding leaves fractions of a cent: not a day it acted
      if (Math.abs(e.gross) < 1 && Math.abs(e.var) < 1) continue;
      if (r.agentDays === 0) r.firstDate = date;
      r.agentDays++;
      r.lastDate = date;
    }
  }

  summary(): BindingSummary {
    const d = Math.max(1, this.days);
    const pg = this.proposedGross / d;
    const pv = this.proposedVar / d;
    const rules: BindingRuleSummary[] = [...this.rules].filter(([, r]) => r.agentDays > 0).map(([rule, r]) => ({
      rule,
      policy: r.policy,
      gross: r.gross / d,
      grossPct: pg > 0 ? r.gross / d / pg : 0,
      var: r.var / d,
      varPct: pv > 0 ? r.var / d / pv : 0,
      agentDays: r.agentDays,
      agentDaysPct: this.agentDays > 0 ? r.agentDays / this.agentDays : 0,
      firstDate: r.firstDate,
      lastDate: r.lastDate,
    }));
    rules.sort((a, b) => b.gross - a.gross || a.rule.localeCompare(b.rule));
    return { days: this.days, agentDays: this.agentDays, proposedGross: pg, finalGross: this.finalGross / d, proposedVar: pv, finalVar: this.finalVar / d, rules };
  }
}
