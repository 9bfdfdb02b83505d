/**
 * Which agent worker steps which agent (sticky and balanced). An agent keeps its worker, which
 * keeps the agent's state stepped one row a cycle; but the queue group places each agent's first
 * request on a worker at random, so two workers can end up with 30 and 6 of 36 agents and the cycle
 * waits for the busier one. So an agent whose worker holds more than its share
 * (⌈agents ÷ workers⌉) moves to the worker that holds the fewest: it costs that worker one
 * replay of the agent's state, once, and the agent's proposals are the same wherever it runs. A
 * worker that joins later takes its share the same way; one that is gone gives its agents back.
 */
export class Placement {
  private readonly workerOf = new Map<string, string>();
  private readonly load = new Map<string, number>();

  /** The worker the agent's requests go to, or undefined: none yet (ask the queue group). */
  workerFor(agentId: string): string | undefined {
    const at = this.workerOf.get(agentId);
    if (at === undefined) return undefined;
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
