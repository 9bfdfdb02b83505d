/**
 * Response shapes of the Keel HTTP API v1 (docs/api.md "Response schemas"): inferred from the zod
 * schemas the server declares and checks its answers with (src/api/responses). Types only: no zod
 * reaches the dashboard's bundle.
 */
import type { z } from 'zod';
import type * as R from '../../../src/api/responses/index.ts';
import type { AgentDetailResponse } from '../../../src/api/routes/agent-detail.ts';

export type Role = z.output<typeof R.Role>;
export type User = z.output<typeof R.User>;

export type Fund = z.output<typeof R.Fund>;
export type Nav = z.output<typeof R.Nav>;
export type FundDetail = z.output<typeof R.FundDetail>;
export type Agent = z.output<typeof R.Agent>;
/** An agent of GET /agents: with its book's latest NAV (the capital the allocation left it) and date. */
export type AgentWithNav = z.output<typeof R.AgentsAnswer>['agents'][number];

export type Position = z.output<typeof R.Position>;
/** Position totals: `gross` is Σ over names of |net value across the books shown| (the gross limit's); `booksGross` Σ of each book's |value|; `realizedPnl` every line's, open and closed, from the stored fills. */
export type Totals = z.output<typeof R.Totals>;
export type NamePosition = z.output<typeof R.NamePosition>;

export type Tca = z.output<typeof R.Tca>;
/** An order of the blotter, with its TCA. */
export type Order = z.output<typeof R.OrderWithTca>;
export type Fill = z.output<typeof R.Fill>;

/** The overlay's review of a modified book or a ticket: a preview on a MODIFIED step, the binding one on the step that executed (or rejected) it. */
export type ProposalReview = z.output<typeof R.ProposalReview>;
/** Why an approved proposal traded nothing, per name (symbol null: the whole proposal). */
export type ExecutionShortfall = z.output<typeof R.ExecutionShortfall>;
export type ProposalEvent = z.output<typeof R.ProposalEvent>;
export type Proposal = z.output<typeof R.Proposal>;

/** A journal entry; search hits carry their score. */
export type JournalEntry = z.output<typeof R.JournalEntry> & { score?: number };

export type Reason = z.output<typeof R.Reason>;
export type OverlayDecision = z.output<typeof R.OverlayDecision>;

export type VarFigure = z.output<typeof R.VarFigure>;
export type VarLevel = z.output<typeof R.VarLevel>;
export type LimitUtilisation = z.output<typeof R.LimitUtilisation>;
export type RiskReport = z.output<typeof R.RiskReport>;
/** One row of GET /funds/:id/hedges: the fund hedge book's target in a cycle (shares signed, dollars at `price`). */
export type HedgeRow = z.output<typeof R.HedgeRow>;
/** One reallocation of GET /funds/:id/allocation: a cycle that moved capital between the agents (`rebalanced`: on schedule; else an unready agent's capital to the others). */
export type AllocationRow = z.output<typeof R.AllocationRow>;
/** A stored stress result: `details.book` 'target' (a cycle's, the book its orders aim at) or 'held' (a run from the Risk Monitor), `details.runAt` when it ran. */
export type StressRow = z.output<typeof R.StressRow>;
/** GET /risk/scenarios: each scenario's definition. */
export type ScenarioDefs = z.output<typeof R.ScenarioDefs>;
/** GET /funds/:id/risk-budgets: the overlay's own budget measure from its last cycle (dollars). */
export type RiskBudgets = z.output<typeof R.RiskBudgets>;

export type MorningPack = z.output<typeof R.MorningPack>;
/** GET …/alerts: the fund's own alerts with who acknowledged each and when (null: not yet). */
export type AlertsAnswer = z.output<typeof R.AlertsAnswer>;
/** POST …/alerts/:alertId/acknowledge. */
export type AlertAcknowledged = z.output<typeof R.AlertAcknowledgedAnswer>;

export type TearSheet = z.output<typeof R.TearSheet>;
/** What each overlay rule removed from the proposals, per day on average (docs/overlay.md "Binding constraints"). */
export type BindingSummary = z.output<typeof R.BindingSummary>;
export type NavStats = z.output<typeof R.NavStats>;
export type CompareSide = z.output<typeof R.CompareSide>;
export type Kept = z.output<typeof R.Kept>;
/** The backtest beside the same backtest with some overlay rules off (keel backtest --compare overlay-off). */
export type BacktestComparison = z.output<typeof R.BacktestComparison>;
export type BacktestResults = z.output<typeof R.BacktestResults>;
export type BacktestRow = z.output<typeof R.BacktestRow>;
export type Backtest = z.output<typeof R.Backtest>;

/** `GET …/agents/:agentId`: dollars; weights and …Pct are fractions of `capital.value`. */
export type AgentDetail = z.output<typeof AgentDetailResponse>;
export type AgentExposure = AgentDetail['exposures']['bySector'][number];
export type PnlSeries = NonNullable<AgentDetail['pnl']['live']>;

// The risk views and the ticket impact (issue 17): the API's own response schemas, type-only.
export type { RiskHistoryResponse, RiskAsOfResponse } from '../../../src/api/routes/risk-history.ts';
export type { VarDrilldownResponse } from '../../../src/api/routes/risk-drilldown.ts';
export type { ProposalImpactResponse } from '../../../src/api/routes/proposal-impact.ts';
