import type { Db } from './db.ts';
import { migrate, type MigrationReport } from './migrate.ts';
import { openDb, type OpenDbOptions } from './open-db.ts';
import { AlertsRepo } from './repos/alerts.ts';
import { AuditLogRepo } from './repos/audit-log.ts';
import { BacktestsRepo } from './repos/backtests.ts';
import { BarsRepo } from './repos/bars.ts';
import { CashLedgerRepo } from './repos/cash-ledger.ts';
import { ConfigVersionsRepo } from './repos/config-versions.ts';
import { CyclesRepo } from './repos/cycles.ts';
import { DecisionsRepo } from './repos/decisions.ts';
import { FillsRepo } from './repos/fills.ts';
import { FundsRepo } from './repos/funds.ts';
import { HedgesRepo } from './repos/hedges.ts';
import { InstrumentsRepo } from './repos/instruments.ts';
import { JournalRepo } from './repos/journal.ts';
import { LedgerRepo } from './repos/ledger.ts';
import { DataQualityRepo, FundamentalsRepo, MacroRepo, MarketRevisionRepo } from './repos/market-extras.ts';
import { NavRepo } from './repos/nav.ts';
import { OrdersRepo } from './repos/orders.ts';
import { OverlayActionsRepo } from './repos/overlay-actions.ts';
import { PositionsRepo } from './repos/positions.ts';
import { RiskActionsRepo } from './repos/risk-actions.ts';
import { RiskRecordsRepo } from './repos/risk-records.ts';
import { ReconciliationsRepo } from './repos/reconciliations.ts';
import { ProposalsRepo, SignalsRepo } from './repos/signals-proposals.ts';
import { UsersRepo } from './repos/users.ts';

/** Every repository over one Db (or one open transaction). */
export interface Repos {
  readonly instruments: InstrumentsRepo;
  readonly bars: BarsRepo;
  readonly fundamentals: FundamentalsRepo;
  readonly macro: MacroRepo;
  readonly dataQuality: DataQualityRepo;
  readonly marketRevision: MarketRevisionRepo;
  readonly users: UsersRepo;
  readonly funds: FundsRepo;
  readonly signals: SignalsRepo;
  readonly proposals: ProposalsRepo;
  readonly cycles: CyclesRepo;
  readonly decisions: DecisionsRepo;
  readonly riskActions: RiskActionsRepo;
  readonly overlayActions: OverlayActionsRepo;
  readonly orders: OrdersRepo;
  readonly fills: FillsRepo;
  readonly positions: PositionsRepo;
  readonly ledger: LedgerRepo;
  readonly reconciliations: ReconciliationsRepo;
  readonly cash: CashLedgerRepo;
  readonly nav: NavRepo;
  readonly risk: RiskRecordsRepo;
  readonly hedges: HedgesRepo;
  readonly alerts: AlertsRepo;
  readonly journal: JournalRepo;
  readonly configVersions: ConfigVersionsRepo;
  readonly backtests: BacktestsRepo;
  readonly audit: AuditLogRepo;
}

/** The store: repositories, the Db under them, and a transaction that hands out repositories. */
export interface Store extends Repos {
  readonly db: Db;
  /** Runs `fn` with repositories bound to one transaction: all its writes commit or none do. */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Builds the repositories over `db` (no migration). */
export function createRepos(db: Db): Repos {
  return {
    instruments: new InstrumentsRepo(db),
    bars: new BarsRepo(db),
    fundamentals: new FundamentalsRepo(db),
    macro: new MacroRepo(db),
    dataQuality: new DataQualityRepo(db),
    marketRevision: new MarketRevisionRepo(db),
    users: new UsersRepo(db),
    funds: new FundsRepo(db),
    signals: new SignalsRepo(db),
    proposals: new ProposalsRepo(db),
    cycles: new CyclesRepo(db),
    decisions: new DecisionsRepo(db),
    riskActions: new RiskActionsRepo(db),
    overlayActions: new OverlayActionsRepo(db),
    orders: new OrdersRepo(db),
    fills: new FillsRepo(db),
    positions: new PositionsRepo(db),
    ledger: new LedgerRepo(db),
    reconciliations: new ReconciliationsRepo(db),
    cash: new CashLedgerRepo(db),
    nav: new NavRepo(db),
    risk: new RiskRecordsRepo(db),
    hedges: new HedgesRepo(db),
    alerts: new AlertsRepo(db),
    journal: new JournalRepo(db),
    configVersions: new ConfigVersionsRepo(db),
    backtests: new BacktestsRepo(db),
    audit: new AuditLogRepo(db),
  };
}

/** Wraps an open (and migrated) Db as a Store. */
export function storeOn(db: Db): Store {
  return {
    ...createRepos(db),
    db,
    transaction: (fn) => db.transaction((tx) => fn(createRepos(tx))),
    close: () => db.close(),
  };
}

export interface OpenStoreOptions extends OpenDbOptions {
  /** Apply pending migrations on open (default true). */
  readonly migrate?: boolean;
}

/**
 * Opens the database that the options/environment select (see `openDb`), applies pending
 * migrations, and returns the Store. `migration` reports what was applied.
 */
export async function openStore(opts: OpenStoreOptions = {}): Promise<Store & { readonly migration: MigrationReport }> {
  const db = await openDb(opts);
  try {
    const migration = opts.migrate === false ? { applied: [], current: 0 } : await migrate(db);
    return { ...storeOn(db), migration };
  } catch (e) {
    await db.close();
    throw e;
  }
}
