import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main.ts';
import type { CliIo } from '../../../src/cli/output.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process against a fresh KEEL_HOME, capturing its output. */
export function cliHome(): { home: string; run(...argv: string[]): Promise<CliRun> } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'keel-cli-'));
  return {
    home,
    async run(...argv: string[]) {
      let out = '';
      let err = '';
      const io: CliIo = {
        out: (t) => void (out += t.endsWith('\n') ? t : `${t}\n`),
        err: (t) => void (err += t.endsWith('\n') ? t : `${t}\n`),
        isTTY: false,
        env: { KEEL_HOME: home, PATH: process.env.PATH },
        cwd: process.cwd(),
      };
      const code = await main(argv, io);
      return { code, out, err };
    },
  };
}
