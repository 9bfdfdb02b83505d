import { Cron } from 'croner';
import { isKeelError, type Logger } from '../../core/index.ts';
import { isTradingDay, newYorkTime } from '../../market/index.ts';
import type { LiveCycleOutcome } from './run-live.ts';

export interface DaemonOptions {
  /** Cron expression (minute hour day month weekday); default 16:30 on weekdays. */
  readonly cron: string;
  readonly timezone?: string;
  readonly runCycle: () => Promise<LiveCycleOutcome>;
  readonly logger: Logger;
  /** Heartbeat interval in seconds (seed: HEARTBEAT_INTERVAL). */
  readonly heartbeatSec: number;
  /** Transient failures are retried with exponential backoff: base delay and attempts. */
  readonly retryBaseMs?: number;
  readonly maxAttempts?: number;
  readonly onFailure?: (error: unknown, attempts: number) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * A refused cycle that may succeed later (market data not yet published) is run again every
   * `everyMs` until `forMs` has passed since the first try; `stop()` ends the wait.
   */
  readonly retryRefused?: { readonly when: (out: LiveCycleOutcome) => boolean; readonly everyMs: number; readonly forMs: number };
  /**
   * Whether the day of an instant (Unix ms) has a session; a scheduled run on a day without one (an
   * exchange holiday) is skipped with a log line, as no new session can be traded. Default: the
   * NYSE calendar, the day taken in New York.
   */
  readonly isMarketDay?: (ms: number) => boolean;
}

/** The NYSE calendar, the day taken in New York. */
export const isNyseSessionDay = (ms: number): boolean => isTradingDay(newYorkTime(ms).date);

export const DEFAULT_CRON = '30 16 * * 1-5';

/** Failures worth retrying: the database, the broker, a provider, the network. */
export function isTransient(e: unknown): boolean {
  if (isKeelError(e)) return e.code === 'KEEL_E_STORE' || e.code === 'KEEL_E_BROKER' || e.code === 'KEEL_E_PROVIDER';
  const code = (e as { code?: string } | null)?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'EPIPE';
}

/**
 * Runs the fund cycle on a cron schedule (market days by default), one at a time, with a
 * heartbeat and bounded retries on transient failures. `stop()` stops scheduling and waits for
 * the cycle in progress, which finishes or rolls back as one transaction: never half-written.
 */
export class FundDaemon {
  private cron: Cron | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  cyclesRun = 0;

  constructor(private readonly o: DaemonOptions) {}

  start(): void {
    this.cron = new Cron(this.o.cron, { protect: true, ...(this.o.timezone ? { timezone: this.o.timezone } : {}) }, () => this.scheduledTick());
    this.heartbeat = setInterval(() => this.beat(), this.o.heartbeatSec * 1000);
    this.heartbeat.unref();
    this.o.logger.log('info', 'daemon started', { cron: this.o.cron, nextRun: this.cron.nextRun()?.toISOString() ?? null });
  }

  private beat(): void {
    this.o.logger.log('info', 'heartbeat', { cyclesRun: this.cyclesRun, busy: this.running !== null, nextRun: this.cron?.nextRun()?.toISOString() ?? null });
  }

  /**
   * What the schedule calls at `nowMs`: a cycle, unless the day has no session (then nothing runs:
   * a holiday's cycle would find the last session traded already and be refused as a re-run).
   */
  scheduledTick(nowMs: number = Date.now()): Promise<void> {
    if (!(this.o.isMarketDay ?? isNyseSessionDay)(nowMs)) {
      this.o.logger.log('info', 'no session today: the scheduled cycle is skipped', { day: newYorkTime(nowMs).date, nextRun: this.cron?.nextRun()?.toISOString() ?? null });
      return Promise.resolve();
    }
    return this.tick();
  }

  /** Runs one cycle now (`--run-now`, and the schedule on a market day). Overlapping calls wait for the running one. */
  tick(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (this.running) return this.running;
    this.running = this.attempt().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async attempt(): Promise<void> {
    const max = this.o.maxAttempts ?? 5;
    const base = this.o.retryBaseMs ?? 1000;
    const sleep = this.o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.o.runCycle();
        this.cyclesRun++;
        this.o.logger.log(out.status === 'COMPLETED' ? 'info' : 'warn', `cycle ${out.status.toLowerCase()}`, out.status === 'COMPLETED' ? { cycleId: out.result.cycleId } : { reason: out.reason });
        const again = this.o.retryRefused;
        if (out.status === 'REFUSED' && again?.when(out) && !this.stopping && performance.now() - started + again.everyMs <= again.forMs) {
          this.o.logger.log('info', 'refused cycle: trying again later', { delayMs: again.everyMs });
          await this.pause(again.everyMs);
          if (this.stopping) return;
          attempt = 0;
          continue;
        }
        return;
      } catch (e) {
        if (!isTransient(e) || attempt >= max || this.stopping) {
          this.o.logger.log('error', 'cycle failed', { error: String(e), attempts: attempt });
          this.o.onFailure?.(e, attempt);
          return;
        }
        const delay = base * 2 ** (attempt - 1);
        this.o.logger.log('warn', 'transient failure, retrying', { error: String(e), attempt, delayMs: delay });
        await sleep(delay);
      }
    }
  }

  private wake: (() => void) | null = null;

  /** A wait that stop() cuts short. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  /** Graceful shutdown: no new cycles; the one in progress finishes (or rolls back). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    this.cron?.stop();
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.running) await this.running;
    this.o.logger.log('info', 'daemon stopped', { cyclesRun: this.cyclesRun });
  }

  nextRun(): Date | null {
    return this.cron?.nextRun() ?? null;
  }
}
