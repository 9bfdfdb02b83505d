/** bus: domain events, in-process by default and over NATS JetStream across processes. */
export * from './topics.ts';
export * from './bus.ts';
export * from './nats-bus.ts';
export * from './nats-rpc.ts';
