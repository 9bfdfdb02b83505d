import type { Logger } from '../core/index.ts';
import type { Topic, Topics } from './topics.ts';

export type Handler<T extends Topic> = (payload: Topics[T]) => void | Promise<void>;
export type Unsubscribe = () => void;

/** Publishes domain events. In-process by default; NATS JetStream across processes. */
export interface EventBus {
  publish<T extends Topic>(topic: T, payload: Topics[T], messageId?: string): Promise<void>;
  subscribe<T extends Topic>(topic: T, handler: Handler<T>): Promise<Unsubscribe>;
  close(): Promise<void>;
}

/**
 * Delivers to every subscriber in the same process, in subscription order. A failing handler is
 * logged and does not stop the others or the publisher.
 */
export class InProcessBus implements EventBus {
  private readonly handlers = new Map<Topic, Set<Handler<Topic>>>();
  constructor(private readonly logger?: Logger) {}

  async publish<T extends Topic>(topic: T, payload: Topics[T]): Promise<void> {
    const set = this.handlers.get(topic);
    if (!set) return;
    for (const h of [...set]) {
      try {
        await (h as Handler<T>)(payload);
      } catch (e) {
        this.logger?.log('warn', 'bus handler failed', { topic, error: String(e) });
      }
    }
  }

  subscribe<T extends Topic>(topic: T, handler: Handler<T>): Promise<Unsubscribe> {
    const set = this.handlers.get(topic) ?? new Set();
    set.add(handler as Handler<Topic>);
    this.handlers.set(topic, set);
    return Promise.resolve(() => {
      set.delete(handler as Handler<Topic>);
    });
  }

  close(): Promise<void> {
    this.handlers.clear();
    return Promise.resolve();
  }
}

/** Discards everything: the Null bus. */
export const nullBus: EventBus = {
  publish: () => Promise.resolve(),
  subscribe: () => Promise.resolve(() => undefined),
  close: () => Promise.resolve(),
};
