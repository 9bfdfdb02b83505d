/** A compact binary answer decodes to exactly the proposal encoded: same JSON, same keys in the same order, -0 kept. */
import { describe, expect, it } from 'vitest';
import { createRoster, emptyBook } from '../../agents/index.ts';
import { defaultFundConfigInput, parseFundConfig } from '../../contracts/index.ts';
import { syntheticPanel, viewAt } from '../../market/index.ts';
import { decodeAnswer, decodeBatch, encodeAnswer, encodeBatch, isEncodedAnswer } from './answer-codec.ts';

const panel = syntheticPanel({ symbols: 40, years: 1.5, seed: 9 });
const fund = parseFundConfig({ ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 200, degradedMinRows: 100 } });

describe('worker answer codec', () => {
  it('round-trips every built-in agent of the default fund exactly', () => {
    const view = viewAt(panel, panel.T - 1);
    let signals = 0;
    for (const agent of createRoster(fund)) {
      const proposal = agent.propose(view, emptyBook(agent.id, 1_000_000, { cycleId: 'c1', traceId: `c1:${agent.id}` }));
      signals += proposal.signals.length;
      const answer = { proposal, unready: 'why', worker: 'w1' };
      const bytes = encodeAnswer(answer, panel.symbols);
      expect(bytes && isEncodedAnswer(bytes)).toBe(true);
      expect(JSON.stringify(decodeAnswer(bytes ?? new Uint8Array(), panel.symbols))).toBe(JSON.stringify(answer));
    }
    expect(signals).toBeGreaterThan(0);
  });

  it('keeps -0, a null stop, a symbol outside the panel, from bytes at any offset (a Buffer of a pool too)', () => {
    const signal = { version: 1, traceId: 't', symbol: 'ZZZ', mu: -0, sigma: 0.1, horizonDays: 5, confidence: 0.5, regime: 'BULL_QUIET', agentId: 'a', modelVersion: 'm@1', asOf: '2024-01-02' };
    const target = { symbol: panel.symbols[3] ?? '', weight: -0.25, stopLoss: null, takeProfit: 12.5 };
    const bytes = encodeAnswer({ proposal: { agentId: 'a', signals: [signal], targets: [target], reasoning: 'r' } }, panel.symbols) ?? new Uint8Array();
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeAnswer(Buffer.from(shifted.buffer, 3, bytes.length), panel.symbols)).toEqual(decodeAnswer(bytes, panel.symbols));
    const out = decodeAnswer(shifted.subarray(3), panel.symbols) as { proposal: { signals: { mu: number }[]; targets: unknown[] } };
    expect(Object.is(out.proposal.signals[0]?.mu, -0)).toBe(true);
    expect(out.proposal).toEqual({ agentId: 'a', signals: [signal], targets: [target], reasoning: 'r' });
    expect(Object.keys(out.proposal)).toEqual(['agentId', 'signals', 'targets', 'reasoning']);
  });

  it('sends a column once only when every signal has its value (none, one, mixed signals)', () => {
    const base = { version: 1, traceId: 't', symbol: panel.symbols[0] ?? '', mu: 0.01, sigma: 0.1, horizonDays: 5, confidence: 0.5, regime: 'BULL_QUIET', agentId: 'a', modelVersion: 'm@1', asOf: '2024-01-02' };
    const mixed = [base, { ...base, symbol: panel.symbols[1] ?? '', horizonDays: -0, regime: 'BEAR_CRISIS' }, { ...base, mu: Number.MIN_VALUE, modelVersion: 'm@2' }];
    for (const signals of [[], [base], mixed, [base, base]]) {
      const proposal = { agentId: 'a', signals, targets: [] };
      const out = decodeAnswer(encodeAnswer({ proposal }, panel.symbols) ?? new Uint8Array(), panel.symbols) as { proposal: { signals: { horizonDays: number }[] } };
      expect(out.proposal).toEqual(proposal);
      if (signals === mixed) expect(Object.is(out.proposal.signals[1]?.horizonDays, -0)).toBe(true);
    }
    const one = encodeAnswer({ proposal: { signals: [base, base, base], targets: [] } }, panel.symbols)?.length ?? 0;
    const many = encodeAnswer({ proposal: { signals: [base, base, base].map((x, i) => ({ ...x, mu: i, horizonDays: i + 1 })), targets: [] } }, panel.symbols)?.length ?? 0;
    expect(many - one).toBe(2 * 2 * 8); // two columns of three values instead of one
  });

  it('declines a proposal it would not keep exactly (another key, another type): the worker sends JSON', () => {
    const target = { symbol: 'A', weight: 0.1, stopLoss: null, takeProfit: null };
    expect(encodeAnswer({ proposal: { signals: [], targets: [{ ...target, note: 'x' }] } }, ['A'])).toBeNull();
    expect(encodeAnswer({ proposal: { signals: [], targets: [{ ...target, weight: '0.1' }] } }, ['A'])).toBeNull();
    expect(encodeAnswer({ error: 'propose threw' }, ['A'])).toBeNull();
  });
});

describe('worker answer batch', () => {
  it('carries each answer (bytes or JSON) and each error, in order', () => {
    const binary = new Uint8Array([1, 2, 3, 250]);
    const items = decodeBatch(encodeBatch([{ answer: binary }, { error: 'this worker does not serve agent x' }, { answer: '{"error":"propose threw"}' }]));
    expect(items).toHaveLength(3);
    expect(items[0]).toEqual({ answer: binary });
    expect(items[1]).toEqual({ error: 'this worker does not serve agent x' });
    expect(new TextDecoder().decode((items[2] as { answer: Uint8Array }).answer)).toBe('{"error":"propose threw"}');
    expect(decodeBatch(encodeBatch([]))).toEqual([]);
  });
});
