/**
 * store: persistence. One `Db` seam over PGlite (embedded default, under KEEL_HOME or ./.keel)
 * and PostgreSQL (DATABASE_URL), numbered SQL migrations, one repository per concept, the
 * idempotent bulk bar loader and the audit hash chain. Numbers come back as numbers (NUMERIC
 * as float64), dates as `YYYY-MM-DD`, times as ISO-8601 UTC strings, on both drivers.
 */
export type { Db, QueryResult, CopyInput } from './db.ts';
export { quoteIdent, sqlLiteral } from './db.ts';
export { openDb, pgliteDataDir, type OpenDbOptions } from './open-db.ts';
export { migrate, loadMigrations, type Migration, type MigrationReport } from './migrate.ts';
export { openStore, storeOn, createRepos, type Store, type Repos, type OpenStoreOptions } from './store.ts';
export { bulkLoadBars, type BarRow, type BulkLoadOptions, type BulkLoadReport } from './repos/bar-loader.ts';
export { BarsRepo, type BarQuery, type BarStats } from './repos/bars.ts';
export { InstrumentsRepo } from './repos/instruments.ts';
export { FundamentalsRepo, MacroRepo, DataQualityRepo, MarketRevisionRepo, type MarketRevision } from './repos/market-extras.ts';
export { OrdersRepo, OPEN_ORDER_STATUSES, type OrderEvent, type OrderTransition, type FundOrderFilter } from './repos/orders.ts';
export { FillsRepo, type FundFillFilter, type FillKind, type FillMeta, type BookedFill, type ReplayFill } from './repos/fills.ts';
export { LedgerRepo, type StoredLedger, type StoredBook, type StoredHolding } from './repos/ledger.ts';
export { ReconciliationsRepo, type ReconciliationRow } from './repos/reconciliations.ts';
export { PositionsRepo } from './repos/positions.ts';
export { CashLedgerRepo, type CashEntry } from './repos/cash-ledger.ts';
export { NavRepo, type NavPoint } from './repos/nav.ts';
export { DecisionsRepo } from './repos/decisions.ts';
export { RiskActionsRepo } from './repos/risk-actions.ts';
export { OverlayActionsRepo } from './repos/overlay-actions.ts';
export { HedgesRepo, type FundHedgeRow } from './repos/hedges.ts';
export { RiskRecordsRepo, type RiskSeriesRow, type RiskSnapshot, type StressResult, type Briefing } from './repos/risk-records.ts';
export { AlertsRepo, type AlertAcknowledgement, type StoredAlert } from './repos/alerts.ts';
export { JournalRepo, type JournalEntry } from './repos/journal.ts';
export { ConfigVersionsRepo, type ConfigVersion } from './repos/config-versions.ts';
export { CyclesRepo, type CycleRun, type CycleStatus } from './repos/cycles.ts';
export { BacktestsRepo, type BacktestRun, type BacktestStatus } from './repos/backtests.ts';
export { UsersRepo, hashApiKey, type User } from './repos/users.ts';
export { FundsRepo, type FundRow, type AgentRow } from './repos/funds.ts';
export { SignalsRepo, ProposalsRepo, type StoredProposal, type NewProposal, type ProposalUpdate } from './repos/signals-proposals.ts';
export {
  AuditLogRepo,
  auditHash,
  GENESIS_HASH,
  type AuditEntry,
  type AuditRow,
  type AuditVerification,
} from './repos/audit-log.ts';
