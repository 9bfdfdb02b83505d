import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerMarketCommands } from '../../../src/cli/market/index.ts';
import { createContext } from '../../../src/cli/context.ts';
import { formatError, type CliIo } from '../../../src/cli/output.ts';
import { FakeAlpacaMarketData } from '../../fakes/alpaca-market-data.ts';
import { marketTape } from '../../fakes/market-tape.ts';

function writeConfig(dir: string, config: unknown): string {
  const file = path.join(dir, 'fund-test.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs `keel market …` in-process against one KEEL_HOME, as src/cli/main.ts does. */
function marketCli(home = mkdtempSync(path.join(os.tmpdir(), 'keel-market-cli-')), isTTY = false, env: Record<string, string> = {}) {
  return {
    home,
    async run(...argv: string[]): Promise<Run> {
      let out = '';
      let err = '';
      const io: CliIo = {
        out: (t) => void (out += t.endsWith('\n') ? t : `${t}\n`),
        err: (t) => void (err += t.endsWith('\n') ? t : `${t}\n`),
        isTTY,
        env: { KEEL_HOME: home, ...env },
        cwd: process.cwd(),
      };
      const ctx = createContext(io);
      const program = new Command('keel').exitOverride().configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
      registerMarketCommands(program, ctx);
      let code = 0;
      try {
        await program.parseAsync(argv, { from: 'user' });
      } catch (e) {
        if (e instanceof CommanderError) code = e.exitCode === 0 ? 0 : 2;
        else {
          io.err(formatError(e));
          code = 1;
        }
      } finally {
        await ctx.close();
      }
      return { code, out, err };
    },
  };
}

describe('keel market (synthetic and small files)', { timeout: 300_000 }, () => {
  it('generates, lists and scores a small synthetic market; generating again adds nothing', async () => {
    const k = marketCli();
    const g = await k.run('market', 'generate', '--symbols', '12', '--years', '1', '--seed', '3', '--json');
    expect(g.code).toBe(0);
    const r = JSON.parse(g.out) as { symbols: number; days: number; bars: { inserted: number }; referenceSeries: string[] };
    // 12 generated names plus the tradable SPY and VXX proxies
    expect(r).toMatchObject({ symbols: 14, days: 252, bars: { inserted: 14 * 252 } });
    expect(r.referenceSeries).toContain('vix');
    const again = JSON.parse((await k.run('market', 'generate', '--symbols', '12', '--years', '1', '--seed', '3', '--json')).out) as { bars: { inserted: number; skipped: number } };
    expect(again.bars).toMatchObject({ inserted: 0, skipped: 14 * 252 });
    const list = JSON.parse((await k.run('market', 'list', '--json')).out) as Array<{ symbol: string; bars: number; sector: string }>;
    expect(list).toHaveLength(14);
    expect(list[0]).toMatchObject({ symbol: 'SPY', bars: 252 });
    expect(list.map((x) => x.symbol)).toContain('VXX');
    expect(list.find((x) => x.symbol === 'SYN001')).toMatchObject({ bars: 252 });
    const q = await k.run('market', 'quality', '--json', '--min-history', '200');
    const rows = JSON.parse(q.out) as Array<{ symbol: string; score: number; state: string }>;
    expect(rows).toHaveLength(14);
    expect(rows.every((x) => x.state === 'ACTIVE' && x.score > 0.6)).toBe(true);
    const text = await k.run('market', 'quality');
    expect(text.out).toMatch(/14 symbols: 0 ACTIVE, 0 DEGRADED, 14 QUARANTINED/); // 252 rows < 1000
  });

  it('has --help on every command', async () => {
    const k = marketCli();
    for (const cmd of ['generate', 'import', 'fetch', 'quality', 'list']) {
      const h = await k.run('market', cmd, '--help');
      expect(h.code).toBe(0);
      expect(h.out).toContain(`Usage: keel market ${cmd}`);
    }
  });

  it('fails with one line and a non-zero code on bad input', async () => {
    const k = marketCli();
    const missing = await k.run('market', 'import', path.join(k.home, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    expect(missing.err).toMatch(/KEEL_E_FILE: .*nope\.csv: no such file/);

    const badCol = path.join(k.home, 'bad.csv');
    writeFileSync(badCol, 'date,open,high,low,close,vol,Name\n2020-01-02,1,1,1,1,1,A\n');
    const col = await k.run('market', 'import', badCol);
    expect(col.code).toBe(1);
    expect(col.err.trim().split('\n')).toHaveLength(1);
    expect(col.err).toMatch(/missing column 'volume'/);

    const badDate = path.join(k.home, 'date.csv');
    writeFileSync(badDate, 'date,open,high,low,close,volume,Name\n2020-13-02,1,1,1,1,1,A\n');
    const d = await k.run('market', 'import', badDate);
    expect(d.code).toBe(1);
    expect(d.err).toMatch(/date\.csv:2:1: date '2020-13-02'/);

    const opt = await k.run('market', 'generate', '--symbols', 'many');
    expect(opt.code).toBe(2);
    expect(opt.err).toMatch(/--symbols must be a whole number/);
    const start = await k.run('market', 'generate', '--start', '2020-02-30');
    expect(start.code).toBe(2);
    const kind = await k.run('market', 'import', badDate, '--kind', 'options');
    expect(kind.code).toBe(2);
  });

  it('imports FRED CSV downloads (--kind macro): ids kept, "." skipped, values as published, released after the publication lag', async () => {
    const k = marketCli();
    const old = path.join(k.home, 'DGS10.csv');
    writeFileSync(old, 'DATE,DGS10\n2024-01-01,.\n2024-01-02,3.95\n2024-01-03,3.91\n');
    const r = JSON.parse((await k.run('market', 'import', old, '--kind', 'macro', '--json')).out) as { series: string[]; inserted: number; report: { counts: { BLANK_VALUE: number } } };
    expect(r).toMatchObject({ series: ['DGS10'], inserted: 2, report: { counts: { BLANK_VALUE: 1 } } });
    const fresh = path.join(k.home, 'fredgraph.csv');
    writeFileSync(fresh, 'observation_date,T10Y2Y,UNRATE\n2023-12-01,,3.7\n2024-01-02,-0.38,\n');
    const two = JSON.parse((await k.run('market', 'import', fresh, '--kind', 'macro', '--json')).out) as { series: string[]; inserted: number };
    expect(two).toMatchObject({ series: ['T10Y2Y', 'UNRATE'], inserted: 2 });
    expect((await k.run('market', 'import', fresh, '--kind', 'macro', '--json')).out).toMatch(/"inserted": 0/);
    const lagged = path.join(k.home, 'CPI.csv');
    writeFileSync(lagged, 'DATE,CPIAUCSL\n2024-01-01,308.4\n');
    await k.run('market', 'import', lagged, '--kind', 'macro', '--release-lag-days', '43');
    const { openStore } = await import('../../../src/store/index.ts');
    const store = await openStore({ home: k.home });
    try {
      const obs = await store.macro.query();
      expect(obs.map((o) => `${o.series} ${o.date} ${o.value} ${o.releaseTime}`)).toEqual([
        'CPIAUCSL 2024-01-01 308.4 2024-02-13T21:00:00.000Z',
        'DGS10 2024-01-02 3.95 2024-01-03T21:00:00.000Z',
        'DGS10 2024-01-03 3.91 2024-01-04T21:00:00.000Z',
        'T10Y2Y 2024-01-02 -0.38 2024-01-03T21:00:00.000Z',
        'UNRATE 2023-12-01 3.7 2024-01-10T21:00:00.000Z', // monthly: about 40 days after the first of its month
      ]);
    } finally {
      await store.close();
    }
    const wrong = await k.run('market', 'import', old, '--kind', 'factors', '--release-lag-days', '3');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/--release-lag-days: applies to --kind macro only/);
  });

  it('market fetch refuses bad ranges and a config without usable providers, in one line', async () => {
    const k = marketCli();
    const range = await k.run('market', 'fetch', '--from', '2024-02-01', '--to', '2024-01-01');
    expect(range.code).toBe(1);
    expect(range.err).toMatch(/--from: 2024-02-01 is after --to 2024-01-01/);
    const keys = await k.run('market', 'fetch', '--from', '2024-01-01', '--to', '2024-01-05');
    expect(keys.code).toBe(1);
    expect(keys.err.trim().split('\n')).toHaveLength(1);
    expect(keys.err).toMatch(/data\.providers: no provider can be used \(alpaca: APCA_API_KEY_ID and APCA_API_SECRET_KEY not set; polygon: POLYGON_API_KEY not set; fred: FRED_API_KEY not set\)/);
    const date = await k.run('market', 'fetch', '--from', '2024-13-01');
    expect(date.code).toBe(2);
    expect(date.err).toMatch(/--from must be a date YYYY-MM-DD/);
  });

  it('market fetch draws its progress on a TTY and ends with the summary per source', async () => {
    const alpaca = new FakeAlpacaMarketData();
    await alpaca.start();
    try {
      const tape = marketTape({ symbols: 250, end: '2024-03-08', days: 3, seed: 1 });
      for (const [sym, bars] of tape.bars) alpaca.addBars(sym, bars);
      const k = marketCli(undefined, true, { APCA_API_KEY_ID: alpaca.keyId, APCA_API_SECRET_KEY: alpaca.secret, APCA_API_DATA_URL: alpaca.url });
      const r = await k.run('market', 'fetch', '--from', '2024-03-06', '--to', '2024-03-08', '--symbols', tape.symbols.join(','), '--config', writeConfig(k.home, { fund: {}, data: { providers: ['alpaca'] } }));
      expect(r.code, r.err).toBe(0);
      expect(r.err).toMatch(/fetching +\[#{12}\.+\] 40%/); // after the first chunk of 100 of 250 (no FRED: no macro series)
      expect(r.err).toMatch(/fetching +\[#{30}\] 100%/);
      expect(r.out).toMatch(/alpaca\s+750\s+0\s+0\s+0/);
      expect(r.out).toContain('new instruments: TKR001');
    } finally {
      await alpaca.stop();
    }
  });

  it('draws a progress bar on stderr only when it is a TTY', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'keel-tty-')), 'p.csv');
    writeFileSync(file, 'date,open,high,low,close,volume,Name\n2020-01-02,1,2,0.5,1.5,10,A\n');
    const tty = await marketCli(undefined, true).run('market', 'import', file, '--json');
    expect(tty.err).toMatch(/reading +\[#+\] 100%/);
    expect(tty.err).toMatch(/loading +\[#+\] 100%/);
    expect(JSON.parse(tty.out)).toMatchObject({ symbols: 1 });
    const pipe = await marketCli().run('market', 'import', file, '--json');
    expect(pipe.err).toBe('');
  });

  it('imports per-symbol, index and factor files', async () => {
    const k = marketCli();
    const yahoo = path.join(k.home, 'AAPL.csv');
    writeFileSync(yahoo, 'Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,100,102,99,101,100,10\n2020-01-03,101,103,100,102,101,12\n');
    const y = JSON.parse((await k.run('market', 'import', yahoo, '--json')).out) as { symbols: number; bars: { inserted: number } };
    expect(y).toMatchObject({ symbols: 1, bars: { inserted: 2 } });
    const vix = path.join(k.home, 'vix.csv');
    writeFileSync(vix, 'date,open,high,low,close\n2020-01-02,13,14,12.5,13.5\n');
    await k.run('market', 'import', vix, '--kind', 'vix');
    const ff = path.join(k.home, 'ff.csv');
    writeFileSync(ff, 'date,mkt_rf,smb\n2020-01-02,0.5,-0.1\n');
    const f = JSON.parse((await k.run('market', 'import', ff, '--kind', 'factors', '--json')).out) as { series: string[]; inserted: number };
    expect(f).toMatchObject({ series: ['mkt_rf', 'smb'], inserted: 2 });
    const list = JSON.parse((await k.run('market', 'list', '--json')).out) as Array<{ symbol: string; assetClass: string }>;
    expect(list.map((i) => `${i.symbol}:${i.assetClass}`)).toEqual(['AAPL:equity', 'VIX:volatility_index']);
    const q = JSON.parse((await k.run('market', 'quality', '--json')).out) as Array<{ symbol: string }>;
    expect(q.map((x) => x.symbol)).toEqual(['AAPL']); // the volatility index is not governed as a stock
  });
});

const data = path.resolve(process.cwd(), '../shared/data');
describe.skipIf(!existsSync(path.join(data, 'sp500_5yr_daily.csv.gz')))('keel market on the real 5-year file (skipped when ../shared/data is absent)', () => {
  it('loads all 619,040 bars with sectors, scores 505 symbols, and a second import changes nothing', async () => {
    const k = marketCli();
    const args = ['market', 'import', path.join(data, 'sp500_5yr_daily.csv.gz'), '--sectors', path.join(data, 'sp500_5yr_sectors.csv'), '--json'];
    const first = await k.run(...args);
    expect(first.code).toBe(0);
    const r1 = JSON.parse(first.out) as { symbols: number; sectorsMapped: number; bars: { total: number; inserted: number }; report: { counts: Record<string, number> } };
    expect(r1).toMatchObject({ symbols: 505, sectorsMapped: 505, bars: { total: 619_040, inserted: 619_040 } });
    expect(r1.report.counts).toMatchObject({ BLANK_FIELD: 11, ZERO_VOLUME: 4, OHLC_INCONSISTENT: 12 });
    const q = JSON.parse((await k.run('market', 'quality', '--json')).out) as Array<{ symbol: string; score: number; state: string }>;
    expect(q).toHaveLength(505);
    expect(q.every((x) => typeof x.score === 'number' && ['ACTIVE', 'DEGRADED', 'QUARANTINED'].includes(x.state))).toBe(true);
    const second = JSON.parse((await k.run(...args)).out) as { bars: { inserted: number; skipped: number } };
    expect(second.bars).toEqual({ total: 619_040, inserted: 0, skipped: 619_040 });
    const list = JSON.parse((await k.run('market', 'list', '--json')).out) as Array<{ symbol: string; bars: number; sector: string }>;
    expect(list).toHaveLength(505);
    expect(list.reduce((s, i) => s + i.bars, 0)).toBe(619_040);
    expect(list.find((i) => i.symbol === 'AAL')?.sector).toBe('Industrials');
  }, 600_000);
});
