import { connect, type NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';
import { KeelError, type Logger } from '../core/index.ts';
import type { EventBus, Handler, Unsubscribe } from './bus.ts';
import type { Topic, Topics } from './topics.ts';

export interface NatsBusOptions {
  /** e.g. `nats://127.0.0.1:4222` */
  url: string;
  /** Stream name; subjects are `<prefix>.<topic>`. */
  stream?: string;
  prefix?: string;
  logger?: Logger;
}

/**
 * The event bus over NATS JetStream: events are persisted in one stream; `messageId` makes a
 * republish after a crash idempotent (JetStream's duplicate window). Subscribers get the
 * events published after they subscribe, through an ordered consumer.
 */
export class NatsBus implements EventBus {
  private readonly consumers = new Set<ConsumerMessages>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly stream: string,
    private readonly prefix: string,
    private readonly logger?: Logger,
  ) {}

  static async connect(o: NatsBusOptions): Promise<NatsBus> {
    const stream = o.stream ?? 'KEEL';
    const prefix = o.prefix ?? 'keel';
    let nc: NatsConnection;
    try {
      nc = await connect({ servers: o.url, timeout: 3000 });
    } catch (e) {
      throw new KeelError('KEEL_E_STORE', `cannot reach NATS at ${o.url}: ${String(e)}`);
    }
    const jsm = await jetstreamManager(nc);
    const subjects = [`${prefix}.>`];
    try {
      await jsm.streams.info(stream);
      await jsm.streams.update(stream, { subjects });
    } catch {
      await jsm.streams.add({ name: stream, subjects });
    }
    // eslint-disable-next-line no-restricted-syntax -- its own factory; the kernel calls connect()
    return new NatsBus(nc, jetstream(nc), stream, prefix, o.logger);
  }

  async publish<T extends Topic>(topic: T, payload: Topics[T], messageId?: string): Promise<void> {
    const opts = messageId ? { msgID: messageId } : undefined;
    await this.js.publish(`${this.prefix}.${topic}`, JSON.stringify(payload), opts);
  }

  async subscribe<T extends Topic>(topic: T, handler: Handler<T>): Promise<Unsubscribe> {
    const consumer = await this.js.consumers.get(this.stream, {
      filter_subjects: `${this.prefix}.${topic}`,
      deliver_policy: DeliverPolicy.New,
    });
    const messages = await consumer.consume();
    this.consumers.add(messages);
    void (async () => {
      for await (const m of messages) {
        try {
          await handler(m.json<Topics[T]>());
        } catch (e) {
          this.logger?.log('warn', 'bus handler failed', { topic, error: String(e) });
        }
      }
    })();
    return () => {
      this.consumers.delete(messages);
      void messages.close();
    };
  }

  async close(): Promise<void> {
    for (const c of this.consumers) await c.close();
    this.consumers.clear();
    await this.nc.drain();
  }
}
