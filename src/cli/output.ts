import { KeelError } from '../core/index.ts';

/** Where CLI commands write. Injected so tests can capture output without touching the console. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export function processIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** One line a user can act on: `error KEEL_E_FILE: data.csv: no such file`. */
export function formatError(e: unknown): string {
  if (e instanceof KeelError) return `error ${e.code}: ${e.message}`;
  if (e instanceof Error) return `error: ${e.message}`;
  return `error: ${String(e)}`;
}

/** Prints JSON (with --json) or a human text. */
export function emit(io: CliIo, json: boolean, value: unknown, text: () => string): void {
  io.out(json ? JSON.stringify(value, null, 2) : text());
}

/** A fixed-width text table. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** A progress bar on stderr, drawn only on a TTY; silent otherwise. */
export function progressBar(io: CliIo, label: string): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    if (!io.isTTY || total <= 0) return;
    const pct = Math.min(100, Math.floor((done / total) * 100));
    if (pct === last) return;
    last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    io.err(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}%${pct === 100 ? '' : ''}`);
  };
}
