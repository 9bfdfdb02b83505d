/**
 * `keel replay` on an approval execution id (`<fund>-exec-<proposal>`, the state row executeApproved
 * stores, or the overlay review of a blocked one) answers with a clear error that names the proposal
 * and what to replay instead, and says so in --help. The executions are real (executeProposal on
 * the CLI's own store).
 */
import { describe, expect, it } from 'vitest';
import { defaultFundConfigInput, parseFundConfig, type AgentProposal } from '../../../src/contracts/index.ts';
import { SimClock } from '../../../src/core/index.ts';
import { loadMarket, paperBroker, registerFund } from '../../../src/fund/index.ts';
import { viewAt } from '../../../src/market/index.ts';
import { approve, executeProposal, insertProposal, saveProposal, type TradeProposal } from '../../../src/pms/index.ts';
import { openStore, type Store } from '../../../src/store/index.ts';
import { cliHome } from './harness.ts';

const FUND = 'rpx';
const config = parseFundConfig({ ...defaultFundConfigInput(10_000_000), fund: { id: FUND, name: 'Replay', totalCapital: 10_000_000, mode: 'advisory' }, data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 } });

async function approved(store: Store, p: TradeProposal): Promise<void> {
  const r = approve(p, { who: 'pat', role: 'pm', why: 'go' }, p.createdAt);
  if (!r.ok) throw new Error(r.error.message);
  const payload: AgentProposal = {
    version: 1, traceId: p.id, cycleId: p.cycleId ?? `disc-${p.id}`, agentId: p.agentId, strategy: 'momentum', asOf: '2020-01-01', signals: [],
    targets: p.targets.map((t) => ({ ...t, stopLoss: null, takeProfit: null })), agentRisk: [], reasoning: 'test',
  };
  await store.transaction(async (tx) => {
    await insertProposal(tx, p, payload);
    await saveProposal(tx, p, r.value.proposal);
  });
}

describe('keel replay on an approval execution', () => {
  it('refuses with the proposal and what to replay instead: its cycle, or nothing for a ticket; --help says so', async () => {
    const k = cliHome();
    expect((await k.run('market', 'generate', '--symbols', '12', '--years', '1.2', '--seed', '5')).code).toBe(0);
    const store = await openStore({ home: k.home });
    try {
      const market = await loadMarket(store);
      const view = viewAt(market.panel, market.panel.T - 1);
      const clock = new SimClock(Date.parse(`${view.asOf}T15:00:00.000Z`));
      const now = new Date(clock.now()).toISOString();
      await registerFund(store, config, 'test', now);
      const sym = market.panel.symbols[0] ?? '';
      const base = { fundId: FUND, decisionId: null, symbols: [sym], size: 1, limitPrice: null, status: 'PENDING_APPROVAL' as const, createdBy: 'test', createdAt: now, expiresAt: new Date(clock.now() + 3_600_000).toISOString(), rationale: 'test', history: [], orderIds: [], fillIds: [] };
      await approved(store, { ...base, id: 'p-book', agentId: 'momentum', cycleId: 'rpx-2020-01-01', traceId: 'p-book', targets: [{ symbol: sym, weight: 0.02 }], ticket: null });
      await approved(store, { ...base, id: 'p-tkt', agentId: 'discretionary', cycleId: null, traceId: null, targets: [], ticket: { symbol: sym, side: 'BUY', qty: 10, notional: null } });
      await approved(store, { ...base, id: 'p-halted', agentId: 'discretionary', cycleId: null, traceId: null, targets: [], ticket: { symbol: sym, side: 'BUY', qty: 10, notional: null } });
      const desk = { store, config, view, clock, mode: 'paper' as const, broker: paperBroker(config, clock, 'live') };
      expect((await executeProposal(desk, FUND, 'p-book')).outcome).toBe('EXECUTED');
      expect((await executeProposal(desk, FUND, 'p-tkt')).outcome).toBe('EXECUTED');
      await store.funds.setTradingState(FUND, 'HALTED');
      expect((await executeProposal(desk, FUND, 'p-halted')).outcome).toBe('BLOCKED');
      expect(await store.cycles.get(`${FUND}-exec-p-halted`)).toBeUndefined();
    } finally {
      await store.close();
    }

    const book = await k.run('replay', `${FUND}-exec-p-book`);
    expect(book.code).toBe(1);
    expect(book.err).toContain(`error KEEL_E_VALIDATION: cycleId: '${FUND}-exec-p-book' is an approval execution, not a cycle`);
    expect(book.err).toContain('proposal p-book (fund rpx)');
    expect(book.err).toContain('keel replay rpx-2020-01-01');

    const ticket = await k.run('replay', `${FUND}-exec-p-tkt`, '--json');
    expect(ticket.code).toBe(1);
    expect(ticket.err).toContain('p-tkt is a discretionary ticket, which comes from no cycle');

    const blocked = await k.run('replay', `${FUND}-exec-p-halted`);
    expect(blocked.code).toBe(1);
    expect(blocked.err).toContain("the overlay's review that blocked proposal p-halted");

    const none = await k.run('replay', `${FUND}-exec-nothing`);
    expect(none.err).toContain(`error KEEL_E_NOT_FOUND: no cycle '${FUND}-exec-nothing'`);

    const help = await k.run('replay', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('approval execution');
  }, 120_000);
});
