/**
 * `keel backtest run --compare overlay-off` and `--without <rule>` through the real CLI and store, on
 * a small synthetic market. The comparison's figures are checked against a computation of our own
 * from the daily NAVs the JSON carries (not against themselves); the `--without` run is identical to
 * the full one until the switched-off rule first acts, and differs after; the binding constraints
 * sum to what the reviews removed; `keel backtest show` prints the stored comparison again.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import type { BacktestSummary } from '../../../src/fund/index.ts';
import { cliHome } from './harness.ts';

/** Our own statistics of a NAV series: simple daily returns, 252 days a year, sample std. */
function stats(nav: readonly number[]) {
  const r = nav.slice(1).map((v, i) => v / (nav[i] ?? 1) - 1);
  const n = r.length;
  const mean = r.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const total = (nav[n] ?? 0) / (nav[0] ?? 1) - 1;
  let peak = nav[0] ?? 0;
  let dd = 0;
  for (const v of nav) {
    peak = Math.max(peak, v);
    dd = Math.min(dd, v / peak - 1);
  }
  let w20 = 0;
  for (let i = 0; i + 20 < nav.length; i++) w20 = Math.min(w20, (nav[i + 20] ?? 0) / (nav[i] ?? 1) - 1);
  return { totalReturn: total, annualReturn: (1 + total) ** (252 / n) - 1, annualVolatility: sd * Math.sqrt(252), sharpe: (mean / sd) * Math.sqrt(252), maxDrawdown: dd, worst20d: w20 };
}

const FROM = '2019-01-02';
const TO = '2019-10-31';

describe('keel backtest --compare overlay-off and --without', () => {
  const k = cliHome();
  beforeAll(async () => {
    expect((await k.run('init')).code).toBe(0);
    // the fund's config: names with 150 days of history trade (the market's symbol status is set from it);
    // a 20-day correlation against a 60-day baseline, so the spike rule can act within the short run
    writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify({ ...defaultFundConfigInput(), data: { minHistoryRows: 150, degradedMinRows: 100, minQuality: 0.5 }, risk: { correlationWindowDays: 20, correlationBaselineDays: 60 } }));
    // seed 11: a crisis from 2019-04-16 to 2019-05-21
    expect((await k.run('market', 'generate', '--symbols', '40', '--years', '2.2', '--seed', '11', '--json')).code).toBe(0);
  }, 120_000);

  /** `keel backtest run … --json` with these options: the summary and its comparison. */
  async function compared(...options: string[]) {
    const run = await k.run('backtest', 'run', '--from', FROM, '--to', TO, ...options, '--json');
    expect(run.code).toBe(0);
    const s = JSON.parse(run.out) as BacktestSummary;
    if (!s.comparison) throw new Error('no comparison in the JSON');
    return { s, c: s.comparison };
  }

  it('prints both runs side by side; the figures are those of the daily NAVs in the JSON; show prints it again', async () => {
    const { s, c } = await compared('--compare', 'overlay-off');
    expect(c.label).toBe('overlay-off');
    expect([...c.disabled].sort()).toEqual(['circuit_breaker', 'correlation_monitor', 'emergency', 'graduated_drawdown', 'regime']);
    // the overlay's policy rules acted in the full run, and none in the comparison run
    expect(s.binding.rules.some((r) => r.policy && r.gross > 0)).toBe(true);
    expect(c.variant.binding.rules.filter((r) => r.policy)).toEqual([]);
    // both runs carry the daily NAVs of the fund and of each agent, gross and net of costs
    for (const r of [s, c.variant]) {
      expect(r.fund.equity).toHaveLength(r.days);
      expect(r.fund.equityGross).toHaveLength(r.days);
      const costs = r.costs.commissions + r.costs.slippage;
      expect(costs).toBeGreaterThan(0);
      // the ledger pays each fill's commission to the cent: at most half a cent apart per fill
      expect(Math.abs((r.fund.equityGross.at(-1) ?? 0) - (r.fund.equity.at(-1) ?? 0) - costs)).toBeLessThanOrEqual(0.005 * r.costs.fills + 1e-6);
      let agentCosts = 0;
      for (const a of r.agents) {
        expect(a.equity).toHaveLength(r.days);
        expect(a.equityGross).toHaveLength(r.days);
        agentCosts += (a.equityGross.at(-1) ?? 0) - (a.equity.at(-1) ?? 0);
      }
      expect(Math.abs(agentCosts - costs)).toBeLessThanOrEqual(0.005 * r.costs.fills + 1e-6); // every fill is allocated to agents
      // the fund's NAV is its agents' plus the unallocated cash, every day; the cash moves only
      // with the capital the allocation moves into the agents' books (their flows)
      let cash = (r.fund.equity[0] ?? 0) - r.agents.reduce((x, a) => x + (a.equity[0] ?? 0), 0);
      r.fund.equity.forEach((v, t) => {
        if (t > 0) cash -= r.agents.reduce((x, a) => x + (a.flows[t] ?? 0), 0);
        expect(v).toBeCloseTo(cash + r.agents.reduce((x, a) => x + (a.equity[t] ?? 0), 0), 2);
      });
    }
    // the table, from the NAVs
    const sides = [
      [c.on, s],
      [c.off, c.variant],
    ] as const;
    for (const [side, r] of sides) {
      for (const [key, nav] of [['gross', r.fund.equityGross], ['net', r.fund.equity]] as const) {
        const mine = stats(nav);
        const theirs = side[key];
        expect(theirs.totalReturn).toBeCloseTo(mine.totalReturn, 10);
        expect(theirs.annualReturn).toBeCloseTo(mine.annualReturn, 10);
        expect(theirs.annualVolatility).toBeCloseTo(mine.annualVolatility, 10);
        expect(theirs.sharpe).toBeCloseTo(mine.sharpe, 8);
        expect(theirs.maxDrawdown).toBeCloseTo(mine.maxDrawdown, 10);
        expect(theirs.worst20d).toBeCloseTo(mine.worst20d, 10);
      }
      expect(side.costs.total).toBeCloseTo(r.costs.commissions + r.costs.slippage, 6);
    }
    // gross of costs beats net of costs; the overlay-off run trades more
    expect(c.on.gross.totalReturn).toBeGreaterThan(c.on.net.totalReturn);
    expect(c.off.turnover.oneWay).toBeGreaterThan(c.on.turnover.oneWay);
    for (const key of ['gross', 'net'] as const) {
      const on = stats(key === 'gross' ? s.fund.equityGross : s.fund.equity);
      const off = stats(key === 'gross' ? c.variant.fund.equityGross : c.variant.fund.equity);
      const kept = c.kept[key];
      expect(kept.drawdownReduction).toBeCloseTo(1 - on.maxDrawdown / off.maxDrawdown, 10);
      expect(kept.worst20dReduction).toBeCloseTo(1 - on.worst20d / off.worst20d, 10);
      if (off.annualReturn > 0) expect(kept.returnKept).toBeCloseTo(on.annualReturn / off.annualReturn, 10);
      else expect(kept.returnKept).toBeNull();
      if (off.sharpe > 0) expect(kept.sharpeKept).toBeCloseTo(on.sharpe / off.sharpe, 8);
      else expect(kept.sharpeKept).toBeNull();
    }
    // the binding constraints sum to what the reviews removed, in both runs
    for (const r of [s, c.variant]) {
      const b = r.binding;
      // to the dollar a day: rules that never removed a dollar on an agent-day are left out
      expect(Math.abs(b.rules.reduce((x, y) => x + y.gross, 0) - (b.proposedGross - b.finalGross))).toBeLessThan(1);
      expect(Math.abs(b.rules.reduce((x, y) => x + y.var, 0) - (b.proposedVar - b.finalVar))).toBeLessThan(1);
      expect(b.proposedGross - b.finalGross).toBeGreaterThan(1000);
      expect(b.rules.some((x) => x.rule === 'unattributed')).toBe(false);
    }
    // the text says the same, and show prints it again from the store
    const text = await k.run('backtest', 'show', s.id);
    expect(text.code).toBe(0);
    expect(text.out).toContain('comparison: overlay on vs overlay-off');
    expect(text.out).toContain('binding constraints, per day on average');
    expect(text.out).toContain(`${(c.on.net.sharpe).toFixed(2)}`);
    const shown = JSON.parse((await k.run('backtest', 'show', s.id, '--json')).out) as BacktestSummary;
    expect(shown.comparison).toEqual(c);
  }, 600_000);

  it('--without correlation_monitor is the full run until that rule first acts, and differs after', async () => {
    const { s, c } = await compared('--without', 'correlation_monitor');
    expect(c.disabled).toEqual(['correlation_monitor']);
    expect(c.label).toBe('without correlation_monitor');
    const rule = s.binding.rules.find((r) => r.rule === 'correlation_monitor');
    if (!rule) throw new Error('the correlation monitor never acted in the full run');
    expect(c.variant.binding.rules.map((r) => r.rule)).not.toContain('correlation_monitor');
    // other rules acted before it (so switching off more than the one rule would show earlier)
    expect(s.binding.rules.some((r) => r.rule !== 'correlation_monitor' && r.policy && r.firstDate < rule.firstDate)).toBe(true);
    const first = s.dates.indexOf(rule.firstDate);
    expect(first).toBeGreaterThan(0);
    // identical, day by day and book by book, until the rule first acted; that day only the cents of
    // internal crosses at the close differ (its orders fill the next morning); then they differ
    expect(c.variant.fund.equity.slice(0, first)).toEqual(s.fund.equity.slice(0, first));
    for (const a of s.agents) expect(c.variant.agents.find((x) => x.id === a.id)?.equity.slice(0, first)).toEqual(a.equity.slice(0, first));
    expect(Math.abs((c.variant.fund.equity[first] ?? 0) - (s.fund.equity[first] ?? 0))).toBeLessThan(1);
    expect(c.variant.fund.equity.slice(first + 1)).not.toEqual(s.fund.equity.slice(first + 1));
    // the other rules' binding dates before it are the same in both runs
    for (const r of s.binding.rules.filter((x) => x.firstDate < rule.firstDate)) expect(c.variant.binding.rules.find((x) => x.rule === r.rule)?.firstDate).toBe(r.firstDate);
  }, 600_000);

  it('the next run reads the market from the cache its first run wrote, and gives the same result', async () => {
    const dir = path.join(k.home, 'cache');
    const files = () => readdirSync(dir).map((n) => `${n} ${statSync(path.join(dir, n)).mtimeMs}`).sort();
    const short = ['backtest', 'run', '--from', FROM, '--to', '2019-02-28', '--json'] as const;
    const first = await k.run(...short);
    expect(first.code).toBe(0);
    // fund.json was written after init stored the fund's config: the backtest says it tests the file, not what keel run uses
    expect(first.err).toContain("which differs from fund main's stored config (the one keel run and the API's backtests use)");
    const written = files();
    expect(written.length).toBeGreaterThan(0);
    const again = await k.run(...short);
    expect(again.code).toBe(0);
    // no load from the store: it would have written its file again
    expect(files()).toEqual(written);
    const a = JSON.parse(first.out) as BacktestSummary;
    const b = JSON.parse(again.out) as BacktestSummary;
    expect(b.fund.equity).toEqual(a.fund.equity);
    expect(b.configHash).toBe(a.configHash);
  }, 300_000);

  it('an unknown rule is refused before anything runs, naming the rules', async () => {
    const r = await k.run('backtest', 'run', '--from', FROM, '--to', TO, '--without', 'correlation');
    expect(r.code).toBe(1);
    expect(r.err).toContain("unknown overlay rule 'correlation'");
    expect(r.err).toContain('correlation_monitor');
    const bad = await k.run('backtest', 'run', '--from', FROM, '--to', TO, '--compare', 'nothing');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--compare takes overlay-off');
  });
});
