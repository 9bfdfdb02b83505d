import type { RosterAgent } from '../../agents/index.ts';
import type { EventBus } from '../../bus/index.ts';
import type { FundConfig } from '../../contracts/index.ts';
import type { Clock, IdSource, Logger } from '../../core/index.ts';
import type { TradingState } from '../../contracts/index.ts';
import type { Broker, Oms } from '../../execution/index.ts';
import type { FundState, OverlayCheck, Workspace } from '../../overlay/index.ts';
import type { AlertManager } from '../alerts/alert-manager.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { FundMetrics } from '../observability/metrics.ts';
import type { MonthAnchor } from './books.ts';
import type { FillTapJournal } from './fill-tap.ts';
import type { GateResult } from './gates.ts';
import type { StopLevel } from './stops.ts';
import type { FundReview } from '../../overlay/index.ts';
import type { AgentProposal } from '../../contracts/index.ts';

export type CycleMode = 'backtest' | 'paper' | 'live';

/** What a cycle is wired to (built once by the composition root; only clock, source and broker differ by mode). */
export interface CycleServices {
  readonly config: FundConfig;
  readonly configHash: string;
  readonly agents: readonly RosterAgent[];
  readonly broker: Broker;
  readonly oms: Oms;
  readonly journal: FillTapJournal;
  readonly alerts: AlertManager;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly logger: Logger;
  readonly metrics: FundMetrics | null;
  readonly mode: CycleMode;
  /** Prefix of cycle ids (a backtest id, or the fund id for live). */
  readonly runId: string;
  /** The trading state and fund NAV (dollars) the OMS checks against, set by the cycle before each submission batch. */
  readonly omsState: { current: TradingState; nav: number };
  /** The overlay's checks; default every check (`DEFAULT_CHECKS`). A backtest comparison runs with some switched off. */
  readonly overlayChecks?: readonly OverlayCheck[];
  /** The overlay's work arrays, kept from one cycle's review to the next (absent: each review makes its own). */
  readonly workspace?: Workspace;
  /** Governance gates checked after the review and before any order (live: signals, risk); a failure sends nothing. */
  readonly gate?: (review: FundReview, proposals: readonly AgentProposal[]) => GateResult[];
  /** Keep each cycle's decision inputs (fund state, ledger) for replay. */
  captureInputs: boolean;
  /** Data quality score per symbol, for decision records. */
  readonly quality: ReadonlyMap<string, number>;
}

/** What carries over from one cycle to the next (persisted by the shell between live cycles). */
export interface FundRunState {
  ledger: Ledger;
  fund: FundState;
  anchor: MonthAnchor;
  /** Date of the last completed cycle (a second cycle the same day does not add a return). */
  lastAsOf: string | null;
  /** ATR stop and take-profit levels of held positions (`risk.atrStops`); absent when no agent ever asked for stops. */
  stops?: StopLevel[];
}
