import { canonicalJson, hashOf } from '../core/index.ts';
import type { FundConfig, OverlayDecision } from '../contracts/index.ts';
import { viewAt, type Panel } from '../market/index.ts';
import { decideCycle, type CycleInputs } from './cycle/run-cycle.ts';
import { Ledger } from './ledger/ledger.ts';
import { loadRoster } from './roster/load-roster.ts';

export interface ReplayDifference {
  readonly agentId: string;
  /** JSON path inside the decision, e.g. `targets[3].finalWeight`. */
  readonly path: string;
  readonly recorded: unknown;
  readonly replayed: unknown;
}

export interface ReplayReport {
  readonly cycleId: string;
  readonly asOf: string;
  readonly identical: boolean;
  readonly recordedHash: string;
  readonly replayedHash: string;
  readonly differences: readonly ReplayDifference[];
  readonly decisions: readonly OverlayDecision[];
}

function diff(a: unknown, b: unknown, path: string, out: { path: string; a: unknown; b: unknown }[], limit: number): void {
  if (out.length >= limit) return;
  if (canonicalJson(a) === canonicalJson(b)) return;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const next = Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], next, out, limit);
    }
    return;
  }
  out.push({ path, a, b });
}

/**
 * Re-runs the decision half of a recorded cycle (fresh agents, the recorded fund state and
 * ledger, the market as of the recorded date) and compares its decisions with the recorded
 * ones. Replay is bit-exact: any difference is a bug (or a changed config or market). A plug-in
 * agent's module must be the recorded one (its sha256 is checked); a remote agent is not asked
 * again: its recorded answer (or failure) is used.
 */
export async function replayCycle(config: FundConfig, panel: Panel, inputs: CycleInputs, recorded: readonly OverlayDecision[]): Promise<ReplayReport> {
  const agents = await loadRoster(config, { replaying: true });
  const ledger = Ledger.fromSnapshot(inputs.ledger);
  const view = viewAt(panel, inputs.asOf);
  const remote = new Map(Object.entries(inputs.remote ?? {}));
  const { review } = decideCycle({ agents, config }, { fund: inputs.fund, ledger }, view, inputs.cycleId, inputs.timestamp, remote);
  const byAgent = new Map(recorded.map((d) => [d.agentId, d]));
  const differences: ReplayDifference[] = [];
  const seen = new Set<string>();
  for (const d of review.decisions) {
    seen.add(d.agentId);
    const found: { path: string; a: unknown; b: unknown }[] = [];
    diff(byAgent.get(d.agentId), d, '', found, 20);
    for (const f of found) differences.push({ agentId: d.agentId, path: f.path || '(decision)', recorded: f.a, replayed: f.b });
  }
  for (const d of recorded) if (!seen.has(d.agentId)) differences.push({ agentId: d.agentId, path: '(decision)', recorded: 'present', replayed: 'missing' });
  const sorted = (list: readonly OverlayDecision[]) => [...list].sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
  const recordedHash = hashOf(sorted(recorded));
  const replayedHash = hashOf(sorted(review.decisions));
  return { cycleId: inputs.cycleId, asOf: inputs.asOf, identical: recordedHash === replayedHash, recordedHash, replayedHash, differences, decisions: review.decisions };
}
