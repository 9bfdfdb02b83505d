import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configHash, defaultFundConfigInput, parseFundConfig, type MacroObservation } from '../../../src/contracts/index.ts';
import { KeelError, nullLogger, SimClock } from '../../../src/core/index.ts';
import { createKernel, FundDaemon, paperBroker, fundKillSwitchFile, loadMarket, readEnv, registerFund, replayCycle, sharedKillSwitchFile, type CycleInputs, type LiveCycleOutcome } from '../../../src/fund/index.ts';
import type { Clock } from '../../../src/core/index.ts';
import type { FundConfig } from '../../../src/contracts/index.ts';
import { generateSyntheticMarket, syntheticBars, viewAt } from '../../../src/market/index.ts';
import { approve, executeProposal, insertProposal, listProposals, loadProposal, parseTicket, proposalDesk, proposalFromTicket, reject, saveProposal, ticketToAgentProposal } from '../../../src/pms/index.ts';
import { openStore, type Store } from '../../../src/store/index.ts';

let store: Store;
const home = mkdtempSync(path.join(os.tmpdir(), 'keel-live-'));
const config = parseFundConfig({ ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 100, degradedMinRows: 50 } });
let dates: string[] = [];

beforeAll(async () => {
  store = await openStore({ memory: true });
  const m = generateSyntheticMarket({ symbols: 40, years: 1.5, seed: 5 });
  dates = [...m.dates];
  await store.instruments.upsert(m.instruments);
  await store.bars.load(syntheticBars(m));
  const macro: MacroObservation[] = [];
  for (const [name, values] of new Map<string, Float64Array>([['market', m.index], ['vix', m.vix], ...m.factors])) {
    m.dates.forEach((date, t) => macro.push({ version: 1, series: name, date, releaseTime: `${date}T21:00:00.000Z`, value: values[t] ?? Number.NaN }));
  }
  await store.macro.insertMany(macro);
  await store.fundamentals.insertMany([...m.fundamentals.values()].flat());
});
afterAll(() => store.close());

/** One cycle through the kernel (what `keel run --once` calls), with the approval desk when asked. */
function runLiveCycle(o: { config: FundConfig; mode: 'paper' | 'live'; asOf?: string; clock?: Clock; desk?: boolean }): Promise<LiveCycleOutcome> {
  const kernel = createKernel({ env: readEnv({ KEEL_HOME: home }, '/'), store, logger: nullLogger, ...(o.clock ? { clock: o.clock } : {}), ...(o.desk ? { desk: proposalDesk } : {}) });
  return kernel.runCycle({ config: o.config, mode: o.mode, ...(o.asOf ? { asOf: o.asOf } : {}) });
}

const completed = (o: LiveCycleOutcome) => {
  if (o.status !== 'COMPLETED') throw new Error(`expected a completed cycle, got: ${o.reason}`);
  return o;
};

describe('live and paper cycles over the store', () => {
  it('a paper cycle trades, stores everything in one go, and resumes from it the next day', async () => {
    const asOf = dates[dates.length - 2] ?? '';
    const first = completed(await runLiveCycle({ config, mode: 'paper', asOf }));
    expect(first.resumedFrom).toBeNull();
    expect(first.result.orders.length).toBeGreaterThan(0);
    expect(first.result.fills.length).toBeGreaterThan(0);
    expect(first.gates.every((g) => g.passed)).toBe(true);
    const cycle = await store.cycles.get(first.result.cycleId);
    expect(cycle?.status).toBe('COMPLETED');
    expect((await store.decisions.listByCycle(first.result.cycleId)).length).toBeGreaterThan(0);
    expect((await store.overlayActions.listByCycle(first.result.cycleId)).length).toBe(9);
    expect((await store.positions.list(config.fund.id)).length).toBeGreaterThan(0);
    const nav = await store.nav.latest(config.fund.id);
    expect(nav?.nav).toBeCloseTo(first.result.nav.fund, 2);
    expect((await store.audit.verify()).ok).toBe(true);
    const agents = await store.funds.agents(config.fund.id);
    expect(agents).toHaveLength(9);
    expect(agents.every((a) => a.metrics.asOf === asOf)).toBe(true);

    const again = await runLiveCycle({ config, mode: 'paper', asOf });
    expect(again.status).toBe('REFUSED');
    // a second run on a day whose cycle is done is information, not a CRITICAL alarm (a daemon restarted with --run-now)
    const already = (await store.alerts.list({ fundId: config.fund.id })).filter((a) => a.message.includes('already ran'));
    expect(already.map((a) => a.severity)).toEqual(['LOW']);

    const next = completed(await runLiveCycle({ config, mode: 'paper', asOf: dates[dates.length - 1] ?? '' }));
    expect(next.resumedFrom).toBe(first.result.cycleId);
  });

  it('a stored cycle replays bit-exactly from its stored inputs', async () => {
    const [latest] = await store.cycles.list(config.fund.id, 1);
    if (!latest) throw new Error('no stored cycle');
    const inputs = (latest.summary as { inputs: CycleInputs }).inputs;
    const market = await loadMarket(store, { to: inputs.asOf });
    const report = await replayCycle(config, market.panel, inputs, await store.overlayActions.listByCycle(latest.id));
    expect(report.differences).toEqual([]);
    expect(report.identical).toBe(true);
  });

  it('the kill-switch file refuses the cycle before anything runs', async () => {
    // the shared file of earlier versions halts every fund; the fund's own file halts that fund only
    writeFileSync(sharedKillSwitchFile(home), 'test');
    const out = await runLiveCycle({ config, mode: 'paper', asOf: dates[dates.length - 3] ?? '' });
    expect(out.status).toBe('REFUSED');
    expect(out.gates[0]).toMatchObject({ gate: 'kill_switch', passed: false });
    const { rmSync, mkdirSync } = await import('node:fs');
    rmSync(sharedKillSwitchFile(home));
    mkdirSync(path.dirname(fundKillSwitchFile(home, config.fund.id)), { recursive: true });
    writeFileSync(fundKillSwitchFile(home, config.fund.id), 'test');
    const own = await runLiveCycle({ config, mode: 'paper', asOf: dates[dates.length - 3] ?? '' });
    expect(own.status === 'REFUSED' ? own.reason : '').toContain(fundKillSwitchFile(home, config.fund.id));
    const other = parseFundConfig({ ...defaultFundConfigInput(10_000_000), fund: { id: 'other', name: 'Other', totalCapital: 10_000_000 }, data: { minHistoryRows: 100, degradedMinRows: 50 } });
    expect((await runLiveCycle({ config: other, mode: 'paper', asOf: dates[dates.length - 3] ?? '' })).status).toBe('COMPLETED');
    rmSync(fundKillSwitchFile(home, config.fund.id));
  });

  it('advisory mode sends nothing and stores the reviewed books as proposals awaiting approval', async () => {
    const advisory = parseFundConfig({
      ...defaultFundConfigInput(10_000_000),
      fund: { id: 'adv', name: 'Advisory', totalCapital: 10_000_000, mode: 'advisory' },
      data: { minHistoryRows: 100, degradedMinRows: 50 },
    });
    const out = completed(await runLiveCycle({ config: advisory, mode: 'paper', asOf: dates[dates.length - 1] ?? '' }));
    expect(out.result.orders).toHaveLength(0);
    const pending = await store.proposals.list('adv', { statuses: ['PENDING_APPROVAL'] });
    expect(pending.length).toBeGreaterThan(0);
    const decisions = new Map(out.result.decisions.map((d) => [d.agentId, d]));
    for (const p of pending) {
      const d = decisions.get(p.proposal.agentId);
      expect(d).toBeDefined();
      expect(p.id).toBe(`prop-${d?.decisionId}`);
      // the proposal carries the overlay's final weights, not the agent's raw ones
      const finals = new Map((d?.targets ?? []).map((t) => [t.symbol, t.finalWeight]));
      for (const t of p.proposal.targets) expect(t.weight).toBe(finals.get(t.symbol));
    }
  });

  it('advisory mode waits for decisions, then executes what was approved, expires what was not, and continues from the executed books', async () => {
    const advisory = parseFundConfig({
      ...defaultFundConfigInput(10_000_000),
      fund: { id: 'adv2', name: 'Advisory 2', totalCapital: 10_000_000, mode: 'advisory' },
      data: { minHistoryRows: 100, degradedMinRows: 50 },
    });
    const d1 = dates[dates.length - 3] ?? '';
    const d2 = dates[dates.length - 2] ?? '';
    const clock = new SimClock(Date.parse(`${d1}T21:00:00.000Z`));
    const run = (asOf: string) => runLiveCycle({ config: advisory, mode: 'paper', asOf, clock, desk: true });
    const first = completed(await run(d1));
    expect(first.desk).toEqual({ expired: [], executed: [], waiting: [] });
    const pending = await listProposals(store, 'adv2', 'PENDING_APPROVAL');
    expect(pending.length).toBeGreaterThan(1);

    clock.advance(3_600_000);
    const waiting = await run(d2);
    expect(waiting.status).toBe('WAITING');
    if (waiting.status !== 'WAITING') return;
    expect(waiting.desk.waiting.map((x) => x.proposalId).sort()).toEqual(pending.map((p) => p.id).sort());
    expect(waiting.reason).toContain(pending[0]?.id ?? 'none');
    expect(await store.cycles.get(`adv2-paper-${d2}`)).toBeUndefined();

    // the PM approves one book at half size and rejects the rest
    const [chosen, ...others] = pending;
    if (!chosen) throw new Error('no proposal');
    const at = new Date(clock.now()).toISOString();
    await store.transaction(async (tx) => {
      const ok = approve({ ...chosen, size: 1 }, { who: 'pat', role: 'pm', why: 'go' }, at);
      if (!ok.ok) throw new Error(ok.error.message);
      await saveProposal(tx, chosen, ok.value.proposal);
      for (const p of others) {
        const no = reject(p, { who: 'pat', role: 'pm', why: 'not now' }, at);
        if (!no.ok) throw new Error(no.error.message);
        await saveProposal(tx, p, no.value.proposal);
      }
    });
    const second = completed(await run(d2));
    expect(second.desk?.waiting).toEqual([]);
    expect(second.desk?.executed.map((e) => [e.proposalId, e.outcome])).toEqual([[chosen.id, 'EXECUTED']]);
    const executed = await loadProposal(store, 'adv2', chosen.id);
    expect(executed?.status).toBe('EXECUTED');
    expect(executed?.orderIds.length).toBeGreaterThan(0);
    expect(second.resumedFrom).toBe(`adv2-exec-${chosen.id}`);
    // the cycle started from the executed book: the agent's holdings are what the fills left
    const orders = await Promise.all((executed?.orderIds ?? []).map((id) => store.orders.findByClientOrderId(id)));
    const filled = orders.filter((o) => o?.status === 'FILLED');
    expect(filled.length).toBeGreaterThan(0);
    const agentPositions = await store.positions.list('adv2', { agentId: chosen.agentId });
    for (const o of filled) expect(agentPositions.find((p) => p.symbol === o?.symbol)?.qty, o?.symbol).not.toBe(0);

    // nobody decides the second cycle's proposals: once past their expiry the next run sweeps them and goes on
    const fresh = await listProposals(store, 'adv2', 'PENDING_APPROVAL');
    expect(fresh.length).toBeGreaterThan(0);
    clock.advance(3 * 86_400_000);
    const third = completed(await run(dates[dates.length - 1] ?? ''));
    expect([...(third.desk?.expired ?? [])].sort()).toEqual(fresh.map((p) => p.id).sort());
    for (const p of fresh) {
      expect((await loadProposal(store, 'adv2', p.id))?.status).toBe('EXPIRED');
      await expect(executeProposal({ store, config: advisory, view: viewAt((await loadMarket(store)).panel, 0), clock, mode: 'paper', broker: paperBroker(advisory, clock, 'live') }, 'adv2', p.id)).rejects.toMatchObject({ code: 'KEEL_E_ILLEGAL_TRANSITION' });
    }
    expect((await store.journal.list('adv2')).filter((j) => j.kind === 'EXPIRY')).toHaveLength(fresh.length);
    expect((await store.audit.verify()).ok).toBe(true);
  });

  it('an autonomous fund: an approved proposal left for the runner (a live-broker fund) executes before the cycle, on its broker', async () => {
    const auto = parseFundConfig({ ...defaultFundConfigInput(10_000_000), fund: { id: 'auto2', name: 'Auto 2', totalCapital: 10_000_000 }, data: { minHistoryRows: 100, degradedMinRows: 50 } });
    const asOf = dates[dates.length - 1] ?? '';
    const clock = new SimClock(Date.parse(`${asOf}T21:00:00.000Z`));
    const now = new Date(clock.now()).toISOString();
    const symbol = (await store.instruments.list()).find((i) => i.assetClass === 'equity')?.symbol ?? '';
    const ticket = parseTicket({ fundId: 'auto2', symbol, side: 'BUY', qty: 40, rationale: 'by hand' });
    if (!ticket.success) throw new Error('bad ticket');
    const pending = proposalFromTicket(ticket.data, { id: 'auto2-t1', createdBy: 'pat', now, ttlMs: 3_600_000 });
    const ok = approve(pending, { who: 'pat', role: 'pm', why: 'go' }, now);
    if (!ok.ok) throw new Error(ok.error.message);
    await registerFund(store, auto, 'test', now);
    await store.transaction(async (tx) => {
      const payload = ticketToAgentProposal(ticket.data, { cycleId: 'disc-auto2-t1', traceId: 'auto2-t1', asOf, price: 100, bookCapital: 10_000_000, currentWeights: {} });
      await insertProposal(tx, pending, payload);
      await saveProposal(tx, pending, ok.value.proposal);
    });
    const out = completed(await runLiveCycle({ config: auto, mode: 'paper', asOf, clock, desk: true }));
    expect(out.desk?.executed.map((e) => [e.proposalId, e.outcome, e.orderIds])).toEqual([['auto2-t1', 'EXECUTED', [`auto2-t1:${symbol}`]]]);
    expect(out.resumedFrom).toBe('auto2-exec-auto2-t1');
    expect((await store.positions.list('auto2', { agentId: 'discretionary' })).map((p) => [p.symbol, p.qty])).toEqual([[symbol, 40]]);
    expect((await loadProposal(store, 'auto2', 'auto2-t1'))?.status).toBe('EXECUTED');
  });

  it('live mode refuses a config whose hash was not approved', async () => {
    const live = parseFundConfig({ ...defaultFundConfigInput(10_000_000), fund: { id: 'live', name: 'Live', totalCapital: 10_000_000 }, data: { minHistoryRows: 100, degradedMinRows: 50 } });
    await expect(runLiveCycle({ config: live, mode: 'live' })).rejects.toMatchObject({ code: 'KEEL_E_CONFIG_UNAPPROVED' });
    expect(await store.configVersions.isApproved(configHash(live))).toBe(false);
  });
});

describe('the daemon', () => {
  const ok: LiveCycleOutcome = { status: 'REFUSED', gates: [], reason: 'nothing to do' };

  it('retries a transient failure with backoff, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const d = new FundDaemon({
      cron: '0 0 1 1 *',
      logger: nullLogger,
      heartbeatSec: 3600,
      sleep: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
      runCycle: () => {
        calls++;
        if (calls < 3) return Promise.reject(new KeelError('KEEL_E_STORE', 'database unreachable'));
        return Promise.resolve(ok);
      },
    });
    await d.tick();
    expect(calls).toBe(3);
    expect(delays).toEqual([1000, 2000]);
    expect(d.cyclesRun).toBe(1);
  });

  it('does not retry a non-transient failure, and reports it', async () => {
    let calls = 0;
    const failures: unknown[] = [];
    const d = new FundDaemon({
      cron: '0 0 1 1 *',
      logger: nullLogger,
      heartbeatSec: 3600,
      onFailure: (e) => void failures.push(e),
      runCycle: () => {
        calls++;
        return Promise.reject(new KeelError('KEEL_E_CONFIG_UNAPPROVED', 'not approved'));
      },
    });
    await d.tick();
    expect(calls).toBe(1);
    expect(failures).toHaveLength(1);
  });

  it('stop() waits for the cycle in progress and starts no new one', async () => {
    let release: () => void = () => undefined;
    let finished = false;
    const d = new FundDaemon({
      cron: '0 0 1 1 *',
      logger: nullLogger,
      heartbeatSec: 3600,
      runCycle: () =>
        new Promise<LiveCycleOutcome>((resolve) => {
          release = () => {
            finished = true;
            resolve(ok);
          };
        }),
    });
    d.start();
    const running = d.tick();
    const stopped = d.stop();
    expect(finished).toBe(false);
    release();
    await stopped;
    await running;
    expect(finished).toBe(true);
    await d.tick();
    expect(d.cyclesRun).toBe(1);
  });
});
