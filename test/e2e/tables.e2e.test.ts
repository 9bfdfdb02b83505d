/**
 * The dashboard's shared table (sort, search, page, CSV export) on the blotter's orders and the
 * decision journal, checked against what the API serves: the sorted order is the API's rows sorted
 * by their raw quantity, and the exported CSV holds every matching row (all pages) with the API's
 * ids and full-precision numbers, text escaped per RFC 4180.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, settled, signIn, watch, type Browser, type Watch } from './browser.ts';
import { ADMIN, FUND_ID, startFixture, type Fixture } from './fixture.ts';
import { SHOTS, WEB_DIST } from './kit.ts';

const qty0 = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 0 });

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF line ends) into rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endField();
      rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

interface Order { id: string; symbol: string; qty: number; status: string }
interface JournalEntry { id: string; kind: string; rationale: string }

describe.skipIf(!hasChromium)('the shared data table in Chromium (skipped when /usr/bin/chromium is absent)', () => {
  let fx: Fixture;
  let browser: Browser;
  let page: Page;
  let w: Watch;

  const get = async <T,>(p: string): Promise<T> => (await (await fetch(`${fx.url}${p}`, { headers: { Authorization: `Bearer ${ADMIN.key}` } })).json()) as T;

  async function exported(testId: string): Promise<string[][]> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`${testId}-csv`).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const file = await download.path();
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true); // spreadsheets read it as UTF-8
    return parseCsv(text.slice(1));
  }

  beforeAll(async () => {
    fx = await startFixture({ webDist: WEB_DIST });
    browser = await launch();
    page = await browser.context.newPage();
    w = watch(page);
    await signIn(page, fx.url, ADMIN, { route: 'blotter' });
  });

  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  it('orders: sorts by quantity both ways, searches by symbol, and exports the sorted rows as the API holds them', async () => {
    const api = (await get<{ orders: Order[] }>(`/v1/funds/${FUND_ID}/orders?limit=200`)).orders;
    expect(api.length).toBeGreaterThan(3);
    expect(new Set(api.map((o) => o.qty)).size).toBeGreaterThan(3); // the sort has something to order
    await page.goto(`${fx.url}/#/blotter`);
    await settled(page);
    const table = page.getByTestId('orders-table');
    const cells = (col: number) => table.locator(`tbody tr td:nth-child(${col})`).allTextContents();
    // Newest first as served until a header is clicked.
    expect(await cells(2)).toEqual(api.map((o) => o.symbol));
    const byQty = (dir: 1 | -1) => api.map((o, i) => ({ o, i })).sort((a, b) => dir * (a.o.qty - b.o.qty) || a.i - b.i).map((x) => x.o);
    await page.getByTestId('sort-qty').click(); // numbers sort largest first
    expect(await table.locator('th[aria-sort=descending]').textContent()).toContain('Qty');
    expect(await cells(4)).toEqual(byQty(-1).map((o) => qty0(o.qty)));
    expect(await cells(2)).toEqual(byQty(-1).map((o) => o.symbol));
    await page.getByTestId('sort-qty').click();
    expect(await cells(4)).toEqual(byQty(1).map((o) => qty0(o.qty)));
    await page.screenshot({ path: path.join(SHOTS, 'tables-orders-sorted.png'), fullPage: true });

    const csv = await exported('orders-table');
    const [head, ...body] = csv;
    expect(head?.slice(0, 5)).toEqual(['Order id', 'Created', 'Symbol', 'Side', 'Qty']);
    const col = (name: string) => head?.indexOf(name) ?? -1;
    expect(body.map((r) => r[col('Order id')])).toEqual(byQty(1).map((o) => o.id));
    expect(body.map((r) => Number(r[col('Qty')]))).toEqual(byQty(1).map((o) => o.qty)); // raw, not "6,796"
    expect(body.map((r) => r[col('Status')])).toEqual(byQty(1).map((o) => o.status));

    const symbol = api[0]?.symbol ?? '';
    await page.getByTestId('orders-table-search').fill(symbol.toLowerCase());
    const matching = api.filter((o) => o.symbol === symbol);
    await expect.poll(() => page.getByTestId('orders-table-count').textContent()).toBe(`${matching.length} of ${api.length} rows`);
    expect(await cells(2)).toEqual(matching.map(() => symbol));
    const filtered = await exported('orders-table');
    expect(filtered.slice(1).map((r) => r[0])).toEqual(byQty(1).filter((o) => o.symbol === symbol).map((o) => o.id));
    expect(w.errors).toEqual([]);
  });

  it('journal: pages 25 rows at a time and exports every entry (all pages), text escaped, formulas defused', async () => {
    const tricky = ['e2e note, with a comma and "quotes"', 'e2e note on\ntwo lines', '=HYPERLINK("http://example.invalid") e2e'];
    for (let i = 0; i < 30; i++) {
      const rationale = tricky[i] ?? `e2e note ${i}`;
      const r = await fetch(`${fx.url}/v1/funds/${FUND_ID}/journal`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN.key}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ rationale }) });
      expect(r.status).toBeLessThan(300);
    }
    const api = (await get<{ entries: JournalEntry[] }>(`/v1/funds/${FUND_ID}/journal?limit=200`)).entries;
    expect(api.length).toBeGreaterThanOrEqual(30);
    await page.goto(`${fx.url}/#/journal`);
    await settled(page);
    const table = page.getByTestId('journal-table');
    await expect(table.locator('tbody tr').count()).resolves.toBe(25);
    await expect(page.getByTestId('journal-table-pager').textContent()).resolves.toContain(`page 1 of ${Math.ceil(api.length / 25)}`);
    await page.getByTestId('journal-table-pager').getByRole('button', { name: 'Next →' }).click();
    await expect(table.locator('tbody tr').count()).resolves.toBe(Math.min(25, api.length - 25));
    await page.screenshot({ path: path.join(SHOTS, 'tables-journal-page-2.png'), fullPage: true });

    const [head, ...body] = await exported('journal-table');
    expect(head).toEqual(['Entry id', 'Time', 'Kind', 'Who', 'Role', 'Agent', 'Names', 'Rationale']);
    expect(body.map((r) => r[0])).toEqual(api.map((e) => e.id)); // every entry, in the API's order, not only the page shown
    const rationale = new Map(body.map((r) => [r[0], r[7]]));
    for (const e of api) expect(rationale.get(e.id)).toBe(e.rationale.startsWith('=') ? `'${e.rationale}` : e.rationale);
    expect([...rationale.values()]).toContain(tricky[1]);
    expect(w.errors).toEqual([]);
  });
});
