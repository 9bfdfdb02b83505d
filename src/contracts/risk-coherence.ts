import { normalCvarMultiple, normalQuantile } from '../core/index.ts';

/**
 * The fund's loss limits read as volatilities (issue 15): each limit is the loss a fund running at
 * some annualised volatility σ would reach, and σ is the volatility the limit implies.
 *
 * - a one-day VaR (or CVaR) limit v at confidence c binds at σ = v / z(c) · √252 (normal);
 * - the fund drawdown ladder's first step comes at a 1σ annual loss, so it implies σ = its drawdown;
 * - the drawdown kill switch comes at a 1.5σ annual loss, σ = its drawdown / 1.5.
 *
 * Limits set for different volatilities contradict each other: a VaR limit that implies 40% with
 * a 10% target never binds, a ladder that implies 2% trips on noise. Left unset, each limit is
 * derived from `risk.targetVolPct` at the multiple below (the seeds' graduated order: the target,
 * the circuit breaker at 1.5×, the kill switches at 2×), and a config whose implied volatilities
 * are more than `MAX_IMPLIED_VOL_SPREAD` apart is refused, naming the two fields.
 */
export const IMPLIED_VOL_MULTIPLE = {
  /** risk.varLimitPct: the circuit breaker's tier 1 binds at 1.5 × the target. */
  varLimit: 1.5,
  /** risk.cvarLimitPct: the CVaR kill switch counts breaches at 2 × the target. */
  cvarLimit: 2,
  /** killSwitch.fundVar99Pct: the VaR kill switch at 2 × the target. */
  killVar: 2,
  /** killSwitch.fundDrawdownPct: 1.5 × the target's annual loss (15% for a 10% fund). */
  killDrawdown: 1.5,
} as const;

/** σ units of annual loss at which each drawdown limit sits. */
const LADDER_SIGMAS = 1;
const KILL_DRAWDOWN_SIGMAS = IMPLIED_VOL_MULTIPLE.killDrawdown;

/** The most two limits' implied volatilities may differ by (a ratio). */
export const MAX_IMPLIED_VOL_SPREAD = 2;

const SQRT_252 = Math.sqrt(252);
const DEFAULT_TARGET = 0.1;
const DEFAULT_CONFIDENCE = 0.95;

const zOf = (c: number): number => normalQuantile(c);

/** A one-day loss limit at `multiple` × the annual volatility `target`, z-scaled, at most 100%. */
function dailyLimit(target: number, multiple: number, z: number): number {
  return roundLimit((z * multiple * target) / SQRT_252);
}

/** Limits are kept to 6 decimals (1.5 × 0.1 is 0.15, not 0.15000000000000002), at most 100%. */
const roundLimit = (x: number): number => Math.min(1, Math.round(x * 1e6) / 1e6);

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const finitePositive = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;

/**
 * Fills the loss limits a config leaves unset from its risk target (before validation, so the
 * parsed config, its hash and the stored copy hold the numbers the overlay uses). A malformed
 * input passes through untouched for the schema to name what is wrong.
 */
export function withTargetDerivedLimits(input: unknown): unknown {
  if (!isRecord(input)) return input;
  const risk = input['risk'] ?? {};
  const kill = input['killSwitch'] ?? {};
  if (!isRecord(risk) || !isRecord(kill)) return input;
  const target = finitePositive(risk['targetVolPct']) ? risk['targetVolPct'] : DEFAULT_TARGET;
  const conf = typeof risk['varConfidence'] === 'number' && risk['varConfidence'] >= 0.5 && risk['varConfidence'] < 1 ? risk['varConfidence'] : DEFAULT_CONFIDENCE;
  const d = targetDerivedLimits(target, conf);
  return {
    ...input,
    risk: { ...risk, varLimitPct: risk['varLimitPct'] ?? d.varLimitPct, cvarLimitPct: risk['cvarLimitPct'] ?? d.cvarLimitPct },
    killSwitch: { ...kill, fundVar99Pct: kill['fundVar99Pct'] ?? d.fundVar99Pct, fundDrawdownPct: kill['fundDrawdownPct'] ?? d.fundDrawdownPct },
  };
}

/** The loss limits of a fund targeting `target` annual volatility, VaR at `confidence` (see IMPLIED_VOL_MULTIPLE). */
export function targetDerivedLimits(target: number, confidence: number): { varLimitPct: number; cvarLimitPct: number; fundVar99Pct: number; fundDrawdownPct: number } {
  const m = IMPLIED_VOL_MULTIPLE;
  return {
    varLimitPct: dailyLimit(target, m.varLimit, zOf(confidence)),
    cvarLimitPct: dailyLimit(target, m.cvarLimit, normalCvarMultiple(confidence)),
    fundVar99Pct: dailyLimit(target, m.killVar, zOf(0.99)),
    fundDrawdownPct: roundLimit(m.killDrawdown * target),
  };
}

/** The limits of the default fund (10% target, VaR at 95%): the schema's defaults. */
export const DEFAULT_DERIVED_LIMITS = targetDerivedLimits(DEFAULT_TARGET, DEFAULT_CONFIDENCE);

/** One limit's implied volatility (annualised) and the field that sets it. */
export interface ImpliedVol {
  readonly path: (string | number)[];
  readonly vol: number;
}

/** The parts of a parsed config the implied volatilities read. */
export interface RiskLimitsShape {
  readonly risk: { readonly targetVolPct: number; readonly varConfidence: number; readonly varLimitPct: number; readonly cvarLimitPct: number };
  readonly killSwitch: { readonly fundVar99Pct: number; readonly fundDrawdownPct: number };
  readonly drawdown: { readonly fundSteps: readonly { readonly volMultiple?: number | undefined; readonly drawdownPct?: number | undefined }[] };
}

/**
 * The volatility each of the fund's loss limits implies (see the header). Drawdown limits are
 * left out when the target's 1.5σ loss is beyond a total loss (a target above 67% a year): no
 * drawdown can express them.
 */
export function impliedVols(cfg: RiskLimitsShape): ImpliedVol[] {
  const t = cfg.risk.targetVolPct;
  const conf = cfg.risk.varConfidence;
  const out: ImpliedVol[] = [
    { path: ['risk', 'targetVolPct'], vol: t },
    { path: ['risk', 'varLimitPct'], vol: (cfg.risk.varLimitPct / zOf(conf)) * SQRT_252 },
    { path: ['risk', 'cvarLimitPct'], vol: (cfg.risk.cvarLimitPct / normalCvarMultiple(conf)) * SQRT_252 },
    { path: ['killSwitch', 'fundVar99Pct'], vol: (cfg.killSwitch.fundVar99Pct / zOf(0.99)) * SQRT_252 },
  ];
  if (KILL_DRAWDOWN_SIGMAS * t < 1) {
    const first = cfg.drawdown.fundSteps[0];
    if (first) {
      const byVol = first.volMultiple !== undefined;
      const dd = byVol ? (first.volMultiple ?? 0) * t : (first.drawdownPct ?? Number.NaN);
      out.push({ path: ['drawdown', 'fundSteps', 0, byVol ? 'volMultiple' : 'drawdownPct'], vol: dd / LADDER_SIGMAS });
    }
    out.push({ path: ['killSwitch', 'fundDrawdownPct'], vol: cfg.killSwitch.fundDrawdownPct / KILL_DRAWDOWN_SIGMAS });
  }
  return out.filter((x) => Number.isFinite(x.vol) && x.vol > 0);
}

/** The loosest and tightest limits when their implied volatilities are more than MAX_IMPLIED_VOL_SPREAD apart (0.1% slack for the limits' rounding), else null. */
export function impliedVolSpread(cfg: RiskLimitsShape): { readonly loose: ImpliedVol; readonly tight: ImpliedVol } | null {
  const vols = impliedVols(cfg);
  let loose: ImpliedVol | undefined;
  let tight: ImpliedVol | undefined;
  for (const v of vols) {
    if (!loose || v.vol > loose.vol) loose = v;
    if (!tight || v.vol < tight.vol) tight = v;
  }
  if (!loose || !tight || loose.vol <= MAX_IMPLIED_VOL_SPREAD * tight.vol * (1 + 1e-3)) return null;
  return { loose, tight };
}
