import type { Fill } from '../../contracts/index.ts';
import { InvariantError } from '../../core/index.ts';
import type { InternalCross } from '../../execution/index.ts';
import type { Repos, StoredLedger } from '../../store/index.ts';
import { FUND_BOOK } from '../cycle/books.ts';
import { bookFills } from '../ledger/book-fills.ts';
import { Ledger } from '../ledger/ledger.ts';

type LedgerRepos = Pick<Repos, 'ledger'>;

/** The fund's ledger as it stands now (every booking so far), or null when none is stored yet. */
export async function loadStoredLedger(repos: LedgerRepos, fundId: string): Promise<Ledger | null> {
  const stored = await repos.ledger.load(fundId);
  return stored ? Ledger.fromSnapshot(toSnapshot(stored)) : null;
}

/**
 * Books one entry into the stored ledger: loads the books it touches (`bookIds`, holding in
 * `symbol` only, locked), applies `apply` with the ledger's own arithmetic, and writes them back.
 * Call it inside the transaction that records the entry, so the entry and the books move together.
 * A book the fund does not have yet opens with no capital of its own, as in memory (the
 * discretionary book); a fund with no stored ledger at all is a broken invariant.
 */
export async function bookStored(tx: LedgerRepos, fundId: string, symbol: string, bookIds: readonly string[], at: string, apply: (l: Ledger) => void): Promise<void> {
  const books = await tx.ledger.books(fundId, bookIds, symbol);
  const l = Ledger.fromSnapshot(toSnapshot({ books }));
  if (books.length < new Set(bookIds).size && !(await tx.ledger.has(fundId))) {
    throw new InvariantError(`fund ${fundId} has no stored ledger to book into; load the run state first (it stores the opening books)`);
  }
  for (const id of bookIds) if (!l.has(id)) l.open(id, 0);
  apply(l);
  await tx.ledger.saveBooks(fundId, l.snapshot().books, symbol, at);
}

/** The books a fill is booked to: its allocations' agents, or the fund book when it has none. */
export function booksOfFill(f: Fill): string[] {
  return f.allocations.length > 0 ? [...new Set(f.allocations.map((a) => a.agentId))] : [FUND_BOOK];
}

/** Books a fill into the stored ledger as `bookFills` does in memory. */
export function bookFillStored(tx: LedgerRepos, fundId: string, f: Fill): Promise<void> {
  return bookStored(tx, fundId, f.symbol, booksOfFill(f), f.timestamp, (l) => {
    bookFills(l, [f], FUND_BOOK);
  });
}

/** Books an internal cross into the stored ledger as `Ledger.applyCross` does in memory. */
export function bookCrossStored(tx: LedgerRepos, fundId: string, c: InternalCross, at: string): Promise<void> {
  return bookStored(tx, fundId, c.symbol, [...new Set(c.legs.map((l) => l.agentId))], at, (l) => l.applyCross(c.symbol, c.price, c.legs));
}

/**
 * At the end of a cycle, inside its transaction: the stored ledger must be the cycle's own
 * (every booking went to both, so a difference is a bug: KEEL_E_INVARIANT), and it is stored
 * whole, with the cycle's marks.
 */
export async function checkpointLedger(tx: LedgerRepos, fundId: string, ledger: Ledger, at: string): Promise<void> {
  const stored = await tx.ledger.load(fundId);
  const mine = ledger.snapshot();
  const diff = stored ? ledgerDifference(stored, mine) : null;
  if (diff) throw new InvariantError(`fund ${fundId}: the cycle's books differ from the stored books (${diff})`);
  await tx.ledger.replace(fundId, mine, at);
}

/** The first difference between two ledgers, marks aside, or null. */
export function ledgerDifference(a: StoredLedger, b: StoredLedger): string | null {
  const byId = new Map(b.books.map((x) => [x.agentId, x]));
  const ids = new Set([...a.books.map((x) => x.agentId), ...b.books.map((x) => x.agentId)]);
  for (const id of ids) {
    const x = a.books.find((y) => y.agentId === id);
    const y = byId.get(id);
    if (!x || !y) return `book ${id} only on one side`;
    for (const k of ['initialCents', 'cashCents', 'realizedCents', 'feesCents', 'adjustmentsCents'] as const) {
      if (x[k] !== y[k]) return `book ${id} ${k} ${x[k]} ≠ ${y[k]}`;
    }
    const hy = new Map(y.holdings.map((h) => [h.symbol, h]));
    const symbols = new Set([...x.holdings.map((h) => h.symbol), ...hy.keys()]);
    for (const s of symbols) {
      const p = x.holdings.find((h) => h.symbol === s);
      const q = hy.get(s);
      if ((p?.qty4 ?? 0) !== (q?.qty4 ?? 0) || (p?.costCents ?? 0) !== (q?.costCents ?? 0)) {
        return `book ${id} ${s}: ${p?.qty4 ?? 0} units at ${p?.costCents ?? 0} cents ≠ ${q?.qty4 ?? 0} at ${q?.costCents ?? 0}`;
      }
    }
  }
  return null;
}

function toSnapshot(s: StoredLedger): ReturnType<Ledger['snapshot']> {
  return { books: s.books.map((b) => ({ ...b, holdings: b.holdings.map((h) => ({ ...h })) })) };
}
