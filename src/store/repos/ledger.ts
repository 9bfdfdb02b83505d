import type { Db } from '../db.ts';

/** A holding as the ledger keeps it: signed 1e-4 share units, signed cost in cents, last mark in dollars (NaN until marked). */
export interface StoredHolding {
  readonly symbol: string;
  readonly qty4: number;
  readonly costCents: number;
  readonly mark: number;
}

/** One book of the fund's ledger, money in integer cents. `holdings` sorted by symbol. */
export interface StoredBook {
  readonly agentId: string;
  readonly initialCents: number;
  readonly cashCents: number;
  readonly realizedCents: number;
  readonly feesCents: number;
  readonly adjustmentsCents: number;
  readonly holdings: readonly StoredHolding[];
}

/** The fund's ledger, books in opening order (the shape of the ledger's own snapshot). */
export interface StoredLedger {
  readonly books: readonly StoredBook[];
}

interface BookRow {
  agentId: string;
  initialCents: number;
  cashCents: number;
  realizedCents: number;
  feesCents: number;
  adjustmentsCents: number;
}

const BOOK_COLUMNS = `book_id AS "agentId", initial_cents AS "initialCents", cash_cents AS "cashCents",
  realized_cents AS "realizedCents", fees_cents AS "feesCents", adjustments_cents AS "adjustmentsCents"`;
const HOLDING_COLUMNS = `book_id AS "bookId", symbol, qty4, cost_cents AS "costCents", mark`;

/**
 * The fund's ledger as it changes (not as of a cycle): what the books hold now. Writers book one
 * entry at a time into the books it touches (`books` then `saveBooks`, in the transaction that
 * records the entry), or store the whole ledger (`replace`).
 */
export class LedgerRepo {
  constructor(private readonly db: Db) {}

  /** The fund's whole ledger, or null when it has none stored yet. */
  async load(fundId: string): Promise<StoredLedger | null> {
    const books = await this.db.query<BookRow>(`SELECT ${BOOK_COLUMNS} FROM ledger_books WHERE fund_id = $1 ORDER BY seq`, [fundId]);
    if (books.rows.length === 0) return null;
    const holdings = await this.db.query<StoredHolding & { bookId: string }>(
      `SELECT ${HOLDING_COLUMNS} FROM ledger_holdings WHERE fund_id = $1 ORDER BY book_id, symbol`,
      [fundId],
    );
    return { books: withHoldings(books.rows, holdings.rows) };
  }

  /**
   * Some books of the fund with only their holding in `symbol`, locked for update until the
   * transaction ends (books it does not have are absent).
   */
  async books(fundId: string, bookIds: readonly string[], symbol: string): Promise<StoredBook[]> {
    const books = await this.db.query<BookRow>(
      `SELECT ${BOOK_COLUMNS} FROM ledger_books WHERE fund_id = $1 AND book_id = ANY($2::text[]) ORDER BY seq FOR UPDATE`,
      [fundId, [...bookIds]],
    );
    const holdings = await this.db.query<StoredHolding & { bookId: string }>(
      `SELECT ${HOLDING_COLUMNS} FROM ledger_holdings WHERE fund_id = $1 AND book_id = ANY($2::text[]) AND symbol = $3`,
      [fundId, [...bookIds], symbol],
    );
    return withHoldings(books.rows, holdings.rows);
  }

  /**
   * Writes books back after an entry in `symbol`: their money, and their holding in `symbol`
   * (removed when flat). A book new to the fund is opened after the others.
   */
  async saveBooks(fundId: string, books: readonly StoredBook[], symbol: string, at: string): Promise<void> {
    for (const b of books) {
      await this.db.query(
        `INSERT INTO ledger_books (fund_id, book_id, seq, initial_cents, cash_cents, realized_cents, fees_cents, adjustments_cents, updated_at)
         VALUES ($1, $2, (SELECT coalesce(max(seq), -1) + 1 FROM ledger_books WHERE fund_id = $1), $3, $4, $5, $6, $7, $8)
         ON CONFLICT (fund_id, book_id) DO UPDATE SET initial_cents = EXCLUDED.initial_cents, cash_cents = EXCLUDED.cash_cents,
           realized_cents = EXCLUDED.realized_cents, fees_cents = EXCLUDED.fees_cents,
           adjustments_cents = EXCLUDED.adjustments_cents, updated_at = EXCLUDED.updated_at`,
        [fundId, b.agentId, b.initialCents, b.cashCents, b.realizedCents, b.feesCents, b.adjustmentsCents, at],
      );
      const h = b.holdings.find((x) => x.symbol === symbol);
      if (h) {
        await this.db.query(
          `INSERT INTO ledger_holdings (fund_id, book_id, symbol, qty4, cost_cents, mark) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (fund_id, book_id, symbol) DO UPDATE SET qty4 = EXCLUDED.qty4, cost_cents = EXCLUDED.cost_cents, mark = EXCLUDED.mark`,
          [fundId, b.agentId, symbol, h.qty4, h.costCents, h.mark],
        );
      } else {
        await this.db.query('DELETE FROM ledger_holdings WHERE fund_id = $1 AND book_id = $2 AND symbol = $3', [fundId, b.agentId, symbol]);
      }
    }
  }

  /** Stores the whole ledger in place of the fund's (books in the given order). */
  async replace(fundId: string, ledger: StoredLedger, at: string): Promise<void> {
    await this.db.query('DELETE FROM ledger_holdings WHERE fund_id = $1', [fundId]);
    await this.db.query('DELETE FROM ledger_books WHERE fund_id = $1', [fundId]);
    await this.insertAll(fundId, ledger, at);
  }

  /** Whether the fund has a stored ledger. */
  async has(fundId: string): Promise<boolean> {
    const r = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_books WHERE fund_id = $1', [fundId]);
    return (r.rows[0]?.n ?? 0) > 0;
  }

  /** Stores the ledger when the fund has none yet; returns whether it did. */
  async init(fundId: string, ledger: StoredLedger, at: string): Promise<boolean> {
    if (await this.has(fundId)) return false;
    await this.insertAll(fundId, ledger, at);
    return true;
  }

  private async insertAll(fundId: string, ledger: StoredLedger, at: string): Promise<void> {
    const books = ledger.books;
    if (books.length === 0) return;
    await this.db.query(
      `INSERT INTO ledger_books (fund_id, book_id, seq, initial_cents, cash_cents, realized_cents, fees_cents, adjustments_cents, updated_at)
       SELECT $1, t.book_id, t.seq, t.initial_cents, t.cash_cents, t.realized_cents, t.fees_cents, t.adjustments_cents, $9::timestamptz
       FROM unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
         AS t(book_id, seq, initial_cents, cash_cents, realized_cents, fees_cents, adjustments_cents)`,
      [
        fundId,
        books.map((b) => b.agentId),
        books.map((_, i) => i),
        books.map((b) => b.initialCents),
        books.map((b) => b.cashCents),
        books.map((b) => b.realizedCents),
        books.map((b) => b.feesCents),
        books.map((b) => b.adjustmentsCents),
        at,
      ],
    );
    const hs = books.flatMap((b) => b.holdings.map((h) => ({ book: b.agentId, ...h })));
    if (hs.length === 0) return;
    await this.db.query(
      `INSERT INTO ledger_holdings (fund_id, book_id, symbol, qty4, cost_cents, mark)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::float8[])`,
      [fundId, hs.map((h) => h.book), hs.map((h) => h.symbol), hs.map((h) => h.qty4), hs.map((h) => h.costCents), hs.map((h) => h.mark)],
    );
  }
}

function withHoldings(books: readonly BookRow[], holdings: readonly (StoredHolding & { bookId: string })[]): StoredBook[] {
  const by = new Map<string, StoredHolding[]>();
  for (const h of holdings) {
    const list = by.get(h.bookId) ?? [];
    list.push({ symbol: h.symbol, qty4: Number(h.qty4), costCents: Number(h.costCents), mark: Number(h.mark) });
    by.set(h.bookId, list);
  }
  return books.map((b) => ({
    agentId: b.agentId,
    initialCents: Number(b.initialCents),
    cashCents: Number(b.cashCents),
    realizedCents: Number(b.realizedCents),
    feesCents: Number(b.feesCents),
    adjustmentsCents: Number(b.adjustmentsCents),
    holdings: (by.get(b.agentId) ?? []).sort((x, y) => (x.symbol < y.symbol ? -1 : x.symbol > y.symbol ? 1 : 0)),
  }));
}
