// The entry of a backtest worker thread. A worker does not inherit the main thread's TypeScript
// loader (tsx under `keel`, vite under vitest), so it registers tsx itself, then runs the worker.
import { register } from 'tsx/esm/api';

register();
await import('./backtest-worker.ts');
