// STYLE.md: a test that writes to the console fails. Code under test logs through injected loggers.
import { afterEach, beforeEach } from 'vitest';

const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
let written: string[] = [];
const originals = new Map<(typeof methods)[number], (...args: unknown[]) => void>();

beforeEach(() => {
  written = [];
  for (const m of methods) {
    originals.set(m, console[m]);
    console[m] = (...args: unknown[]) => {
      written.push(`console.${m}: ${args.map(String).join(' ')}`);
    };
  }
});

afterEach(() => {
  for (const m of methods) {
    const original = originals.get(m);
    if (original) console[m] = original;
  }
  if (written.length > 0) {
    throw new Error(`test wrote to the console:\n${written.slice(0, 5).join('\n')}`);
  }
});
