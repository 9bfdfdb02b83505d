import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { KeelError } from '../core/index.ts';

/**
 * Request/reply over core NATS, for propose requests to remote agents and agent workers. Core
 * NATS rather than JetStream: a propose request is only worth answering before its cycle's
 * deadline, so it is not persisted (a restarted worker must not answer yesterday's cycle);
 * a queue group spreads requests over the workers subscribed, and a subject nobody serves fails
 * at once ("no responders") instead of waiting for the deadline.
 */
export class NatsRpc {
  private readonly subs = new Set<Subscription>();
  private constructor(private readonly nc: NatsConnection) {}

  static async connect(url: string): Promise<NatsRpc> {
    try {
      return new NatsRpc(await connect({ servers: url, timeout: 3000 }));
    } catch (e) {
      throw new KeelError('KEEL_E_STORE', `cannot reach NATS at ${url}: ${String(e)}`);
    }
  }

  /** Sends `body` to `subject` and resolves to the reply's text; rejects at `timeoutMs`, on no responders, or when `signal` aborts. */
  async request(subject: string, body: string, timeoutMs: number, signal?: AbortSignal): Promise<string> {
    const reply = this.nc.request(subject, body, { timeout: timeoutMs });
    if (!signal) return (await reply).string();
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new Error('aborted'));
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
    const m = await Promise.race([reply, aborted]);
    return m.string();
  }

  /** Answers requests on `subject` as a member of `queue` (each request goes to one member) until closed. */
  serve(subject: string, queue: string, handler: (body: string) => Promise<string>): void {
    const sub = this.nc.subscribe(subject, { queue });
    this.subs.add(sub);
    void (async () => {
      for await (const m of sub) m.respond(await handler(m.string()));
    })();
  }

  /** Waits until the server has seen this connection's subscriptions (so a request sent next reaches them). */
  flush(): Promise<void> {
    return this.nc.flush();
  }

  async close(): Promise<void> {
    for (const s of this.subs) s.unsubscribe();
    this.subs.clear();
    await this.nc.drain();
  }
}
