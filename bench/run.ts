/**
 * `npm run bench [-- suite ...]`: runs every suite under bench/<area>/index.ts (or the named
 * ones), prints a table and writes bench/results.json.
 */
import { readdirSync, existsSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatTable, runSuite, type BenchResult, type BenchSuite } from './harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const areas = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(here, d.name, 'index.ts')))
  .map((d) => d.name)
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

const results: BenchResult[] = [];
for (const area of areas) {
  const mod = (await import(pathToFileURL(path.join(here, area, 'index.ts')).href)) as { suites: BenchSuite[] };
  for (const suite of mod.suites) {
    process.stderr.write(`running ${suite.name}…\n`);
    results.push(...(await runSuite(suite, (m) => process.stderr.write(`  ${m}\n`))));
  }
}
process.stdout.write(`${formatTable(results)}\n`);

const out = path.join(here, 'results.json');
const previous: { results?: BenchResult[] } = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {};
const merged = new Map<string, BenchResult>();
// A suite that ran replaces all of its previous entries (renamed cases do not linger).
const ran = new Set(results.map((r) => r.suite));
for (const r of previous.results ?? []) if (!ran.has(r.suite)) merged.set(`${r.suite}/${r.name}`, r);
for (const r of results) merged.set(`${r.suite}/${r.name}`, r);
writeFileSync(
  out,
  `${JSON.stringify({ node: process.version, date: new Date().toISOString(), results: [...merged.values()] }, null, 2)}\n`,
);
process.stderr.write(`wrote ${path.relative(process.cwd(), out)}\n`);
