/**
 * Each agent's share of fund VaR (seed: fund-overlay-plan §1A, "current_var_contribution"):
 * delta-normal Euler components over the netted fund book, so the agents' components add up to
 * the fund's parametric VaR exactly; plus each agent's standalone VaR.
 */
import { parametricVaR, varDecomposition, type RiskModel } from '../../quant/index.ts';

export interface AgentVar {
  readonly agentId: string;
  /** Σ_i exposure_{a,i} · ∂VaR/∂w_i, dollars; Σ over agents = fund parametric VaR. */
  readonly componentVar: number;
  /** componentVar / fund VaR (0 when fund VaR is 0). */
  readonly share: number;
  /** The agent's VaR on its own, dollars. */
  readonly standaloneVar: number;
}

/** Component and standalone parametric VaR per agent at `confidence` and `horizon` days. `books` maps agent → exposures over the model's U names. */
export function agentVarContributions(books: ReadonlyMap<string, Float64Array>, fund: Float64Array, model: RiskModel, confidence: number, horizon = 1): AgentVar[] {
  const d = varDecomposition(fund, model, { confidence, horizon });
  const out: AgentVar[] = [];
  for (const [agentId, e] of books) {
    let c = 0;
    for (let i = 0; i < e.length; i++) c += (e[i] as number) * (d.marginal[i] as number);
    out.push({ agentId, componentVar: c, share: d.var > 0 ? c / d.var : 0, standaloneVar: parametricVaR(e, model, { confidence, horizon }).var });
  }
  return out.sort((a, b) => b.componentVar - a.componentVar || (a.agentId < b.agentId ? -1 : 1));
}
