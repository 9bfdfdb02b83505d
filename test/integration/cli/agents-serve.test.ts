/** `keel agents serve`: a wrong transport or a config without such worker agents fails at start, naming the option and the fix. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import { cliHome } from './harness.ts';

describe('keel agents serve', () => {
  const k = cliHome();
  const config = (worker: Record<string, unknown>): string => {
    const input = defaultFundConfigInput(10_000_000);
    const file = path.join(k.home, `fund-${Object.keys(worker).join('')}.json`);
    writeFileSync(file, JSON.stringify({ ...input, agents: (input.agents ?? []).map((a) => (a.id === 'momentum' ? { ...a, worker } : a)) }));
    return file;
  };

  it('refuses a bad --http, and --http with --nats', async () => {
    const bad = await k.run('agents', 'serve', '--http', 'localhost');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--http must be a port or host:port \(e\.g\. 9500 or 0\.0\.0\.0:9500/);
    const both = await k.run('agents', 'serve', '--http', '0', '--nats', 'nats://127.0.0.1:4222');
    expect(both.code).toBe(1);
    expect(both.err).toMatch(/--http: serve over one transport: --http, or --nats/);
  });

  it('with --config serves only the agents that have worker over this transport', async () => {
    const overNats = config({ nats: 'keel.agents' });
    const none = await k.run('agents', 'serve', '--http', '0', '--config', overNats);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/--config: no enabled agent of .* has worker \{ "http": … \} \(e\.g\. "worker": \{ "http": "http:\/\/127\.0\.0\.1:9500" \}\)/);
    const overHttp = config({ http: 'http://127.0.0.1:9500' });
    const other = await k.run('agents', 'serve', '--http', '0', '--config', overHttp, '--agents', 'committee');
    expect(other.code).toBe(1);
    expect(other.err).toMatch(/--agents: agent 'committee' is not run by these workers .* \(those are momentum\)/);
  });
});
