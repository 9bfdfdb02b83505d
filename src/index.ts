/** Keel's package face: each area's public API as a namespace (`import { quant } from 'keel'`). */
export * as core from './core/index.ts';
export * as contracts from './contracts/index.ts';
export * as quant from './quant/index.ts';
export * as market from './market/index.ts';
export * as agents from './agents/index.ts';
export * as overlay from './overlay/index.ts';
export * as execution from './execution/index.ts';
export * as fund from './fund/index.ts';
export * as pms from './pms/index.ts';
export * as store from './store/index.ts';
export * as bus from './bus/index.ts';
