import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { InProcessBus, NatsBus, type Topics } from '../../../src/bus/index.ts';

const alert = (id: string): Topics['alert.raised'] => ({
  version: 1,
  id,
  traceId: 't',
  fundId: 'main',
  severity: 'HIGH',
  category: 'RISK',
  title: 'x',
  message: 'y',
  dedupKey: id,
  timestamp: '2024-01-02T00:00:00.000Z',
  context: {},
});

describe('in-process bus', () => {
  it('delivers to every subscriber in order and survives a failing handler', async () => {
    const bus = new InProcessBus();
    const got: string[] = [];
    await bus.subscribe('alert.raised', () => {
      throw new Error('boom');
    });
    const off = await bus.subscribe('alert.raised', (a) => void got.push(a.id));
    await bus.publish('alert.raised', alert('a1'));
    off();
    await bus.publish('alert.raised', alert('a2'));
    expect(got).toEqual(['a1']);
  });
});

const natsUrl = process.env.TEST_NATS_URL;
describe.skipIf(!natsUrl)('NATS JetStream bus (set TEST_NATS_URL to run)', () => {
  it('round-trips an event through a JetStream stream and ignores a duplicate message id', async () => {
    const stream = `KEELTEST${Date.now()}`;
    const prefix = `keeltest${Date.now()}`;
    const bus = await NatsBus.connect({ url: natsUrl ?? '', stream, prefix });
    try {
      const got: string[] = [];
      await bus.subscribe('alert.raised', (a) => void got.push(a.id));
      await bus.publish('alert.raised', alert('n1'), 'msg-1');
      await bus.publish('alert.raised', alert('n1-dup'), 'msg-1');
      await bus.publish('alert.raised', alert('n2'), 'msg-2');
      for (let i = 0; i < 50 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(got).toEqual(['n1', 'n2']);
    } finally {
      await bus.close();
      const nc = await connect({ servers: natsUrl ?? '' });
      await (await jetstreamManager(nc)).streams.delete(stream);
      await nc.drain();
    }
  });
});
