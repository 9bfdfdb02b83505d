// A child process for store-lock.test.ts: at the Unix ms argv[4] (a start line shared by every
// child, so they race), takes the store lock of argv[2], says WON (holding it for argv[3] ms, then
// releasing) or LOST with the error's code and the holder's PID, and exits.
import { KeelError } from '../../../src/core/index.ts';
import { acquireStoreLock } from '../../../src/store/store-lock.ts';

const [dir = '', holdMs = '0', startAt = '0'] = process.argv.slice(2);
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now() - 20)));
while (Date.now() < Number(startAt)) {
  // spin to the start line: the children take the lock within a millisecond of each other
}
try {
  const lock = acquireStoreLock(dir, 'lock-child');
  process.stdout.write(`WON ${process.pid} ${lock.tookOverFrom?.pid ?? 'none'}\n`);
  await new Promise((r) => setTimeout(r, Number(holdMs)));
  lock.release();
} catch (e) {
  if (!(e instanceof KeelError)) throw e;
  process.stdout.write(`LOST ${e.code} ${String(e.details['pid'] ?? '')}\n`);
}
