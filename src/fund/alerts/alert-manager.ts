import { Alert, type AlertCategory, type AlertSeverity } from '../../contracts/index.ts';
import type { Clock, IdSource, Logger } from '../../core/index.ts';

/** Somewhere alerts go: a webhook, a chat, the log. `send` may fail; the manager contains it. */
export interface AlertChannel {
  readonly name: string;
  send(alert: Alert): Promise<void>;
}

export interface RaiseInput {
  severity: AlertSeverity;
  category: AlertCategory;
  title: string;
  message: string;
  /** Alerts with the same key inside the dedup window are merged (counted, not re-sent). */
  dedupKey: string;
  traceId?: string;
  fundId?: string;
  context?: Record<string, unknown>;
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

export interface AlertManagerOptions {
  clock: Clock;
  ids: IdSource;
  channels: readonly AlertChannel[];
  logger: Logger;
  /** Seconds; default 600 (seed: 10 minutes). */
  dedupWindowSec?: number;
  /** Alerts below this severity are recorded but not sent to channels. */
  minSeverity?: AlertSeverity;
}

/**
 * Raises alerts with deduplication (seed: mini-quant-fund §9). Every alert is recorded (the
 * returned list feeds the store); only new ones at or above `minSeverity` reach the channels.
 * A failing channel is logged and never breaks the caller.
 */
export class AlertManager {
  private readonly lastSent = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();
  private readonly pending: Promise<void>[] = [];
  readonly raised: Alert[] = [];

  constructor(private readonly o: AlertManagerOptions) {}

  /** Returns the alert if it was new (sent), or null if merged into one inside the window. */
  raise(input: RaiseInput): Alert | null {
    const now = this.o.clock.now();
    const windowMs = (this.o.dedupWindowSec ?? 600) * 1000;
    const last = this.lastSent.get(input.dedupKey);
    if (last !== undefined && now - last < windowMs) {
      this.suppressed.set(input.dedupKey, (this.suppressed.get(input.dedupKey) ?? 0) + 1);
      return null;
    }
    const merged = this.suppressed.get(input.dedupKey) ?? 0;
    this.suppressed.delete(input.dedupKey);
    this.lastSent.set(input.dedupKey, now);
    const alert = Alert.parse({
      version: 1,
      id: this.o.ids.next('al'),
      traceId: input.traceId ?? input.dedupKey,
      fundId: input.fundId ?? null,
      severity: input.severity,
      category: input.category,
      title: input.title,
      message: merged > 0 ? `${input.message} (${merged} similar alert(s) merged)` : input.message,
      dedupKey: input.dedupKey,
      timestamp: new Date(now).toISOString(),
      context: input.context ?? {},
    });
    this.raised.push(alert);
    if (SEVERITY_RANK[alert.severity] >= SEVERITY_RANK[this.o.minSeverity ?? 'LOW']) {
      for (const ch of this.o.channels) {
        this.pending.push(
          ch.send(alert).catch((e: unknown) => {
            this.o.logger.log('warn', 'alert channel failed', { channel: ch.name, alertId: alert.id, error: String(e) });
          }),
        );
      }
    }
    return alert;
  }

  /** Waits for every channel delivery started so far. */
  async flush(): Promise<void> {
    const all = this.pending.splice(0);
    await Promise.all(all);
  }

  /** Hands over the alerts raised since the last drain (for persistence). */
  drain(): Alert[] {
    return this.raised.splice(0);
  }
}
