/**
 * pms — the portfolio management system. Its pure domain half: the trade proposal workflow
 * (approve / reject / modify / expire, discretionary tickets), the decision journal and its
 * search, the morning pack and its narrative, the risk monitor, attribution, and P&L history —
 * no I/O and no clock reads there: `now` is always passed in (ISO-8601 strings). Its desk
 * (`desk/`) is the thin shell over the store: proposals and journal entries read and written
 * through the repositories, approved proposals executed through the fund's OMS path, expiry
 * sweeps, and the advisory desk the fund runner calls before a cycle. Money in dollars unless a
 * field says cents; weights are fractions; returns simple.
 */

// trade workflow
export {
  PROPOSAL_STATUSES,
  PROPOSAL_TRANSITIONS,
  DISCRETIONARY,
  isTerminalStatus,
  canTransition,
  isAwaitingDecision,
  effectiveTargets,
  effectiveTicket,
  needsReview,
} from './workflow/proposal.ts';
export type { ProposalStatus, ProposalTarget, ProposalTicket, ProposalEvent, ProposalChanges, ProposalReview, TradeProposal } from './workflow/proposal.ts';
export { ACTION_ROLES, approve, reject, modify, cancel, markExecuted, markNotExecuted, markOverlayRejected, withReview, reviewLine, OVERLAY_ACTOR, expireProposals } from './workflow/proposal-actions.ts';
export type { Actor, Modification, Decided, ExpirySweep } from './workflow/proposal-actions.ts';
export type { WorkflowError, ProposalAction } from './workflow/workflow-error.ts';
export { proposalsFromCycle, proposalIdFor } from './workflow/proposals-from-cycle.ts';
export { advisoryGate } from './workflow/advisory-gate.ts';
export type { AdvisoryGate, ApprovedBook } from './workflow/advisory-gate.ts';
export type { FromCycleOptions, FromCycleResult, SkipReason } from './workflow/proposals-from-cycle.ts';
export { proposalTickets } from './workflow/proposal-tickets.ts';
export type { PlannedTicket, ProposalTickets, ProposalTicketsInput } from './workflow/proposal-tickets.ts';
export { DiscretionaryTicket, parseTicket, proposalFromTicket, ticketToAgentProposal } from './workflow/discretionary.ts';
export type { DiscretionaryBookContext } from './workflow/discretionary.ts';

// decision journal
export { JOURNAL_ACTORS, JOURNAL_KINDS, PMS_ROLES, actorOf, journalEntry, linkJournalEntry } from './journal/journal-entry.ts';
export type { JournalActor, JournalKind, PmsRole, JournalLinks, JournalEntry, JournalEntryInput } from './journal/journal-entry.ts';
export { searchJournal, matchesFilters, tokenise } from './journal/journal-search.ts';
export { JOURNAL_KIND_ROLES, recordDecision } from './journal/record-decision.ts';
export type { RecordDecisionError } from './journal/record-decision.ts';
export type { JournalQuery, JournalHit } from './journal/journal-search.ts';

// morning pack
export { buildMorningPack, oneDayPnl, DEFAULT_TOP_SIGNALS, SEVERITY_RANK } from './morning-pack/morning-pack.ts';
export type { MorningPackInput, MorningPack, AgentViewInput, AgentView, MarketSnapshot, TopSignal, AwaitingProposal, RiskSummary } from './morning-pack/morning-pack.ts';
export { templateNarrative, narrativePrompt, narrate } from './morning-pack/narrative.ts';
export type { NarrateOptions, Narrative } from './morning-pack/narrative.ts';
export { fmtNumber, fmtPct, fmtMoney } from './morning-pack/format.ts';

// risk monitor
export { riskMonitor } from './risk/risk-monitor.ts';
export { agentVarContributions } from './risk/agent-var.ts';
export type { AgentVar } from './risk/agent-var.ts';
export type { RiskMonitorInput, RiskMonitorReport, RiskPosition, StressResultInput, RiskMetricName, LimitSpec, VarFigure, VarLevel } from './risk/risk-monitor.ts';
export { utilisation } from './risk/limits.ts';
export type { LimitUtilisation } from './risk/limits.ts';
export { concentration, sectorExposures } from './risk/concentration.ts';
export type { Concentration, SectorExposure } from './risk/concentration.ts';
export { liquidity } from './risk/liquidity.ts';
export { varDrilldown, UNKNOWN_SECTOR } from './risk/var-drilldown.ts';
export type { VarDrilldown, VarDrilldownInput, PositionVar, SectorVar } from './risk/var-drilldown.ts';
export { ticketImpact } from './risk/ticket-impact.ts';
export type { TicketImpact, TicketImpactInput, TicketImpactRow, ImpactTicket } from './risk/ticket-impact.ts';
export { breachLog, RISK_MEASURES } from './risk/breach-log.ts';
export type { Breach, BreachAlert, MeasureLimit, RiskHistoryPoint, RiskMeasure } from './risk/breach-log.ts';
export type { LiquidityHolding, LiquidityOptions, LiquidityReport, NameLiquidity } from './risk/liquidity.ts';

// attribution
export { decomposePnl } from './attribution/pnl-decomposition.ts';
export type { PnlItem, PnlPart, PnlDecomposition } from './attribution/pnl-decomposition.ts';
export { factorAttribution } from './attribution/factor-attribution.ts';
export type { FactorAttributionInput, FactorAttribution, FactorContribution, FactorAttributionError } from './attribution/factor-attribution.ts';
export { brinsonFachler, brinsonHoodBeebower, brinsonSectorsFromHoldings } from './attribution/brinson.ts';
export type { BrinsonSector, BrinsonSectorResult, BrinsonResult, BrinsonError, BrinsonHolding } from './attribution/brinson.ts';
export { linkedBrinson, CASH_SECTOR } from './attribution/linked-brinson.ts';
export type { LinkedBrinson, LinkedBrinsonInput, LinkedBrinsonSector, PortfolioSectorDay, BenchmarkSectorDay } from './attribution/linked-brinson.ts';
export { bookPnl, sumLinesBy } from './attribution/book-pnl.ts';
export type { BookPnl, BookPnlInput, BookLine, BookHolding, BookTrade } from './attribution/book-pnl.ts';
export { nameLoadings, bookExposure } from './attribution/factor-exposures.ts';
export type { NameLoadings, LoadingsError, ValuedHolding, BookExposure } from './attribution/factor-exposures.ts';

// P&L history
export { fundPnlFromNav, pnlHistory } from './history/pnl-history.ts';
export type { NavSnapshot, DailyPnl, DailyFundPnl, PositionSnapshot, PnlHistory } from './history/pnl-history.ts';
export { realisedUnrealised } from './history/realised-unrealised.ts';
export type { PnlSplit, PnlSplitRow } from './history/realised-unrealised.ts';

// desk: the workflow over the store
export { fromStored, loadProposal, listProposals, insertProposal, saveProposal } from './desk/proposal-store.ts';
export { toStoredJournal, fromStoredJournal, addJournalEntry } from './desk/journal-store.ts';
export { executeProposal, approvedTrade, previewReview, recordExpiry } from './desk/execute-proposal.ts';
export type { ExecutionDesk, ProposalExecution } from './desk/execute-proposal.ts';
export { sweepExpired, awaitedDecisions, settleProposals, deskReport, proposalDesk } from './desk/proposal-desk.ts';
export type { AwaitedDecisions, Settlement } from './desk/proposal-desk.ts';

// controls: the use cases the CLI and the API both call (kill switch, agents, config, funds)
export { tripKillSwitch, rearmKillSwitch, rearmAgentDrawdown } from './controls/kill-switch.ts';
export type { ControlDeps, ControlActor, KillSwitchChange, AgentRearm } from './controls/kill-switch.ts';
export { changeFundConfig, pauseAgent, resumeAgent, changeAgentRisk, addAgent, applyConfig, listFunds, createFund, AGENT_RISK_KEYS } from './controls/config-changes.ts';
export type { ConfigChange, AgentChange, FundSummary } from './controls/config-changes.ts';
export { acknowledgeAlert } from './controls/acknowledge-alert.ts';
export type { AlertAcknowledged } from './controls/acknowledge-alert.ts';
