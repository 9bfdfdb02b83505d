import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/core/index.ts';
import { OmsConfig } from '../../../src/contracts/index.ts';
import { AlpacaBroker, Oms } from '../../../src/execution/index.ts';
import { FakeAlpaca } from './fake-alpaca.ts';
import { FileOrderJournal } from './file-journal.ts';
import { killBatch } from './kill-batch.ts';

let fake: FakeAlpaca;
let dir: string;

beforeEach(async () => {
  fake = new FakeAlpaca();
  await fake.start();
  dir = mkdtempSync(path.join(tmpdir(), 'keel-kill-'));
});
afterEach(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the child until it prints CRASHPOINT, then SIGKILLs it. Resolves with how it ended. */
function runChildAndKill(crashAt: string, journalFile: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'kill-child.ts')], {
      env: {
        ...process.env,
        CRASH_AT: crashAt,
        JOURNAL_FILE: journalFile,
        ALPACA_BASE_URL: fake.url,
        ALPACA_API_KEY_ID: fake.keyId,
        ALPACA_API_SECRET_KEY: fake.secret,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('CRASHPOINT')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve('killed') : reject(new Error(`child exited ${code}: ${out} ${err}`))));
  });
}

describe('kill -9 of a real process, then restart', () => {
  // crash point → [orders at the broker when killed, journal status of the order at the crash point]
  const cases: Record<string, [number, string]> = {
    'after-store:kill-o1': [1, 'PENDING'],
    'after-send:kill-o2': [3, 'SUBMITTED'],
    'before-send:kill-o3': [3, 'SUBMITTED'],
  };
  for (const [crashAt, [atKill, statusAtKill]] of Object.entries(cases)) {
    it(`every intended order exists exactly once at the broker (killed ${crashAt})`, async () => {
      const file = path.join(dir, 'journal.jsonl');
      expect(await runChildAndKill(crashAt, file)).toBe('killed');
      const journal = new FileOrderJournal(file);
      expect(fake.orders.size).toBe(atKill);
      expect((await journal.byClientId(crashAt.split(':')[1] ?? ''))?.status).toBe(statusAtKill);
      const oms = new Oms({
        journal,
        broker: new AlpacaBroker({ baseUrl: fake.url, keyId: fake.keyId, secretKey: fake.secret, sleep: async () => {} }),
        clock: new SimClock(Date.parse('2024-01-02T15:00:00.000Z')),
        config: OmsConfig.parse({}),
        market: { tradingState: () => 'ACTIVE', nav: () => 1e8, price: () => 10, positionQty: () => 0 },
      });
      const report = await oms.recover();
      expect(report.unknown).toEqual([]);
      await oms.submitAll(killBatch());
      journal.close();
      const ids = killBatch().map((o) => o.id);
      const atBroker = [...fake.orders.values()].map((o) => o.client_order_id).sort();
      expect(atBroker).toEqual([...ids].sort());
      const posts = fake.posts().map((r) => (r.body as { client_order_id: string }).client_order_id);
      expect(posts.sort()).toEqual([...ids].sort()); // each sent exactly once, none resent
      const reopened = new FileOrderJournal(file);
      expect((await reopened.open()).map((o) => [o.id, o.status])).toEqual(ids.map((id) => [id, 'ACKNOWLEDGED']));
      reopened.close();
    });
  }
});
