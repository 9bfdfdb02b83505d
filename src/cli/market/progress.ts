import type { CliIo } from '../output.ts';

/**
 * A coarse progress bar on stderr for long imports: one line per 10% step, drawn only when
 * stderr is a TTY (never in pipes, CI or tests).
 */
export function stepProgress(io: CliIo, label: string): (done: number, total: number) => void {
  let lastStep = -1;
  return (done, total) => {
    if (!io.isTTY || total <= 0) return;
    const step = Math.min(10, Math.floor((done / total) * 10));
    if (step === lastStep) return;
    lastStep = step;
    io.err(`${label.padEnd(10)} [${'#'.repeat(step * 3).padEnd(30, '.')}] ${step * 10}%`);
  };
}
