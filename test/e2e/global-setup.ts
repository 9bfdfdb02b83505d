import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { ROOT, SHOTS } from './kit.ts';

/**
 * Once before every e2e file: builds the dashboard they all serve (unless KEEL_E2E_NO_BUILD=1,
 * for a build already made) and makes the screenshots folder. Each file built it again before.
 */
// eslint-disable-next-line no-restricted-syntax -- vitest calls a global setup's default export
export default function setup(): void {
  if (process.env['KEEL_E2E_NO_BUILD'] !== '1') execFileSync('npm', ['run', '-s', 'build:web'], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NODE_ENV: 'production' } });
  mkdirSync(SHOTS, { recursive: true });
}
