/**
 * market: instruments, bars, the columnar Panel and point-in-time MarketView, the synthetic
 * market, importers, provider adapters, the data router, data quality and symbol governance.
 */
export * from './panel.ts';
export * from './sectors.ts';
export * from './market-view.ts';
export * from './synthetic/index.ts';
export * from './import/index.ts';
export * from './panel-from-bars.ts';
export * from './quality/index.ts';
export * from './sources/index.ts';
export * from './calendar.ts';
export * from './panel-codec.ts';
