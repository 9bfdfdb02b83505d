/**
 * contracts: zod schemas and inferred types for every message and record that crosses a
 * boundary. Every message carries `version`; those that travel carry a `traceId`.
 */
export * from './common.ts';
export * from './market.ts';
export * from './signal.ts';
export * from './strategy.ts';
export * from './proposal.ts';
export * from './proposal-workflow.ts';
export * from './overlay.ts';
export * from './reason-codes.ts';
export * from './order.ts';
export * from './decision-record.ts';
export * from './alert.ts';
export * from './fund-config.ts';
export { parseFundConfigInput } from './config-input.ts';
export { DEFAULT_DERIVED_LIMITS, IMPLIED_VOL_MULTIPLE } from './risk-coherence.ts';
export * from './agent-remote.ts';
export * from './agent-request.ts';
export * from './agent-worker.ts';
export * from './default-roster.ts';
