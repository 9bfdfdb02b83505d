/**
 * Which agent worker steps which agent (sticky and balanced). An agent keeps its worker, which
 * keeps the agent's state stepped one row a cycle; but the queue group places each agent's first
 * request on a worker at random, so two workers can end up with 30 and 6 of 36 agents and the cycle
 * waits for the busier one. So an agent whose worker holds more than its share
 * (⌈agents ÷ workers⌉) moves to the worker that holds the fewest: it costs that worker one
 * replay of the agent's state, once, and the agent's proposals are the same wherever it runs. A
 * worker that joins later takes its share the same way; one that is gone gives its agents back.
 *
 * Agents are not all equally costly (a bench roster's ran 1–17 ms a cycle each), so once the
 * workers have reported what every placed agent costs (`measured`: the worker's milliseconds per
 * answer, smoothed), workers are balanced by cost instead of count: an agent moves to the worker
 * with the least work when its own worker's work exceeds that by more than 1.5× the agent's cost
 * (a move that shrinks the larger of the two and cannot be undone by the same rule next cycle).
 */
/** Weight of the newest answer in an agent's smoothed cost. */
const COST_SMOOTHING = 0.3;
/** An agent moves only when the imbalance is more than this many times its own cost. */
const MOVE_MARGIN = 1.5;

export class Placement {
  private readonly workerOf = new Map<string, string>();
  private readonly load = new Map<string, number>();
  private readonly cost = new Map<string, number>();

  /** The worker the agent's requests go to, or undefined: none yet (ask the queue group). */
  workerFor(agentId: string): string | undefined {
    const at = this.workerOf.get(agentId);
    if (at === undefined) return undefined;
    if (this.allMeasured()) return this.byCost(agentId, at);
    const share = Math.ceil(this.workerOf.size / this.load.size);
    if ((this.load.get(at) ?? 0) <= share) return at;
    const idlest = this.idlest();
    if ((this.load.get(idlest) ?? 0) + 1 >= (this.load.get(at) ?? 0)) return at;
    this.assign(agentId, idlest);
    return idlest;
  }

  /** Records that `worker` answered for the agent (its first answer, from the queue group). */
  pin(agentId: string, worker: string): void {
    if (!this.load.has(worker)) this.load.set(worker, 0);
    this.assign(agentId, worker);
  }

  /** Records what a worker spent on an agent's answer (milliseconds), smoothed over answers. */
  measured(agentId: string, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const was = this.cost.get(agentId);
    this.cost.set(agentId, was === undefined ? ms : was + COST_SMOOTHING * (ms - was));
  }

  /** Forgets a worker that is gone: its agents go to the queue group again. */
  drop(worker: string): void {
    for (const [agent, w] of this.workerOf) if (w === worker) this.workerOf.delete(agent);
    this.load.delete(worker);
  }

  /** Agents per worker (logs and tests). */
  counts(): ReadonlyMap<string, number> {
    return this.load;
  }

  private assign(agentId: string, worker: string): void {
    const was = this.workerOf.get(agentId);
    if (was === worker) return;
    if (was !== undefined) this.load.set(was, (this.load.get(was) ?? 1) - 1);
    this.workerOf.set(agentId, worker);
    this.load.set(worker, (this.load.get(worker) ?? 0) + 1);
  }

  private allMeasured(): boolean {
    if (this.load.size < 2) return false;
    for (const agent of this.workerOf.keys()) if (!this.cost.has(agent)) return false;
    return true;
  }

  private byCost(agentId: string, at: string): string {
    const work = new Map<string, number>();
    for (const w of this.load.keys()) work.set(w, 0);
    for (const [agent, w] of this.workerOf) work.set(w, (work.get(w) ?? 0) + (this.cost.get(agent) ?? 0));
    let least = at;
    for (const [w, ms] of work) if (ms < (work.get(least) ?? 0)) least = w;
    const c = this.cost.get(agentId) ?? 0;
    if (least === at || !(c > 0) || (work.get(at) ?? 0) - (work.get(least) ?? 0) <= MOVE_MARGIN * c) return at;
    this.assign(agentId, least);
    return least;
  }

  /** The worker holding the fewest agents (the first such in the order workers joined). */
  private idlest(): string {
    let best = '';
    let fewest = Number.POSITIVE_INFINITY;
    for (const [w, n] of this.load) {
      if (n < fewest) {
        best = w;
        fewest = n;
      }
    }
    return best;
  }
}
