export * from './regimes.ts';
export * from './universe.ts';
export * from './generate.ts';
export * from './synthetic-panel.ts';
export * from './proxies.ts';
