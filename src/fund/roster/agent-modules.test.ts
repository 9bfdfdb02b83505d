/**
 * Bad plug-in and remote agent configs are refused with the field and the fix: a module that is
 * not there, one without a usable default export, an edited module under a recorded config, and a
 * remote endpoint that is not a URL or a subject. A good module is resolved, hashed and declared.
 */
import { mkdtempSync, symlinkSync, writeFileSync, mkdirSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configHash, parseFundConfig } from '../../contracts/index.ts';
import { loadRoster, resolveAgentModules } from '../index.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function userDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keel-mod-'));
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(ROOT, path.join(dir, 'node_modules', 'keel'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
  return dir;
}

const fundWith = (agent: Record<string, unknown>) => parseFundConfig({ fund: { totalCapital: 10_000_000 }, agents: [{ id: 'mine', allocatedCapital: 1_000_000, ...agent }] });

const GOOD = `import { defineAgent } from 'keel/agents';
export default defineAgent({
  contract: '1',
  bucket: 'market_neutral',
  riskDrivers: ['market_neutral'],
  create: (ctx) => ({ id: ctx.id, strategy: 'custom', riskDrivers: ctx.riskDrivers, bucket: ctx.bucket,
    propose: (view, book) => ({ version: 1, traceId: book.traceId, cycleId: book.cycleId, agentId: ctx.id, strategy: 'custom', asOf: view.asOf, signals: [], targets: [], agentRisk: [], reasoning: '' }) }),
});
`;

describe('plug-in agent modules in the fund config', () => {
  it('resolves a module against the config folder, records its sha256 and its declared bucket and drivers', async () => {
    const dir = userDir();
    writeFileSync(path.join(dir, 'mine.ts'), GOOD);
    const resolved = await resolveAgentModules(fundWith({ module: './mine.ts' }), dir);
    const a = resolved.agents[0];
    expect(a).toMatchObject({ strategy: 'custom', module: path.join(dir, 'mine.ts'), bucket: 'market_neutral', riskDrivers: ['market_neutral'] });
    expect(a?.moduleSha256).toMatch(/^[0-9a-f]{64}$/);
    const roster = await loadRoster(resolved);
    expect(roster.map((r) => [r.id, r.bucket, r.strategy])).toEqual([['mine', 'market_neutral', 'custom']]);
    // the config hash covers the code: an edit gives another hash, and the recorded config refuses to load it
    appendFileSync(path.join(dir, 'mine.ts'), '// v2\n');
    const again = await resolveAgentModules(fundWith({ module: './mine.ts' }), dir);
    expect(configHash(again)).not.toBe(configHash(resolved));
    await expect(loadRoster(resolved)).rejects.toThrow(/agents\.mine\.module: .*mine\.ts changed since the config was recorded .*keel config apply/);
  });

  it('names the field and the fix for a module that is missing or is not an agent', async () => {
    const dir = userDir();
    await expect(resolveAgentModules(fundWith({ module: './nope.ts' }), dir)).rejects.toThrow(/agents\[0\]\.module: '\.\/nope\.ts' not found \(resolved against the config file's folder .*keel agent new/);
    writeFileSync(path.join(dir, 'named.ts'), 'export const agent = 1;\n');
    await expect(resolveAgentModules(fundWith({ module: './named.ts' }), dir)).rejects.toThrow(/agents\[0\]\.module: .*named\.ts: the module has no default export; export one of: export default defineAgent/);
    writeFileSync(path.join(dir, 'old.ts'), GOOD.replace("contract: '1'", "contract: '0.9'"));
    await expect(resolveAgentModules(fundWith({ module: './old.ts' }), dir)).rejects.toThrow(/written for agent contract 0\.9; this Keel implements 1\.1\.0/);
    writeFileSync(path.join(dir, 'badbucket.ts'), GOOD.replace("bucket: 'market_neutral'", "bucket: 'nowhere'"));
    await expect(resolveAgentModules(fundWith({ module: './badbucket.ts' }), dir)).rejects.toThrow(/agents\[0\]\.bucket conflicts with buckets: bucket 'nowhere' is not defined/);
    await expect(loadRoster(fundWith({ module: './mine.ts' }))).rejects.toThrow(/agents\.mine\.module: '\.\/mine\.ts' is not resolved; read the config through keel/);
  });

  it('names the field and the fix for an agent that is none or two of strategy, module and remote, and for a bad remote endpoint', () => {
    expect(() => fundWith({})).toThrow(/agents\[0\]\.strategy: an agent needs a built-in strategy \(momentum, .*\), a module .* or remote/);
    expect(() => fundWith({ strategy: 'momentum', module: './x.ts' })).toThrow(/agents\[0\]\.strategy: an agent is one of a built-in strategy, a module or a remote agent/);
    expect(() => fundWith({ remote: { http: 'localhost:9400' } })).toThrow(/agents\[0\]\.remote\.http: 'localhost:9400' is not an http\(s\) URL; .*http:\/\/127\.0\.0\.1:9400\/propose/);
    expect(() => fundWith({ remote: { nats: 'keel agents' } })).toThrow(/agents\[0\]\.remote\.nats: 'keel agents' is not a NATS subject/);
    expect(() => fundWith({ remote: {} })).toThrow(/agents\[0\]\.remote\.http: a remote agent has exactly one of http .* or nats/);
  });
});
