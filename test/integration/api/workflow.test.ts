/**
 * The endpoints' behaviour through `inject`: each checked against values computed independently
 * from the fixture (positions, TCA, journal search), and the state changes they must leave behind
 * (journal entries, audit rows, trading state, stored proposals).
 */
import { mkdtempSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput, parseFundConfig } from '../../../src/contracts/index.ts';
import { createKernel, fundKillSwitchFile, readEnv, registerFund, storedFundConfig } from '../../../src/fund/index.ts';
import { makeWorld, serverFor, type UserName, type World } from './fixture.ts';

/** Response bodies are read as JSON.parse gives them: the assertions are the type check. */
type Json = ReturnType<typeof JSON.parse>;

describe('API endpoints', () => {
  let w: World;
  let app: FastifyInstance;
  let llm: Server;
  let llmUrl = '';
  const home = mkdtempSync(path.join(tmpdir(), 'keel-api-'));
  const ksFile = fundKillSwitchFile(home, 'fund-a');
  beforeAll(async () => {
    w = await makeWorld();
    llm = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const prompt = (JSON.parse(body) as { prompt: string }).prompt;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ text: `LLM narrative (${prompt.length > 100 ? 'got the pack' : 'empty'})` }));
      });
    });
    await new Promise<void>((r) => llm.listen(0, '127.0.0.1', () => r()));
    const addr = llm.address();
    llmUrl = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}/narrate` : '';
    app = await serverFor(w, { llmUrl, kernel: createKernel({ env: readEnv({ KEEL_HOME: home }, '/'), store: w.store, clock: w.clock }) });
  }, 180_000);
  afterAll(async () => {
    for (let i = 0; i < 120; i++) {
      if ((await w.store.backtests.list(100)).every((b) => b.status !== 'RUNNING')) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    await app.close();
    await new Promise((r) => llm.close(r));
    await w.close();
  }, 60_000);

  const get = async (u: UserName, url: string) => {
    const r = await app.inject({ method: 'GET', url, headers: w.auth(u) });
    return { status: r.statusCode, body: r.json() as Json };
  };
  const send = async (u: UserName, method: 'POST' | 'PATCH' | 'DELETE', url: string, payload: object, headers: Record<string, string> = {}) => {
    const r = await app.inject({ method, url, headers: { ...w.auth(u), ...headers }, payload });
    return { status: r.statusCode, body: r.json() as Json, headers: r.headers };
  };

  it('health and readiness', async () => {
    expect((await app.inject({ url: '/healthz' })).json().status).toBe('ok');
    const ready = (await app.inject({ url: '/readyz' })).json();
    expect(ready.status).toBe('ready');
    expect(ready.migrations).toBeGreaterThanOrEqual(1);
  });

  it('funds: one fund with its NAV and agents; agents list', async () => {
    const f = await get('viewerA', '/v1/funds/fund-a');
    expect(f.body.fund.id).toBe('fund-a');
    expect(f.body.agentCount).toBe(w.config.agents.length);
    const a = await get('viewerA', '/v1/funds/fund-a/agents');
    expect(a.body.agents.map((x: { id: string }) => x.id).sort()).toEqual(w.config.agents.map((x) => x.id).sort());
  });

  it('agents: create (admin), duplicate is 409, update risk params, pause and resume: each a config version, with journal and audit', async () => {
    const before = (await w.store.funds.get('fund-a'))?.configHash;
    const created = await send('adminA', 'POST', '/v1/funds/fund-a/agents', { id: 'macro-x', strategy: 'trend_following', bucket: 'systematic_trend', allocatedCapital: 5e5, riskParams: { maxPositionPct: 0.03 } });
    expect(created.status).toBe(201);
    expect(created.body.config).toMatchObject({ from: before, approved: false, changes: ['agents'] });
    expect((await send('adminA', 'POST', '/v1/funds/fund-a/agents', { id: 'macro-x', strategy: 'trend_following', bucket: 'systematic_trend', allocatedCapital: 5e5 })).status).toBe(409);
    const upd = await send('adminA', 'PATCH', '/v1/funds/fund-a/agents/macro-x/risk', { riskParams: { maxSectorPct: 0.15 }, allocatedCapital: 6e5, reason: 'resize' });
    expect(upd.body.agent.riskParams).toMatchObject({ maxPositionPct: 0.03, maxSectorPct: 0.15 });
    expect(upd.body.agent.allocatedCapital).toBe(6e5);
    expect(upd.body.config.changes.sort()).toEqual(['agents[9].allocatedCapital', 'agents[9].risk.maxSectorPct']);
    const unknown = await send('adminA', 'PATCH', '/v1/funds/fund-a/agents/macro-x/risk', { riskParams: { maxFoo: 1 }, reason: 'typo' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details.field).toBe('body.riskParams.maxFoo');
    const tooBig = await send('adminA', 'PATCH', '/v1/funds/fund-a/agents/macro-x/risk', { allocatedCapital: 1e12, reason: 'too much' });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.code).toBe('KEEL_E_CONFIG_CONFLICT');
    const paused = await send('riskA', 'POST', '/v1/funds/fund-a/agents/macro-x/pause', { reason: 'drawdown review' });
    expect(paused.body.agent).toMatchObject({ isEnabled: false });
    const stored = await storedFundConfig(w.store, 'fund-a');
    expect(stored?.hash).toBe(paused.body.config.to);
    expect(stored?.config.agents.find((a) => a.id === 'macro-x')?.enabled).toBe(false);
    expect((await get('riskA', '/v1/funds')).body.funds.find((f: { id: string }) => f.id === 'fund-a').pausedAgents).toEqual(['macro-x']);
    expect((await send('riskA', 'POST', '/v1/funds/fund-a/agents/macro-x/pause', { reason: 'again' })).status).toBe(409);
    const resumed = await send('riskA', 'POST', '/v1/funds/fund-a/agents/macro-x/resume', { reason: 'reviewed' });
    expect(resumed.body.agent).toMatchObject({ isEnabled: true });
    expect((await send('riskA', 'POST', '/v1/funds/fund-a/agents/macro-x/resume', { reason: 'again' })).status).toBe(409);
    expect((await send('riskA', 'POST', '/v1/funds/fund-a/agents/nobody/pause', { reason: 'x' })).status).toBe(404);
    const audit = await w.store.audit.list({ entity: 'agent', entityId: 'fund-a/macro-x' });
    expect(audit.map((a) => a.action).reverse()).toEqual(['AgentCreated', 'AgentRiskUpdated', 'AgentPaused', 'AgentResumed']);
    expect((await w.store.audit.list({ entity: 'fund', entityId: 'fund-a' })).filter((a) => a.action === 'ConfigApplied')).toHaveLength(4);
    const j = await get('viewerA', '/v1/funds/fund-a/journal?agentId=macro-x');
    expect(j.body.entries.length).toBe(4);
  });

  it('funds: a root admin creates one (config defaults, its first version), a scoped admin may not; listed with their config', async () => {
    const r = await send('root', 'POST', '/v1/funds', { id: 'fund-new', name: 'New', config: { fund: { totalCapital: 2e6, mode: 'advisory' }, agents: [{ id: 'mom', strategy: 'momentum', allocatedCapital: 1e6 }] } });
    expect(r.status).toBe(201);
    expect(r.body.fund).toMatchObject({ id: 'fund-new', name: 'New', tradingState: 'ACTIVE', configHash: r.body.config.to });
    expect((await storedFundConfig(w.store, 'fund-new'))?.config).toMatchObject({ fund: { totalCapital: 2e6, mode: 'advisory' }, agents: [{ id: 'mom', enabled: true }] });
    expect((await send('adminA', 'POST', '/v1/funds', { id: 'fund-z' })).status).toBe(403);
    expect((await send('root', 'POST', '/v1/funds', { id: 'fund-new' })).status).toBe(409);
    const bad = await send('root', 'POST', '/v1/funds', { id: 'fund-bad', config: { agents: [{ id: 'a', strategy: 'momentum', allocatedCapital: 2e8 }] } });
    expect(bad.status).toBe(400);
    const listed = (await get('root', '/v1/funds')).body.funds.find((f: { id: string }) => f.id === 'fund-new');
    expect(listed).toMatchObject({ mode: 'advisory', broker: 'paper', totalCapital: 2e6, agents: 1, approved: false });
  });

  it('market: instruments, bars over an inclusive range, data quality', async () => {
    const inst = await get('viewerA', '/v1/market/instruments?assetClass=equity');
    expect(inst.body.instruments.length).toBe(w.symbols.length);
    const sym = w.symbols[0] ?? '';
    const all = await w.store.bars.range({ symbols: [sym] });
    const from = all[10]?.date ?? '';
    const to = all[14]?.date ?? '';
    const bars = await get('viewerA', `/v1/market/bars/${sym}?from=${from}&to=${to}`);
    expect(bars.body.bars.map((b: { date: string }) => b.date)).toEqual(all.slice(10, 15).map((b) => b.date));
    expect(bars.body.bars[0].close).toBe(all[10]?.close);
    expect((await get('viewerA', '/v1/market/bars/NOPE')).status).toBe(404);
    expect((await get('viewerA', '/v1/market/quality')).status).toBe(200);
  });

  it('positions by agent and by name: P&L from qty, cost and mark', async () => {
    const rows = await w.store.positions.list('fund-a', { openOnly: true });
    const p = await get('viewerA', '/v1/funds/fund-a/positions');
    expect(p.body.positions.length).toBe(rows.length);
    for (const r of rows) {
      const got = p.body.positions.find((x: { agentId: string; symbol: string }) => x.agentId === r.agentId && x.symbol === r.symbol);
      expect(got.marketValue).toBeCloseTo(r.qty * (r.lastPrice ?? 0), 2);
      expect(got.unrealizedPnl).toBeCloseTo(r.qty * ((r.lastPrice ?? 0) - r.avgCost), 2);
    }
    const mv = rows.reduce((s, r) => s + r.qty * (r.lastPrice ?? 0), 0);
    expect(p.body.totals.marketValue).toBeCloseTo(mv, 1);
    const trend = await get('viewerA', '/v1/funds/fund-a/positions?agentId=trend');
    expect(trend.body.positions.every((x: { agentId: string }) => x.agentId === 'trend')).toBe(true);
    const byName = await get('viewerA', '/v1/funds/fund-a/positions/by-name');
    expect(byName.body.names.length).toBe(new Set(rows.map((r) => r.symbol)).size);
    expect(byName.body.totals.marketValue).toBeCloseTo(mv, 1);
  });

  it('orders blotter with TCA: a fill 0.1% above the decision price is 10 bps of slippage', async () => {
    const o = await get('viewerA', '/v1/funds/fund-a/orders');
    expect(o.body.orders.map((x: { id: string }) => x.id)).toEqual(['ord-a-1']);
    expect(o.body.orders[0].tca.slippageBps).toBeCloseTo(10, 6);
    expect(o.body.orders[0].tca.commission).toBe(1);
    const one = await get('viewerA', '/v1/funds/fund-a/orders/ord-a-1');
    expect(one.body.fills.map((f: { id: string }) => f.id)).toEqual(['fill-a-1']);
    expect(one.body.events[0].type).toBe('OrderCreated');
    expect((await get('viewerA', '/v1/funds/fund-a/orders/ord-b-1')).status).toBe(404);
    expect((await get('viewerA', '/v1/funds/fund-a/orders?status=FILLED')).body.orders).toEqual([]);
    const fills = await get('viewerA', '/v1/funds/fund-a/fills');
    expect(fills.body.fills.map((f: { id: string }) => f.id)).toEqual(['fill-a-1']);
  });

  it('proposals: viewer cannot approve; modify then approve; approving twice is 409; each step journaled and audited', async () => {
    const list = await get('viewerA', '/v1/funds/fund-a/proposals?status=PENDING_APPROVAL');
    expect(list.body.proposals.map((p: { id: string }) => p.id).sort()).toEqual(['prop-a-1', 'prop-a-2']);
    expect((await send('viewerA', 'POST', '/v1/funds/fund-a/proposals/prop-a-1/approve', { why: 'x' })).status).toBe(403);
    expect((await send('riskA', 'POST', '/v1/funds/fund-a/proposals/prop-a-1/approve', { why: 'x' })).status).toBe(403);
    const mod = await send('pmA', 'POST', '/v1/funds/fund-a/proposals/prop-a-1/modify', { why: 'half size', size: 0.5, limitPrice: 12.5 });
    expect(mod.status).toBe(200);
    expect(mod.body.proposal).toMatchObject({ status: 'MODIFIED', size: 0.5, limitPrice: 12.5 });
    // a modified book comes with the overlay's preview (not stored as a decision), kept on the MODIFIED step
    expect(mod.body.review).toMatchObject({ asOf: w.lastDate, decisionId: null, action: 'APPROVE', scale: 1 });
    expect(mod.body.reviewError).toBeNull();
    expect(mod.body.proposal.history.at(-1).review).toEqual(mod.body.review);
    const ok = await send('pmA', 'POST', '/v1/funds/fund-a/proposals/prop-a-1/approve', { why: 'fits the book' });
    expect(ok.body.journalEntry).toMatchObject({ kind: 'APPROVAL', who: 'pmA' });
    // Paper broker: the approval executes at once. Half of a 5% book at a $12.50 limit far under the close: the
    // limit order goes out, the close does not reach it, it expires unfilled, and the proposal is not executed.
    const sym0 = w.symbols[0] ?? '';
    const px = (await w.store.bars.range({ symbols: [sym0], from: w.lastDate, to: w.lastDate }))[0]?.close ?? 0;
    expect(px).toBeGreaterThan(12.5);
    const momentum = w.config.agents.find((a) => a.id === 'momentum')?.allocatedCapital ?? 0;
    expect(ok.body.execution.outcome).toBe('NOT_EXECUTED');
    expect(ok.body.execution.review).toMatchObject({ decisionId: 'fund-a-exec-prop-a-1:momentum', action: 'APPROVE', scale: 1 });
    expect(ok.body.execution.orders.map((o: { id: string; type: string; limitPrice: number; side: string; qty: number; status: string }) => [o.id, o.type, o.limitPrice, o.side, o.qty, o.status])).toEqual([
      [`prop-a-1:${sym0}`, 'LIMIT', 12.5, 'BUY', Math.round(((0.025 * momentum) / px) * 1e4) / 1e4, 'EXPIRED'],
    ]);
    expect(ok.body.execution.fills).toEqual([]);
    expect(ok.body.proposal.status).toBe('NOT_EXECUTED');
    expect(ok.body.proposal.history.map((h: { to: string }) => h.to)).toEqual(['MODIFIED', 'APPROVED', 'NOT_EXECUTED']);
    expect(ok.body.proposal.history.at(-1).reasons).toEqual([{ symbol: sym0, code: 'ORDER_EXPIRED', message: expect.stringContaining('expired unfilled (limit 12.5)'), limit: 12.5, actual: null }]);
    const again = await send('pmA', 'POST', '/v1/funds/fund-a/proposals/prop-a-1/approve', { why: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('KEEL_E_ILLEGAL_TRANSITION');
    const rej = await send('riskA', 'POST', '/v1/funds/fund-a/proposals/prop-a-2/reject', { why: 'too concentrated' });
    expect(rej.body.proposal.status).toBe('REJECTED');
    const stored = await get('viewerA', '/v1/funds/fund-a/proposals/prop-a-1');
    expect(stored.body.proposal).toMatchObject({ status: 'NOT_EXECUTED', size: 0.5, orderIds: [`prop-a-1:${sym0}`] });
    const j = await get('viewerA', '/v1/funds/fund-a/journal?text=fits%20book&kind=APPROVAL');
    expect(j.body.entries[0]).toMatchObject({ kind: 'APPROVAL', who: 'pmA', role: 'pm' });
    expect(j.body.entries[0].links.proposalIds).toEqual(['prop-a-1']);
    const exec = await get('viewerA', '/v1/funds/fund-a/journal?kind=EXECUTION');
    expect(exec.body.entries[0]).toMatchObject({ who: 'system:oms', links: { orderIds: [`prop-a-1:${sym0}`], proposalIds: ['prop-a-1'] } });
    expect((await w.store.audit.list({ entity: 'proposal', entityId: 'prop-a-1' })).map((a) => a.action).sort()).toEqual(['ProposalApproved', 'ProposalModified', 'ProposalNotExecuted']);
    const stale = await send('pmA', 'POST', '/v1/funds/fund-a/proposals/prop-a-2/approve', { why: 'x' });
    expect(stale.status).toBe(409);
  });

  it('discretionary trade: overlay-reviewed, stored as a proposal awaiting approval; an Idempotency-Key replays without a second proposal', async () => {
    const ticket = { symbol: w.symbols[2], side: 'BUY', qty: 100, rationale: 'earnings drift' };
    const first = await send('pmA', 'POST', '/v1/funds/fund-a/trades', ticket, { 'idempotency-key': 'tkt-1' });
    expect(first.status).toBe(201);
    expect(first.body.review.action).not.toBe('BLOCK');
    expect(first.body.proposal).toMatchObject({ agentId: 'discretionary', status: 'PENDING_APPROVAL', ticket: { symbol: w.symbols[2], side: 'BUY', qty: 100 } });
    const second = await send('pmA', 'POST', '/v1/funds/fund-a/trades', ticket, { 'idempotency-key': 'tkt-1' });
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replay']).toBe('true');
    expect(second.body).toEqual(first.body);
    const conflict = await send('pmA', 'POST', '/v1/funds/fund-a/trades', { ...ticket, qty: 200 }, { 'idempotency-key': 'tkt-1' });
    expect(conflict.status).toBe(409);
    const disc = (await w.store.proposals.list('fund-a')).filter((p) => p.proposal.agentId === 'discretionary');
    expect(disc.length).toBe(1);
    const noKey = await send('pmA', 'POST', '/v1/funds/fund-a/trades', ticket);
    expect(noKey.body.proposal.id).not.toBe(first.body.proposal.id);
    const bad = await send('pmA', 'POST', '/v1/funds/fund-a/trades', { symbol: w.symbols[2], side: 'BUY', qty: 1, notional: 5, rationale: 'both' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.field).toBe('body.qty');
    const pid = first.body.proposal.id as string;
    const approved = await send('pmA', 'POST', `/v1/funds/fund-a/proposals/${pid}/approve`, { why: 'go' });
    // executed at once on the paper broker: a NEW order for the ticket, filled at the last close plus costs
    const sym = w.symbols[2] ?? '';
    const px = (await w.store.bars.range({ symbols: [sym], from: w.lastDate, to: w.lastDate }))[0]?.close ?? 0;
    expect(approved.body.proposal.status).toBe('EXECUTED');
    expect(approved.body.execution.outcome).toBe('EXECUTED');
    const [order] = approved.body.execution.orders;
    expect(order).toMatchObject({ id: `${pid}:${sym}`, traceId: `${pid}:${sym}`, symbol: sym, side: 'BUY', type: 'MARKET', qty: 100, status: 'FILLED', allocations: [{ agentId: 'discretionary', qty: 100 }] });
    const [fill] = approved.body.execution.fills;
    expect(fill).toMatchObject({ orderId: order.id, qty: 100 });
    expect(fill.price).toBeGreaterThan(px);
    expect(fill.price).toBeLessThan(px * 1.01);
    expect(approved.body.proposal).toMatchObject({ orderIds: [order.id], fillIds: [fill.id] });
    const blotter = await get('viewerA', `/v1/funds/fund-a/orders?symbol=${sym}`);
    expect(blotter.body.orders.map((o: { id: string }) => o.id)).toContain(order.id);
    const pos = await get('viewerA', '/v1/funds/fund-a/positions?agentId=discretionary');
    expect(pos.body.positions.map((p: { symbol: string; qty: number }) => [p.symbol, p.qty])).toEqual([[sym, 100]]);
    // executing again is a replay: the same order, nothing new sent or stored
    const replay = await send('pmA', 'POST', `/v1/funds/fund-a/proposals/${pid}/execute`, {});
    expect(replay.status).toBe(200);
    expect(replay.body.execution).toMatchObject({ outcome: 'EXECUTED', isReplay: true });
    expect(replay.body.execution.orders.map((o: { id: string }) => o.id)).toEqual([order.id]);
    expect((await get('viewerA', `/v1/funds/fund-a/orders?symbol=${sym}`)).body.orders.filter((o: { id: string }) => o.id.startsWith(pid))).toHaveLength(1);
    expect((await send('viewerA', 'POST', `/v1/funds/fund-a/proposals/${pid}/execute`, {})).status).toBe(403);
  });

  it('execute: a pending proposal is 409; an approval retried with its Idempotency-Key replays; a fund on a live broker leaves execution to the next run', async () => {
    const t = await send('pmA', 'POST', '/v1/funds/fund-a/trades', { symbol: w.symbols[5], side: 'BUY', qty: 10, rationale: 'pending one' });
    const id = t.body.proposal.id as string;
    const pending = await send('pmA', 'POST', `/v1/funds/fund-a/proposals/${id}/execute`, {});
    expect(pending.status).toBe(409);
    expect(pending.body.code).toBe('KEEL_E_ILLEGAL_TRANSITION');
    const first = await send('pmA', 'POST', `/v1/funds/fund-a/proposals/${id}/approve`, { why: 'once' }, { 'idempotency-key': 'appr-1' });
    expect(first.body.execution.orders).toHaveLength(1);
    const retry = await send('pmA', 'POST', `/v1/funds/fund-a/proposals/${id}/approve`, { why: 'once' }, { 'idempotency-key': 'appr-1' });
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replay']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect((await get('viewerA', `/v1/funds/fund-a/orders?symbol=${w.symbols[5] ?? ''}`)).body.orders.filter((o: { id: string }) => o.id.startsWith(id))).toHaveLength(1);
    const input = defaultFundConfigInput() as Record<string, unknown> & { fund: Record<string, unknown> };
    const alp = parseFundConfig({ ...input, fund: { ...input.fund, id: 'fund-alp', name: 'Alpaca fund' }, execution: { broker: 'alpaca' }, data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 } });
    await registerFund(w.store, alp, 'test', new Date(w.clock.now()).toISOString());
    const tk = await send('root', 'POST', '/v1/funds/fund-alp/trades', { symbol: w.symbols[5], side: 'BUY', qty: 10, rationale: 'live broker' });
    expect(tk.status).toBe(201);
    const ap = await send('root', 'POST', `/v1/funds/fund-alp/proposals/${tk.body.proposal.id as string}/approve`, { why: 'send it' });
    expect(ap.body).toMatchObject({ proposal: { status: 'APPROVED', orderIds: [] }, execution: null, executionError: null });
    const ex = await send('root', 'POST', `/v1/funds/fund-alp/proposals/${tk.body.proposal.id as string}/execute`, {});
    expect(ex.status).toBe(409);
    expect(ex.body.details).toMatchObject({ broker: 'alpaca' });
    expect((await get('root', '/v1/funds/fund-alp/orders')).body.orders).toEqual([]);
  });

  it('a ticket modified past its name cap: the preview names the cap; at approval the overlay cuts the order to it, worked in children under the per-order limit', async () => {
    // One name may take min(5% of the fund's NAV, 10% of its 20-day ADV in dollars) (NAV within 0.1% of its capital here); ask for three times that.
    const sym = w.symbols[7] ?? '';
    const bars = await w.store.bars.range({ symbols: [sym], to: w.lastDate });
    const px = bars.at(-1)?.close ?? 0;
    const adv = bars.slice(-20).reduce((a, b) => a + b.volume, 0) / 20;
    const byName = w.config.risk.maxSingleNamePct * w.config.fund.totalCapital;
    const cap = Math.min(byName, w.config.risk.maxAdvPct * adv * px);
    const t = await send('pmA', 'POST', '/v1/funds/fund-a/trades', { symbol: sym, side: 'BUY', qty: 100, rationale: 'conviction' });
    const id = t.body.proposal.id as string;
    const size = Math.ceil((3 * cap) / (100 * px));
    const mod = await send('pmA', 'POST', `/v1/funds/fund-a/proposals/${id}/modify`, { why: 'much bigger', size });
    expect(mod.body.review).toMatchObject({ action: 'MODIFY', decisionId: null });
    expect(mod.body.review.reasons.map((r: { code: string }) => r.code)).toContain(cap < byName ? 'ADV_CAP' : 'SINGLE_NAME_CAP');
    const ok = await send('pmA', 'POST', `/v1/funds/fund-a/proposals/${id}/approve`, { why: 'as far as the overlay allows' });
    expect(ok.body.execution.review).toMatchObject({ action: 'MODIFY', decisionId: `fund-a-exec-${id}:discretionary` });
    const orders = ok.body.execution.orders as { id: string; qty: number; status: string; denials: unknown[] }[];
    const qty = orders.reduce((s, o) => s + o.qty, 0);
    expect(qty).toBeLessThan(100 * size);
    expect(qty * px).toBeLessThanOrEqual(cap * 1.001);
    expect(qty * px).toBeGreaterThan(cap * 0.99);
    // the cut order is over this fund's per-order limit: it is worked as children under it, not refused
    expect(cap).toBeGreaterThan(w.config.oms.maxOrderValue);
    expect(orders.length).toBe(Math.ceil((qty * px) / w.config.oms.maxOrderValue));
    expect(orders.map((o) => o.id)).toEqual(orders.map((_, i) => (i === 0 ? `${id}:${sym}` : `${id}:${sym}:${i}`)));
    for (const o of orders) {
      expect(o.qty * px).toBeLessThanOrEqual(w.config.oms.maxOrderValue);
      expect(o).toMatchObject({ status: 'FILLED', denials: [] });
    }
    expect(ok.body.execution.outcome).toBe('EXECUTED');
    expect(ok.body.proposal.history.at(-1)).toMatchObject({ to: 'EXECUTED', who: 'system:oms', review: ok.body.execution.review });
  });

  it('a ticket approved while the fund is HALTED is blocked by the overlay: REJECTED by system:overlay, nothing sent', async () => {
    const t = await send('pmA', 'POST', '/v1/funds/fund-a/trades', { symbol: w.symbols[8], side: 'BUY', qty: 10, rationale: 'before the halt' });
    await w.store.funds.setTradingState('fund-a', 'HALTED');
    try {
      const r = await send('pmA', 'POST', `/v1/funds/fund-a/proposals/${t.body.proposal.id as string}/approve`, { why: 'go' });
      expect(r.body.execution).toMatchObject({ outcome: 'BLOCKED', orders: [], fills: [], review: { action: 'BLOCK', scale: 0 }, journalEntry: { kind: 'REJECTION', who: 'system:overlay' } });
      expect(r.body.proposal).toMatchObject({ status: 'REJECTED', orderIds: [] });
      expect(r.body.proposal.history.at(-1)).toMatchObject({ from: 'APPROVED', to: 'REJECTED', who: 'system:overlay' });
    } finally {
      await w.store.funds.setTradingState('fund-a', 'ACTIVE');
    }
  });

  it('journal: notes need pm/risk/admin; search by text, symbol, kind and date', async () => {
    expect((await send('viewerA', 'POST', '/v1/funds/fund-a/journal', { rationale: 'viewer note' })).status).toBe(403);
    const n = await send('riskA', 'POST', '/v1/funds/fund-a/journal', { rationale: 'watch liquidity in semis', symbols: [w.symbols[3]], agentId: 'trend' });
    expect(n.status).toBe(201);
    expect((await get('viewerA', '/v1/funds/fund-a/journal?text=liquidity%20semis')).body.entries[0].rationale).toBe('watch liquidity in semis');
    const bySym = await get('viewerA', `/v1/funds/fund-a/journal?symbol=${(w.symbols[3] ?? '').toLowerCase()}`);
    expect(bySym.body.entries.some((e: { rationale: string }) => e.rationale === 'watch liquidity in semis')).toBe(true);
    expect((await get('viewerA', '/v1/funds/fund-a/journal?kind=NOTE&from=2000-01-01&to=2000-01-02')).body.entries).toEqual([]);
    expect((await get('viewerA', `/v1/funds/fund-a/journal?kind=NOTE&from=${w.lastDate}&to=${w.lastDate}`)).body.entries.length).toBeGreaterThan(0);
  });

  it('morning pack: template narrative by default, LLM when asked and configured, stored as the briefing', async () => {
    const t = await get('viewerA', '/v1/funds/fund-a/morning-pack');
    expect(t.body.date).toBe(w.lastDate);
    expect(t.body.narrative.source).toBe('template');
    expect(t.body.narrative.text.length).toBeGreaterThan(50);
    expect(t.body.pack.awaitingApproval.length).toBeGreaterThanOrEqual(0);
    expect((await w.store.risk.briefing('fund-a', w.lastDate))?.narrative).toBe(t.body.narrative.text);
    const l = await get('viewerA', '/v1/funds/fund-a/morning-pack?narrator=llm');
    expect(l.body.narrative).toMatchObject({ source: 'llm', text: 'LLM narrative (got the pack)' });
    const dates = await w.store.bars.range({ symbols: [w.symbols[0] ?? ''] });
    const earlier = dates[dates.length - 10]?.date ?? '';
    expect((await get('viewerA', `/v1/funds/fund-a/morning-pack?date=${earlier}`)).body.date).toBe(earlier);
  });

  it('risk monitor: three VaR methods at 95 and 99%, limits, concentration; stress run stored and listed', async () => {
    const r = await get('viewerA', '/v1/funds/fund-a/risk');
    const rep = r.body.report;
    expect(rep.var.map((v: { confidence: number }) => v.confidence)).toEqual([0.95, 0.99]);
    for (const v of rep.var) for (const m of ['historical', 'parametric', 'monteCarlo']) expect(v[m].var).toBeGreaterThan(0);
    expect(rep.var[1].parametric.var).toBeGreaterThan(rep.var[0].parametric.var);
    const rows = await w.store.positions.list('fund-a', { openOnly: true });
    expect(rep.gross).toBeCloseTo(rows.reduce((s, p) => s + Math.abs(p.qty * (p.lastPrice ?? 0)), 0), 0);
    expect((await send('pmA', 'POST', '/v1/funds/fund-a/stress', {})).status).toBe(403);
    const s = await send('riskA', 'POST', '/v1/funds/fund-a/stress', { scenarios: ['gfc_2008', 'covid_2020'] });
    expect(s.status).toBe(201);
    expect(s.body.results.map((x: { scenario: string }) => x.scenario)).toEqual(['gfc_2008', 'covid_2020']);
    expect(s.body.results[0].pnlImpact).toBeLessThan(0);
    const stored = await get('viewerA', '/v1/funds/fund-a/stress');
    expect(stored.body.results.map((x: { scenario: string }) => x.scenario).sort()).toEqual(['covid_2020', 'gfc_2008']);
    expect((await send('riskA', 'POST', '/v1/funds/fund-a/stress', { scenarios: ['martian_invasion'] })).body.details.field).toBe('body.scenarios[0]');
  });

  it('risk review: the risk service over the stored market; overlay actions history and latest per agent', async () => {
    const r = await send('pmA', 'POST', '/v1/risk/review', { fund: { capital: 1e7 }, proposals: [{ agentId: 'momentum', targets: [{ symbol: w.symbols[0], weight: 0.02 }] }] });
    expect(r.status).toBe(200);
    expect(r.body.asOf).toBe(w.lastDate);
    expect(r.body.decisions[0].agentId).toBe('momentum');
    const bad = await send('pmA', 'POST', '/v1/risk/review', { fund: { capital: -1 }, proposals: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.details.field).toBe('body.fund.capital');
    // the overlay's review of prop-a-1 at its modified size (executed above) is one of momentum's decisions
    const hist = await get('viewerA', '/v1/funds/fund-a/overlay-actions?agentId=momentum');
    expect(hist.body.actions.map((a: { cycleId: string }) => a.cycleId)).toEqual(['fund-a-exec-prop-a-1', 'cyc-a-2', 'cyc-a-1']);
    const latest = await get('viewerA', '/v1/funds/fund-a/overlay-actions/latest');
    expect(latest.body.latest.momentum.cycleId).toBe('fund-a-exec-prop-a-1');
    expect(latest.body.latest.trend.cycleId).toBe('cyc-a-1');
  });

  it('kill switch: risk trips with a reason (journal, audit, state, file); pm cannot; re-arm HALTED → REDUCING → ACTIVE', async () => {
    expect((await send('pmA', 'POST', '/v1/funds/fund-a/kill-switch/trip', { reason: 'x' })).status).toBe(403);
    const noReason = await send('riskA', 'POST', '/v1/funds/fund-a/kill-switch/trip', { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details.field).toBe('body.reason');
    const trip = await send('riskA', 'POST', '/v1/funds/fund-a/kill-switch/trip', { reason: 'broker outage' });
    expect(trip.body).toMatchObject({ tradingState: 'HALTED', from: 'ACTIVE' });
    expect((await w.store.funds.get('fund-a'))?.tradingState).toBe('HALTED');
    expect(existsSync(ksFile)).toBe(true);
    expect((await send('riskA', 'POST', '/v1/funds/fund-a/kill-switch/trip', { reason: 'again' })).status).toBe(409);
    const state = await get('viewerA', '/v1/funds/fund-a/kill-switch');
    expect(state.body.tradingState).toBe('HALTED');
    expect(state.body.lastEvent).toMatchObject({ kind: 'KILL_SWITCH_TRIP', who: 'riskA', rationale: 'broker outage' });
    const direct = await send('riskA', 'POST', '/v1/funds/fund-a/kill-switch/rearm', { reason: 'skip', to: 'ACTIVE' });
    expect(direct.status).toBe(409);
    w.clock.advance(60_000);
    const r1 = await send('riskA', 'POST', '/v1/funds/fund-a/kill-switch/rearm', { reason: 'broker back' });
    expect(r1.body).toMatchObject({ tradingState: 'REDUCING', from: 'HALTED' });
    expect(existsSync(ksFile)).toBe(false);
    w.clock.advance(60_000);
    const r2 = await send('adminA', 'POST', '/v1/funds/fund-a/kill-switch/rearm', { reason: 'cooldown over' });
    expect(r2.body).toMatchObject({ tradingState: 'ACTIVE', from: 'REDUCING' });
    const audit = (await w.store.audit.list({ entity: 'fund', entityId: 'fund-a' })).map((a) => a.action).filter((a) => a.startsWith('KillSwitch')).reverse();
    expect(audit).toEqual(['KillSwitchTripped', 'KillSwitchRearmed', 'KillSwitchRearmed']);
    const j = await get('viewerA', '/v1/funds/fund-a/journal?kind=REARM');
    expect(j.body.entries.map((e: { who: string }) => e.who)).toEqual(['adminA', 'riskA']);
  });

  it('audit verification: ok, then 409 naming the first tampered row', async () => {
    const ok = await get('riskA', '/v1/audit/verify');
    expect(ok.body.ok).toBe(true);
    expect((await get('viewerA', '/v1/audit/verify')).status).toBe(403);
    await w.store.db.query(`UPDATE audit_log SET actor = 'mallory' WHERE id = 2`);
    const bad = await get('riskA', '/v1/audit/verify');
    expect(bad.status).toBe(409);
    expect(bad.body).toMatchObject({ code: 'KEEL_E_AUDIT_TAMPERED', details: { firstBadId: 2 } });
  });

  it('backtests: start → id, progress, results; listed for the fund only', async () => {
    const start = await send('pmA', 'POST', '/v1/funds/fund-a/backtests', { from: '2018-09-03', to: '2018-10-01', agents: ['momentum'] });
    expect(start.status).toBe(202);
    const id = start.body.id as string;
    let bt: Json = {};
    for (let i = 0; i < 240; i++) {
      bt = (await get('viewerA', `/v1/funds/fund-a/backtests/${id}`)).body.backtest;
      if (bt.status === 'COMPLETED' || bt.status === 'FAILED') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(bt.status).toBe('COMPLETED');
    expect(bt.progress).toBe(1);
    expect(bt.results).not.toBeNull();
    const list = await get('viewerA', '/v1/funds/fund-a/backtests');
    expect(list.body.backtests.map((b: { id: string }) => b.id)).toContain(id);
    expect(list.body.backtests.map((b: { id: string }) => b.id)).not.toContain('bt-b-seed');
    expect((await get('viewerA', '/v1/funds/fund-a/backtests/bt-b-seed')).status).toBe(404);
    expect((await send('pmA', 'POST', '/v1/funds/fund-a/backtests', { from: '2018-09-03', to: '2018-10-01', agents: ['ghost'] })).body.details.field).toBe('body.agents');
    // with a comparison: the detail carries the binding constraints and the comparison run's results
    const cmp = await send('pmA', 'POST', '/v1/funds/fund-a/backtests', { from: '2018-09-03', to: '2018-10-01', agents: ['momentum'], compare: 'overlay-off' });
    expect(cmp.status).toBe(202);
    for (let i = 0; i < 240; i++) {
      bt = (await get('viewerA', `/v1/funds/fund-a/backtests/${cmp.body.id as string}`)).body.backtest;
      if (bt.status === 'COMPLETED' || bt.status === 'FAILED') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(bt.status).toBe('COMPLETED');
    expect(bt.results.binding.days).toBe(bt.results.days);
    expect(bt.results.comparison).toMatchObject({ label: 'overlay-off', disabled: expect.arrayContaining(['correlation_monitor', 'graduated_drawdown']) });
    expect(bt.results.comparison.variant.fund.equityGross).toHaveLength(bt.results.days);
    const unknown = await send('pmA', 'POST', '/v1/funds/fund-a/backtests', { from: '2018-09-03', to: '2018-10-01', without: ['nope'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details.field).toBe('body.without');
  }, 180_000);

  it('an expired proposal cannot be approved (409), and shows its expiry', async () => {
    const t = await send('pmA', 'POST', '/v1/funds/fund-a/trades', { symbol: w.symbols[4], side: 'SELL', notional: 10_000, rationale: 'trim' });
    expect(t.status).toBe(201);
    const id = t.body.proposal.id as string;
    w.clock.advance(9 * 3_600_000);
    const late = await send('pmA', 'POST', `/v1/funds/fund-a/proposals/${id}/approve`, { why: 'too late' });
    expect(late.status).toBe(409);
    expect(late.body.details.code).toBe('PROPOSAL_EXPIRED');
  });

  it('users over HTTP: an admin creates and rotates keys only for its own funds', async () => {
    const created = await send('adminA', 'POST', '/v1/users', { name: 'gina', role: 'pm', fundIds: ['fund-a'] });
    expect(created.status).toBe(201);
    const key = created.body.apiKey as string;
    expect((await app.inject({ url: '/v1/funds', headers: { authorization: `Bearer ${key}` } })).json().funds.map((f: { id: string }) => f.id)).toEqual(['fund-a']);
    expect((await send('adminA', 'POST', '/v1/users', { name: 'hank', role: 'pm', fundIds: ['fund-b'] })).status).toBe(404);
    expect((await send('adminA', 'POST', '/v1/users', { name: 'ivan', role: 'admin', fundIds: ['*'] })).status).toBe(404);
    expect((await send('root', 'POST', '/v1/users', { name: 'jill', role: 'viewer', fundIds: ['*'] })).body.details.field).toBe('body.fundIds');
    expect((await send('adminA', 'POST', '/v1/users', { name: 'gina', role: 'pm', fundIds: ['fund-a'] })).status).toBe(409);
    expect((await send('pmA', 'POST', '/v1/users', { name: 'kim', role: 'pm', fundIds: ['fund-a'] })).status).toBe(403);
    const names = (await get('adminA', '/v1/users')).body.users.map((u: { name: string }) => u.name);
    expect(names).toContain('gina');
    expect(names).not.toContain('root');
    expect(names).not.toContain('pmB');
    expect((await send('adminA', 'POST', '/v1/users/root/key', {})).status).toBe(404);
    const rotated = await send('adminA', 'POST', '/v1/users/gina/key', {});
    expect(rotated.status).toBe(200);
    expect((await app.inject({ url: '/v1/funds', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/v1/funds', headers: { authorization: `Bearer ${rotated.body.apiKey as string}` } })).statusCode).toBe(200);
  });

  it('metrics for admins; OpenAPI document with every route; docs page', async () => {
    const m = await app.inject({ url: '/metrics', headers: w.auth('adminA') });
    expect(m.statusCode).toBe(200);
    expect(m.body).toContain('keel_http_requests_total');
    expect((await app.inject({ url: '/metrics', headers: w.auth('viewerA') })).statusCode).toBe(403);
    const doc = (await app.inject({ url: '/docs/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const ops = Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).length, 0);
    expect(ops).toBeGreaterThanOrEqual(40);
    expect(doc.paths['/v1/funds/{fundId}/trades']?.post).toBeDefined();
    const html = await app.inject({ url: '/docs' });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('/v1/funds/:fundId/kill-switch/trip');
  });
});
