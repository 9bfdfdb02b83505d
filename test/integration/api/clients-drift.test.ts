/** The committed API clients are what scripts/gen-clients.ts writes from today's OpenAPI document (run `npm run gen:clients`). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateClients } from '../../../scripts/gen-clients.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('generated clients', () => {
  it.each(generateClients().map((f) => [f.path, f.text] as const))('%s is up to date (npm run gen:clients)', (file, text) => {
    expect(readFileSync(path.join(ROOT, file), 'utf8') === text, `${file} differs from the generator's output: run npm run gen:clients`).toBe(true);
  });

  it('has one method per operation (server-sent events excepted)', () => {
    const ts = generateClients()[0]?.text ?? '';
    expect(ts).toContain('async getV1FundsFundIdKillSwitch(args: { fundId: string }): Promise<KillSwitchState>');
    expect(ts).toContain('async postV1FundsFundIdTrades(args: { fundId: string; body: ');
    expect(ts).not.toContain('getV1Events');
  });
});
