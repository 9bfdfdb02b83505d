import { connect, headers, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { KeelError } from '../core/index.ts';

/** The header a responder sets when its handler failed (the NATS services convention); the body is then empty. */
const SERVICE_ERROR = 'Nats-Service-Error';

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

  /** Sends `body` to `subject` and resolves to the reply's text; rejects at `timeoutMs`, on no responders, when the responder failed, or when `signal` aborts. */
  async request(subject: string, body: string | Uint8Array, timeoutMs: number, signal?: AbortSignal): Promise<string> {
    return (await this.requestMsg(subject, body, timeoutMs, signal)).string();
  }

  /** As `request`, resolving to the reply's bytes. */
  async requestBytes(subject: string, body: string | Uint8Array, timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array> {
    return (await this.requestMsg(subject, body, timeoutMs, signal)).data;
  }

  private async requestMsg(subject: string, body: string | Uint8Array, timeoutMs: number, signal?: AbortSignal): Promise<Msg> {
    const reply = this.nc.request(subject, body, { timeout: timeoutMs });
    let m: Msg;
    if (!signal) m = await reply;
    else {
      const aborted = new Promise<never>((_, reject) => {
        if (signal.aborted) reject(new Error('aborted'));
        signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
      m = await Promise.race([reply, aborted]);
    }
    const failed = m.headers?.get(SERVICE_ERROR);
    if (failed) throw new Error(`${subject} answered an error: ${failed}`);
    return m;
  }

  /**
   * Answers requests on `subject` (wildcards allowed) until closed, as a member of `queue` (each
   * request goes to one member) or, with `queue` null, as one of every subscriber. Requests are
   * handled as they arrive; a handler that throws answers an error (`Nats-Service-Error`) and the
   * subscription keeps serving. Returns a function that stops serving.
   */
  serve(subject: string, queue: string | null, handler: (body: Uint8Array, subject: string) => Promise<string | Uint8Array>): () => void {
    const sub = this.nc.subscribe(subject, queue === null ? {} : { queue });
    this.subs.add(sub);
    const answer = async (m: Msg): Promise<void> => {
      try {
        m.respond(await handler(m.data, m.subject));
      } catch (e) {
        const h = headers();
        h.set(SERVICE_ERROR, (e instanceof Error ? e.message : String(e)).replace(/[\r\n]+/g, ' ').slice(0, 1000));
        m.respond(undefined, { headers: h });
      }
    };
    void (async () => {
      for await (const m of sub) void answer(m);
    })();
    return () => {
      sub.unsubscribe();
      this.subs.delete(sub);
    };
  }

  /** Waits until the server has seen this connection's subscriptions (so a request sent next reaches them). */
  flush(): Promise<void> {
    return this.nc.flush();
  }

  /** The largest message the server accepts, bytes. */
  get maxPayload(): number {
    return this.nc.info?.max_payload ?? 1024 * 1024;
  }

  async close(): Promise<void> {
    for (const s of this.subs) s.unsubscribe();
    this.subs.clear();
    await this.nc.drain();
  }
}
