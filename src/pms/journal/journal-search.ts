/**
 * Journal search: free text (tokenised, case-insensitive, prefix match, every query token must
 * match, ranked by tf·idf), agent, symbol, kind, actor (human or system), fund and date range. Pure: pass the entries in.
 */
import { actorOf, type JournalActor, type JournalEntry, type JournalKind } from './journal-entry.ts';
import { isoMs } from '../time.ts';

export interface JournalQuery {
  /** Free text; every token must prefix-match a token of the entry (AND). */
  readonly text?: string;
  readonly fundId?: string;
  readonly agentId?: string;
  /** Case-insensitive exact symbol. */
  readonly symbol?: string;
  readonly kinds?: readonly JournalKind[];
  /** `human` (entries people made) or `system` (entries the system made: role `system`). */
  readonly actor?: JournalActor;
  /** Inclusive bounds, ISO-8601 timestamps or dates (`YYYY-MM-DD` = that day at 00:00Z; `to` as a date covers the whole day). */
  readonly from?: string;
  readonly to?: string;
  /** Default 100. */
  readonly limit?: number;
}

export interface JournalHit {
  readonly entry: JournalEntry;
  /** Relevance (0 when no text was given); higher is better. */
  readonly score: number;
}

/** Lower-case alphanumeric tokens (dots and hyphens inside symbols split, e.g. BRK.B → brk, b). */
export function tokenise(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Text a query can match: the rationale (weight 1) and who, kind, agent, symbols and links (weight 2). */
function fields(e: JournalEntry): { readonly tokens: string[]; readonly weights: number[] } {
  const tokens: string[] = [];
  const weights: number[] = [];
  const add = (s: string, w: number): void => {
    for (const t of tokenise(s)) {
      tokens.push(t);
      weights.push(w);
    }
  };
  add(e.rationale, 1);
  add([e.who, e.kind.replace(/_/g, ' '), e.agentId ?? '', ...e.symbols].join(' '), 2);
  add([...e.links.decisionIds, ...e.links.orderIds, ...e.links.fillIds, ...e.links.proposalIds].join(' '), 2);
  return { tokens, weights };
}

const DAY_MS = 86_400_000;
const bound = (s: string, end: boolean): number => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? isoMs(`${s}T00:00:00Z`) + (end ? DAY_MS - 1 : 0) : isoMs(s));

/** True when the entry passes every structured filter of the query (not the text). */
export function matchesFilters(e: JournalEntry, q: JournalQuery): boolean {
  if (q.fundId !== undefined && e.fundId !== q.fundId) return false;
  if (q.agentId !== undefined && e.agentId !== q.agentId) return false;
  if (q.symbol !== undefined) {
    const s = q.symbol.toUpperCase();
    if (!e.symbols.some((x) => x.toUpperCase() === s)) return false;
  }
  if (q.kinds !== undefined && q.kinds.length > 0 && !q.kinds.includes(e.kind)) return false;
  if (q.actor !== undefined && actorOf(e) !== q.actor) return false;
  const t = isoMs(e.timestamp, 'journal timestamp');
  if (q.from !== undefined && t < bound(q.from, false)) return false;
  if (q.to !== undefined && t > bound(q.to, true)) return false;
  return true;
}

/**
 * Entries matching every filter and (when given) every text token, best first: by score, then
 * newest first, then id. Without text, newest first. Score = Σ over query tokens of
 * (Σ weights of the entry tokens it prefixes) · ln(1 + N / df), N = entries passing the filters.
 */
export function searchJournal(entries: readonly JournalEntry[], q: JournalQuery = {}): JournalHit[] {
  const limit = q.limit ?? 100;
  const pool = entries.filter((e) => matchesFilters(e, q));
  const qTokens = [...new Set(tokenise(q.text ?? ''))];
  let hits: JournalHit[];
  if (qTokens.length === 0) {
    hits = pool.map((entry) => ({ entry, score: 0 }));
  } else {
    const docs = pool.map((entry) => ({ entry, ...fields(entry) }));
    const tf = docs.map((d) =>
      qTokens.map((qt) => {
        let s = 0;
        d.tokens.forEach((t, i) => {
          if (t.startsWith(qt)) s += d.weights[i] ?? 0;
        });
        return s;
      }),
    );
    const df = qTokens.map((_, k) => tf.filter((row) => (row[k] ?? 0) > 0).length);
    hits = [];
    docs.forEach((d, i) => {
      const row = tf[i] ?? [];
      if (row.some((x) => x === 0)) return;
      const score = row.reduce((acc, x, k) => acc + x * Math.log(1 + docs.length / Math.max(1, df[k] ?? 1)), 0);
      hits.push({ entry: d.entry, score });
    });
  }
  hits.sort(
    (a, b) =>
      b.score - a.score ||
      isoMs(b.entry.timestamp) - isoMs(a.entry.timestamp) ||
      (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0),
  );
  return hits.slice(0, Math.max(0, limit));
}
