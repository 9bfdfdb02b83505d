import type { AgentProposal, CheckResult, Reason } from '../../contracts/index.ts';
import { agentVarBudget } from '../budget-share.ts';
import { reason, reduceOnlyCap, result, setCap, type OverlayCheck, type ReviewContext } from '../context.ts';
import { table } from '../table.ts';

const RULE = 'risk_budget';

/**
 * Seed fund-overlay-plan §1A. The VaR of the agent's own book (standalone) against its budget
 * (`agentVarBudget`: its share from the capital allocation, else riskBudgetPct, × the fund VaR
 * budget, the VaR of the fund at its risk target; never below half its usual proposal's): WITHIN_BUDGET,
 * WARNING above budgetWarningPct (80%), BREACH with the largest scale that fits. Daily and monthly
 * loss limits (the agent may only reduce), gross / net / leverage caps and the per-name and
 * per-sector caps of the agent's own book (fractions of its allocated capital).
 */
export const RiskBudgetCheck: OverlayCheck = {
  name: RULE,
  kind: 'fit',
  review(_p: AgentProposal, ctx: ReviewContext): CheckResult {
    const a = ctx.agent;
    const r = a.risk;
    const lf = ctx.fund.limitFactor;
    const reasons: Reason[] = [];
    const caps = table<number>();
    let scale = 1;
    let status: CheckResult['status'] = 'OK';
    if (!(a.capital > 0)) {
      return result(RULE, { status: 'BREACH', block: true, reasons: [reason(RULE, 'NO_CAPITAL', 'the agent has no allocated capital', { limit: 0, actual: a.capital })] });
    }
    // daily / monthly loss limits: reduce only
    const st = a.state;
    const daily = st ? -st.dailyPnl / a.capital : 0;
    const monthly = st ? -st.monthlyPnl / a.capital : 0;
    const lossBreaches: Reason[] = [];
    if (daily >= r.maxDailyDrawdownPct) lossBreaches.push(reason(RULE, 'DAILY_LOSS_LIMIT', `daily loss ${(daily * 100).toFixed(2)}% ≥ ${(r.maxDailyDrawdownPct * 100).toFixed(2)}%: reduce only`, { limit: r.maxDailyDrawdownPct, actual: daily }));
    if (monthly >= r.maxMonthlyDrawdownPct) lossBreaches.push(reason(RULE, 'MONTHLY_LOSS_LIMIT', `monthly loss ${(monthly * 100).toFixed(2)}% ≥ ${(r.maxMonthlyDrawdownPct * 100).toFixed(2)}%: reduce only`, { limit: r.maxMonthlyDrawdownPct, actual: monthly }));
    if (lossBreaches.length > 0) {
      status = 'BREACH';
      reasons.push(...lossBreaches);
      for (let i = 0; i < a.names.length; i++) setCap(caps, a.names[i] ?? '', reduceOnlyCap(a.proposedW[i] ?? 0, a.currentW[i] ?? 0));
    }
    // per-name cap of the agent's book
    const posCap = r.maxPositionPct * lf;
    let gross = 0;
    let net = 0;
    for (let i = 0; i < a.names.length; i++) {
      const w = a.proposedW[i] ?? 0;
      gross += Math.abs(w);
      net += w;
      if (Math.abs(w) > posCap + 1e-12) {
        setCap(caps, a.names[i] ?? '', posCap);
        status = 'BREACH';
        reasons.push(reason(RULE, 'POSITION_CAP', 'position above the agent cap', { symbol: a.names[i] ?? null, limit: posCap, actual: Math.abs(w) }));
      }
    }
    // per-sector gross cap of the agent's book
    const secCap = r.maxSectorPct * lf;
    // gross per sector, the sectors in first-seen order
    const S = ctx.universe.sectorNames.length;
    const secGross = ctx.ws.f64('budget.sectorGross', S);
    const seen = ctx.ws.i32('budget.sectorSeen', S);
    const order = ctx.ws.i32('budget.sectors', S, false);
    let ns = 0;
    for (let i = 0; i < a.names.length; i++) {
      const s = ctx.universe.sector[a.idx[i] ?? 0] ?? 0;
      if (seen[s] === 0) {
        seen[s] = 1;
        order[ns++] = s;
      }
      secGross[s] = (secGross[s] ?? 0) + Math.min(Math.abs(a.proposedW[i] ?? 0), posCap);
    }
    for (let k = 0; k < ns; k++) {
      const s = order[k] ?? 0;
      const g = secGross[s] ?? 0;
      if (g <= secCap + 1e-12) continue;
      const f = secCap / g;
      const sector = ctx.universe.sectorNames[s] ?? 'Unknown';
      for (let i = 0; i < a.names.length; i++) {
        if ((ctx.universe.sector[a.idx[i] ?? 0] ?? 0) === s) setCap(caps, a.names[i] ?? '', Math.min(Math.abs(a.proposedW[i] ?? 0), posCap) * f);
      }
      status = 'BREACH';
      reasons.push(reason(RULE, 'AGENT_SECTOR_CAP', `sector ${sector} above the agent's sector cap`, { sector, limit: secCap, actual: g }));
    }
    // gross / leverage / net
    const grossCap = Math.min(r.grossExposureCap, r.leverageLimit) * lf;
    if (gross > grossCap + 1e-12) {
      scale = Math.min(scale, grossCap / gross);
      status = 'BREACH';
      const code = r.leverageLimit < r.grossExposureCap ? 'LEVERAGE_CAP' : 'GROSS_CAP';
      reasons.push(reason(RULE, code, 'gross exposure above the agent cap', { limit: grossCap, actual: gross }));
    }
    const netCap = r.netExposureCap * lf;
    if (Math.abs(net) > netCap + 1e-12) {
      scale = Math.min(scale, netCap / Math.abs(net));
      status = 'BREACH';
      reasons.push(reason(RULE, 'NET_CAP', 'net exposure above the agent cap', { limit: netCap, actual: Math.abs(net) }));
    }
    // VaR budget on the book's own (standalone) VaR, linear in its scale
    const budget = agentVarBudget(r, a.state, ctx.fund);
    const bookVar = ctx.fund.z * Math.sqrt(ctx.candidateRisk().cc);
    const used = budget > 0 ? bookVar / budget : bookVar > 0 ? Number.POSITIVE_INFINITY : 0;
    if (!Number.isFinite(bookVar)) {
      // fail safe: a risk that cannot be measured lets the agent only reduce
      status = 'BREACH';
      reasons.push(reason(RULE, 'RISK_NOT_FINITE', 'the VaR of the proposal is not a finite number (a position or weight too large to measure): reduce only', { limit: budget }));
      for (let i = 0; i < a.names.length; i++) setCap(caps, a.names[i] ?? '', reduceOnlyCap(a.proposedW[i] ?? 0, a.currentW[i] ?? 0));
    } else if (bookVar > budget + 1e-9) {
      const s = budget / bookVar;
      scale = Math.min(scale, s);
      status = 'BREACH';
      reasons.push(reason(RULE, 'VAR_BUDGET_BREACH', `the book's VaR uses ${(used * 100).toFixed(1)}% of the agent's budget: book × ${s.toFixed(3)}`, { limit: budget, actual: bookVar }));
    } else if (used > ctx.config.risk.budgetWarningPct) {
      if (status === 'OK') status = 'WARNING';
      reasons.push(reason(RULE, 'VAR_BUDGET_WARNING', `the book's VaR uses ${(used * 100).toFixed(1)}% of the agent's budget (warning above ${(ctx.config.risk.budgetWarningPct * 100).toFixed(0)}%)`, { limit: budget, actual: bookVar }));
    }
    return result(RULE, { status, scale, caps, reasons });
  },
};
