/** core: ids, clocks, seeded randomness, typed errors, the normal distribution and small utilities. Imports nothing else. */
export * from './errors.ts';
export * from './assert.ts';
export * from './result.ts';
export * from './units.ts';
export * from './clock.ts';
export * from './dates.ts';
export * from './rng.ts';
export * from './canonical-json.ts';
export * from './ids.ts';
export * from './text.ts';
export * from './logger.ts';
export { erfc, logGamma, normalCdf, normalCvarMultiple, normalPdf, normalQuantile } from './special.ts';
export { LoopSlicer } from './loop-slicer.ts';
