/**
 * A discretionary ticket that trades nothing ends NOT_EXECUTED with its reason (issue 14 item 7),
 * through the API: a PM enters a ticket below `oms.minNotional`, approves it, and the paper
 * execution plans no order. The proposal is NOT_EXECUTED (never EXECUTED), its last history step
 * says why in words and per name (MIN_NOTIONAL with the limit and the actual notional), the
 * EXECUTION journal entry and the audit row say "not executed", nothing reached the blotter or the
 * books, the status filters by NOT_EXECUTED, and approving or executing again sends nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, serverFor, type UserName, type World } from './fixture.ts';

type Json = ReturnType<typeof JSON.parse>;

describe('a ticket that trades nothing', () => {
  let w: World;
  let app: FastifyInstance;
  beforeAll(async () => {
    w = await makeWorld();
    app = await serverFor(w);
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await w.close();
  });

  const get = async (u: UserName, url: string) => {
    const r = await app.inject({ method: 'GET', url, headers: w.auth(u) });
    return { status: r.statusCode, body: r.json() as Json };
  };
  const send = async (u: UserName, url: string, payload: object, headers: Record<string, string> = {}) => {
    const r = await app.inject({ method: 'POST', url, headers: { ...w.auth(u), ...headers }, payload });
    return { status: r.statusCode, body: r.json() as Json };
  };

  it('ends NOT_EXECUTED with MIN_NOTIONAL as its reason, journaled and audited, and nothing traded', async () => {
    const minNotional = w.config.oms.minNotional;
    expect(minNotional).toBeGreaterThan(0);
    const sym = w.symbols[7] ?? '';
    const entered = await send('pmA', '/v1/funds/fund-a/trades', { symbol: sym, side: 'BUY', notional: minNotional / 2, rationale: 'a nibble' }, { 'idempotency-key': 'tiny-1' });
    expect(entered.status).toBe(201);
    expect(entered.body.isAccepted).toBe(true);
    const id = entered.body.proposal.id as string;
    const ordersBefore = (await get('viewerA', '/v1/funds/fund-a/orders')).body.orders.length as number;

    const approved = await send('pmA', `/v1/funds/fund-a/proposals/${id}/approve`, { why: 'small test trade' });
    expect(approved.status).toBe(200);
    expect(approved.body.executionError).toBeNull();
    expect(approved.body.execution).toMatchObject({ outcome: 'NOT_EXECUTED', isReplay: false, orders: [], fills: [] });
    expect(approved.body.execution.skipped.map((s: { symbol: string; reason: { code: string } }) => [s.symbol, s.reason.code])).toEqual([[sym, 'MIN_NOTIONAL']]);

    const stored = (await get('viewerA', `/v1/funds/fund-a/proposals/${id}`)).body.proposal;
    expect(stored.status).toBe('NOT_EXECUTED');
    expect(stored).toMatchObject({ orderIds: [], fillIds: [] });
    expect(stored.history.map((h: { to: string }) => h.to)).toEqual(['APPROVED', 'NOT_EXECUTED']);
    const last = stored.history.at(-1);
    expect(last).toMatchObject({ from: 'APPROVED', to: 'NOT_EXECUTED', who: 'system:oms', role: 'system' });
    expect(last.why).toMatch(new RegExp(`^nothing traded: .*${sym} not traded \\(MIN_NOTIONAL: order \\$\\d+\\.\\d\\d below the minimum\\)`));
    expect(last.reasons).toHaveLength(1);
    expect(last.reasons[0]).toMatchObject({ symbol: sym, code: 'MIN_NOTIONAL', limit: minNotional });
    // The ticket's dollars (half the minimum), rounded to whole 1e-4 shares at the close.
    expect(last.reasons[0].actual).toBeCloseTo(minNotional / 2, 0);
    expect(last.reasons[0].actual).toBeLessThan(minNotional);

    const listed = (await get('viewerA', '/v1/funds/fund-a/proposals?status=NOT_EXECUTED')).body.proposals.map((p: { id: string }) => p.id);
    expect(listed).toEqual([id]);
    expect((await get('viewerA', '/v1/funds/fund-a/proposals?status=EXECUTED')).body.proposals.map((p: { id: string }) => p.id)).not.toContain(id);

    const journal = (await get('viewerA', '/v1/funds/fund-a/journal?kind=EXECUTION')).body.entries.filter((e: { links: { proposalIds: string[] } }) => e.links.proposalIds.includes(id));
    expect(journal).toHaveLength(1);
    expect(journal[0]).toMatchObject({ who: 'system:oms', id: last.journalEntryId });
    expect(journal[0].rationale).toMatch(new RegExp(`^Not executed ${id} .*approved by pmA: small test trade.*MIN_NOTIONAL`));
    expect((await w.store.audit.list({ entity: 'proposal', entityId: id })).map((a) => a.action).sort()).toEqual(['DiscretionaryTradeEntered', 'ProposalApproved', 'ProposalNotExecuted']);

    expect((await get('viewerA', '/v1/funds/fund-a/orders')).body.orders).toHaveLength(ordersBefore);
    expect((await w.store.positions.list('fund-a', { agentId: 'discretionary' })).filter((p) => p.symbol === sym)).toEqual([]);

    // Terminal: approving again is refused, executing again is a replay that sends nothing.
    expect((await send('pmA', `/v1/funds/fund-a/proposals/${id}/approve`, { why: 'again' })).status).toBe(409);
    const replay = await send('pmA', `/v1/funds/fund-a/proposals/${id}/execute`, {}, { 'idempotency-key': 'tiny-exec-1' });
    expect(replay.status).toBe(200);
    expect(replay.body.execution).toMatchObject({ outcome: 'NOT_EXECUTED', isReplay: true, orders: [] });
  });
});
