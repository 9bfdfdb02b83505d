/** The Keel design system: tokens, formatting and components. */
export * from './tokens.ts';
export * from './format.ts';
export { Card, Grid, PageHead } from './card.tsx';
export { Stat, Stats } from './stat.tsx';
export { Badge, StatusBadge } from './badge.tsx';
export { ProgressBar } from './progress-bar.tsx';
export { Tabs } from './tabs.tsx';
export { Button } from './button.tsx';
export { ConfirmDialog } from './confirm-dialog.tsx';
export { Loading, EmptyState, ErrorState } from './states.tsx';
export { Table, type Column } from './table.tsx';
export { DataTable } from './data-table.tsx';
export type { CellValue, Sort } from './table-model.ts';
export { Async } from './async.tsx';
