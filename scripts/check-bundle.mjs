#!/usr/bin/env node
// Bundle budget for the dashboard: the gzip size of the main JS chunk (the entry of web/dist's
// Vite manifest) must stay under BUDGET_KB. Lazy chunks (ECharts) are reported, not budgeted.
// Usage: npm run build:web && npm run check:bundle   (KEEL_BUNDLE_BUDGET_KB overrides the budget)
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Main chunk budget, KiB gzipped (measured 2026-11-21: 84.9 KiB — React 19 + the app). */
const BUDGET_KB = Number(process.env.KEEL_BUNDLE_BUDGET_KB ?? 110);

const dist = resolve(import.meta.dirname, '..', 'web', 'dist');
const manifestPath = join(dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error(`check-bundle: ${manifestPath} not found — run \`npm run build:web\` first.`);
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const chunks = Object.values(manifest).filter((c) => c.file.endsWith('.js'));
const entry = chunks.find((c) => c.isEntry);
if (!entry) {
  console.error('check-bundle: no entry chunk in the manifest.');
  process.exit(2);
}
const kb = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length / 1024;
const main = kb(entry.file);
for (const c of chunks) console.log(`${c.isEntry ? 'main' : 'lazy'}  ${c.file.padEnd(36)} ${kb(c.file).toFixed(1).padStart(7)} KiB gzip`);
if (main > BUDGET_KB) {
  console.error(`check-bundle: main chunk ${main.toFixed(1)} KiB gzip is over the budget of ${BUDGET_KB} KiB.`);
  process.exit(1);
}
console.log(`check-bundle: main chunk ${main.toFixed(1)} KiB gzip ≤ budget ${BUDGET_KB} KiB.`);
