/**
 * The server under test, run as a child process so the load generator and the server each get a
 * core: an in-memory store with a synthetic market (200 names, 1.5 years), one fund with 9 agents
 * holding 20 names each, and an API key. Prints one JSON line `{ url, key, fundId }` when listening.
 */
import { InProcessBus } from '../../src/bus/index.ts';
import { buildServer } from '../../src/api/index.ts';
import { defaultFundConfigInput, parseFundConfig, type Position } from '../../src/contracts/index.ts';
import { LiveClock } from '../../src/core/index.ts';
import { createFundMetrics, registerFund } from '../../src/fund/index.ts';
import { generateSyntheticMarket, syntheticBars } from '../../src/market/index.ts';
import { openStore } from '../../src/store/index.ts';

const store = await openStore({ memory: true });
const m = generateSyntheticMarket({ symbols: 200, years: 1.5, seed: 5 });
await store.instruments.upsert(m.instruments);
await store.bars.load(syntheticBars(m));
const config = parseFundConfig(defaultFundConfigInput());
const now = new Date().toISOString();
await registerFund(store, config, 'bench', now);
const equities = m.instruments.filter((i) => i.assetClass === 'equity').map((i) => i.symbol);
const last = m.dates[m.dates.length - 1] ?? '';
const closes = new Map((await store.bars.range({ from: last, to: last })).map((b) => [b.symbol, b.close]));
const positions: Position[] = [];
config.agents.forEach((a, k) => {
  for (let i = 0; i < 20; i++) {
    const symbol = equities[(k * 17 + i * 7) % equities.length] ?? 'SYN001';
    const px = closes.get(symbol) ?? 50;
    positions.push({ version: 1, fundId: config.fund.id, agentId: a.id, symbol, qty: (i % 2 === 0 ? 1 : -1) * (500 + 10 * i), avgCost: px * 0.98, lastPrice: px, realizedPnl: 0, updatedAt: now });
  }
});
await store.positions.upsert(positions);
const key = 'bench-key-0123456789abcdef0123456789';
await store.users.create({ id: 'u-bench', name: 'bench', role: 'viewer', fundIds: [config.fund.id], apiKey: key, createdAt: now });
const app = await buildServer({ store, config, bus: new InProcessBus(), metrics: createFundMetrics(), clock: new LiveClock(), rateLimit: { perMinute: 1e9, burst: 1e9 } });
await app.listen({ port: 0, host: '127.0.0.1' });
const a = app.server.address();
const port = typeof a === 'object' && a !== null ? a.port : 0;
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, key, fundId: config.fund.id })}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => store.close()).then(() => process.exit(0));
});
