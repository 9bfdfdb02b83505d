/**
 * The kernel is the one composition root and reads the environment once (issue 14):
 * - no source file outside src/fund/kernel builds a broker, a bus or a market source;
 * - every environment variable the code reads is in the table (ENV_VARS), read only by `readEnv`,
 *   and the table has no variable that nothing reads;
 * - docs/operations.md prints the same table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARS, readEnv } from '../index.ts';

const SRC = path.resolve(import.meta.dirname, '../..');
const ROOT = path.resolve(SRC, '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const rel = (p: string): string => path.relative(ROOT, p);
const files = sources(SRC).map((p) => ({ path: rel(p), text: readFileSync(p, 'utf8') }));
const KERNEL = 'src/fund/kernel/';

describe('one composition root', () => {
  it('only the kernel builds brokers, buses and market sources', () => {
    const built = /new\s+(PaperBroker|AlpacaBroker|InProcessBus|NatsBus|DataRouter|MappedSource|AlpacaMarketSource|PolygonMarketSource|FredMacroSource|FileMarketSource|SyntheticMarketSource)\s*\(|NatsBus\.connect\s*\(|buildMarketDataSources\s*\(/g;
    // The factories the kernel calls: NatsBus.connect builds its own instance, buildMarketDataSources the
    // router; DataRouter.except narrows a router the kernel built.
    const factories: Record<string, string> = { 'src/bus/nats-bus.ts': 'new NatsBus(', 'src/market/sources/market-data-sources.ts': '', 'src/market/sources/data-router.ts': 'new DataRouter(' };
    const outside: string[] = [];
    for (const f of files) {
      if (f.path.startsWith(KERNEL)) continue;
      for (const m of f.text.matchAll(built)) {
        const allowed = factories[f.path];
        if (allowed !== undefined && (allowed === '' || m[0].replace(/\s+/g, ' ') === allowed)) continue;
        outside.push(`${f.path}: ${m[0]}`);
      }
    }
    expect(outside).toEqual([]);
  });
});

describe('one table of environment variables', () => {
  const names = new Set(ENV_VARS.map((v) => v.name));

  it('process.env is read only where the CLI hands the environment to the kernel', () => {
    const readers = files.filter((f) => /process\.env\b/.test(f.text)).map((f) => f.path);
    expect(readers).toEqual(['src/cli/output.ts']);
  });

  it('every variable named in code is in the table and read only by readEnv', () => {
    const read = /\benv\s*(?:\.\s*([A-Z][A-Z0-9_]{2,})|\[\s*['"]([A-Z][A-Z0-9_]{2,})['"]\s*\])/g;
    const found: string[] = [];
    for (const f of files) for (const m of f.text.matchAll(read)) found.push(`${f.path}: ${m[1] ?? m[2]}`);
    expect(found).toEqual([]);
    const env = files.find((f) => f.path === `${KERNEL}env.ts`)?.text ?? '';
    const readByReadEnv = new Set([...env.matchAll(/\b(?:get|number|url|flag)\(env, '([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]));
    expect([...readByReadEnv].filter((n) => n !== undefined && !names.has(n))).toEqual([]);
    expect([...names].filter((n) => !readByReadEnv.has(n))).toEqual([]);
  });

  it('a bad value fails naming the variable', () => {
    expect(() => readEnv({ HEARTBEAT_INTERVAL: 'soon' }, '/')).toThrow(/^HEARTBEAT_INTERVAL: must be a whole number/);
    expect(() => readEnv({ NATS_URL: 'http://x' }, '/')).toThrow(/^NATS_URL: /);
    expect(() => readEnv({ MONITOR_NOTIFY_LEVEL: 'LOUD' }, '/')).toThrow(/^MONITOR_NOTIFY_LEVEL: /);
    expect(readEnv({ KEEL_HOME: 'h', APCA_API_KEY_ID: '' }, '/w')).toMatchObject({ home: '/w/h', alpaca: { keyId: null } });
  });

  it('docs/operations.md prints the same table', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (.*) \| (.*) \| (.*) \|$/gm)].map((m) => ({ name: m[1], meaning: m[2], default: m[3], readBy: m[4] }));
    const cell = (s: string): string => (s === '' ? '—' : s.replaceAll('|', '\\|'));
    expect(rows).toEqual(ENV_VARS.map((v) => ({ name: v.name, meaning: cell(v.meaning), default: cell(v.default), readBy: cell(v.readBy) })));
  });
});
