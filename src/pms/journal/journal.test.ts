import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JOURNAL_KINDS, journalEntry, recordDecision, linkJournalEntry, matchesFilters, searchJournal, tokenise, type JournalEntry, type JournalQuery } from '../index.ts';

const e = (id: string, over: Partial<Parameters<typeof journalEntry>[0]> = {}): JournalEntry =>
  journalEntry({ id, fundId: 'fund-1', kind: 'NOTE', who: 'alice', role: 'pm', rationale: '', timestamp: '2024-01-02T14:00:00.000Z', ...over });

const entries = [
  e('j1', { kind: 'APPROVAL', rationale: 'Approved momentum book after earnings beat', agentId: 'momentum', symbols: ['AAPL', 'MSFT'], timestamp: '2024-01-02T14:00:00Z' }),
  e('j2', { kind: 'REJECTION', rationale: 'Rejected: energy exposure too high', agentId: 'value', symbols: ['XOM'], timestamp: '2024-01-03T09:00:00Z', who: 'rob', role: 'risk' }),
  e('j3', { kind: 'KILL_SWITCH_TRIP', rationale: 'Fund VaR 99 breached 5% of NAV; earnings season volatility', who: 'rob', role: 'risk', timestamp: '2024-01-04T10:00:00Z', links: { decisionIds: ['d-9'] } }),
  e('j4', { kind: 'REARM', rationale: 'Re-armed after review of earnings exposure', who: 'rob', role: 'risk', timestamp: '2024-01-05T10:00:00Z' }),
  e('j5', { kind: 'NOTE', rationale: 'earnings earnings earnings: AAPL guidance', agentId: 'momentum', symbols: ['AAPL'], timestamp: '2024-01-01T10:00:00Z' }),
];

describe('journal entries', () => {
  it('de-duplicates links and adds more later', () => {
    const x = e('x', { links: { orderIds: ['o1', 'o1'] } });
    expect(x.links.orderIds).toEqual(['o1']);
    expect(linkJournalEntry(x, { orderIds: ['o2', 'o1'], fillIds: ['f1'] }).links).toEqual({ decisionIds: [], orderIds: ['o1', 'o2'], fillIds: ['f1'], proposalIds: [] });
  });
  it('tokenises case-insensitively on non-alphanumerics', () => {
    expect(tokenise('VaR-99 breached, BRK.B!')).toEqual(['var', '99', 'breached', 'brk', 'b']);
  });
});

describe('recordDecision', () => {
  const trip = { id: 'k1', fundId: 'fund-1', kind: 'KILL_SWITCH_TRIP' as const, who: 'rob', role: 'risk' as const, rationale: 'VaR 99 above 5% of NAV', timestamp: '2024-01-04T10:00:00Z' };
  it('the kill switch needs the risk role; the system may trip it', () => {
    expect(recordDecision(trip)).toMatchObject({ ok: true, value: { kind: 'KILL_SWITCH_TRIP', who: 'rob' } });
    expect(recordDecision({ ...trip, role: 'pm' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE', required: ['risk'] } });
    expect(recordDecision({ ...trip, kind: 'REARM', role: 'admin' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    expect(recordDecision({ ...trip, who: 'system:killswitch', role: 'system' }).ok).toBe(true);
  });
  it('every decision says why', () => {
    expect(recordDecision({ ...trip, rationale: ' ' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'rationale' } });
    expect(recordDecision({ ...trip, kind: 'OVERRIDE', role: 'viewer' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
  });
});

describe('searchJournal', () => {
  it('free text: every token must match; ranked by weighted term frequency', () => {
    const hits = searchJournal(entries, { text: 'EARNINGS' });
    expect(hits.map((h) => h.entry.id)).toEqual(['j5', 'j4', 'j3', 'j1']);
    expect(searchJournal(entries, { text: 'earnings energy' })).toEqual([]);
    expect(searchJournal(entries, { text: 'energy' }).map((h) => h.entry.id)).toEqual(['j2']);
  });
  it('prefix matching and matching on symbols, kind and links', () => {
    expect(searchJournal(entries, { text: 'approv' }).map((h) => h.entry.id)).toEqual(['j1']);
    expect(searchJournal(entries, { text: 'kill switch' }).map((h) => h.entry.id)).toEqual(['j3']);
    expect(searchJournal(entries, { text: 'd-9' }).map((h) => h.entry.id)).toEqual(['j3']);
  });
  it('filters by agent, symbol (case-insensitive), kind and date range; newest first without text', () => {
    expect(searchJournal(entries, { agentId: 'momentum' }).map((h) => h.entry.id)).toEqual(['j1', 'j5']);
    expect(searchJournal(entries, { symbol: 'aapl' }).map((h) => h.entry.id)).toEqual(['j1', 'j5']);
    expect(searchJournal(entries, { kinds: ['KILL_SWITCH_TRIP', 'REARM'] }).map((h) => h.entry.id)).toEqual(['j4', 'j3']);
    expect(searchJournal(entries, { from: '2024-01-02', to: '2024-01-04' }).map((h) => h.entry.id)).toEqual(['j3', 'j2', 'j1']);
    expect(searchJournal(entries, { from: '2024-01-03T09:00:00Z', to: '2024-01-03T09:00:00Z' }).map((h) => h.entry.id)).toEqual(['j2']);
    expect(searchJournal(entries, { fundId: 'other' })).toEqual([]);
    expect(searchJournal(entries, { limit: 2 })).toHaveLength(2);
  });
  it('filters by actor: system entries are those recorded in the system role', () => {
    const sys = e('s1', { kind: 'OVERLAY_DECISION', who: 'system:overlay', role: 'system', rationale: 'The overlay blocked momentum', agentId: 'momentum', timestamp: '2024-01-06T10:00:00Z' });
    const all = [...entries, sys];
    expect(searchJournal(all, { actor: 'system' }).map((h) => h.entry.id)).toEqual(['s1']);
    expect(searchJournal(all, { actor: 'human' }).map((h) => h.entry.id)).toEqual(['j4', 'j3', 'j2', 'j1', 'j5']);
  });
});

// Invariant: every entry searchJournal returns passes every filter of the query and contains every query token as a prefix of one of its tokens.
describe('searchJournal (property)', () => {
  const words = ['earnings', 'energy', 'risk', 'breach', 'momentum', 'rates', 'AAPL', 'XOM'];
  const entryArb = fc.record({
    id: fc.uuid(),
    kind: fc.constantFrom(...JOURNAL_KINDS),
    who: fc.constantFrom('alice', 'rob', 'system:overlay'),
    rationale: fc.array(fc.constantFrom(...words), { maxLength: 6 }).map((w) => w.join(' ')),
    agentId: fc.constantFrom(null, 'momentum', 'value'),
    symbols: fc.subarray(['AAPL', 'XOM', 'MSFT']),
    day: fc.integer({ min: 1, max: 9 }),
  });
  const queryArb = fc.record(
    {
      text: fc.array(fc.constantFrom(...words, 'ear', 'mom'), { maxLength: 2 }).map((w) => w.join(' ')),
      agentId: fc.constantFrom('momentum', 'value'),
      symbol: fc.constantFrom('aapl', 'XOM'),
      kinds: fc.subarray([...JOURNAL_KINDS], { minLength: 1 }),
      actor: fc.constantFrom('human' as const, 'system' as const),
      from: fc.integer({ min: 1, max: 9 }).map((d) => `2024-01-0${d}`),
      to: fc.integer({ min: 1, max: 9 }).map((d) => `2024-01-0${d}`),
    },
    { requiredKeys: [] },
  );
  it('returns only matching entries', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 25 }), queryArb, (raw, q: JournalQuery) => {
        const list = raw.map((r) => e(r.id, { kind: r.kind, who: r.who, role: r.who.startsWith('system:') ? 'system' : 'pm', rationale: r.rationale, agentId: r.agentId, symbols: r.symbols, timestamp: `2024-01-0${r.day}T12:00:00Z` }));
        const hits = searchJournal(list, q);
        const qt = tokenise(q.text ?? '');
        for (const { entry } of hits) {
          expect(matchesFilters(entry, q)).toBe(true);
          const hay = tokenise([entry.rationale, entry.who, entry.kind.replace(/_/g, ' '), entry.agentId ?? '', ...entry.symbols, ...entry.links.decisionIds].join(' '));
          for (const t of qt) expect(hay.some((h) => h.startsWith(t))).toBe(true);
        }
        // and nothing that matches is left out (limit is 100 > 25)
        const expected = list.filter((x) => matchesFilters(x, q) && qt.every((t) => tokenise([x.rationale, x.who, x.kind.replace(/_/g, ' '), x.agentId ?? '', ...x.symbols].join(' ')).some((h) => h.startsWith(t))));
        expect(new Set(hits.map((h) => h.entry.id))).toEqual(new Set(expected.map((x) => x.id)));
      }),
      { numRuns: 300 },
    );
  });
});
