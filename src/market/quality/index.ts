export * from './quality-score.ts';
export * from './governance.ts';
