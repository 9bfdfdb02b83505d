/**
 * keel/agents — the public SDK for writing an agent (docs/agents.md "Write your own agent").
 *
 * An agent sees a point-in-time `MarketView` and its own `AgentBook` and returns an
 * `AgentProposal`: signals (μ and σ simple returns over `horizonDays` trading days, confidence in
 * [0, 1]) and a full target book, weights signed fractions of its allocated capital. Contract
 * version: AGENT_CONTRACT_VERSION (semantic; a plug-in declares the major it was written for).
 */
export type { Agent, AgentBook, AgentContext, AgentDrawdown, AgentPosition, AgentReadiness, AgentUniverse } from '../agent.ts';
export { emptyBook, bookFromTargets, inUniverse, isEligible } from '../agent.ts';
export { defineAgent, agentModuleOf } from './module.ts';
export type { AgentModule, LoadedAgentModule } from './module.ts';
export { checkProposal, checkProposalIdentity, CheckedAgent, instantiateAgent, agentForTest } from './contract.ts';
export type { CheckedProposal, ProposalExpectation, TestAgentOptions } from './contract.ts';
export { RankingAgent, RankingParams } from './ranking-agent.ts';
export { trailingReturn, realizedVol, movingAverage, crossSection, zscores, regimeOf } from './features.ts';
export { runAgent, markBook } from './testing.ts';
export type { AgentRun, QuickTearSheet } from './testing.ts';
export { AGENT_CONTRACT_VERSION, AgentProposal, AgentRequest, AgentDataNeeds } from '../../contracts/index.ts';
export type { Regime, RiskDriver, Signal, TargetWeight, AgentRiskNote, AgentRiskParams } from '../../contracts/index.ts';
export type { MarketView, Panel, PriceField } from '../../market/index.ts';
/** The zod Keel validates with, for your `params` schema (the same instance, so no version drift). */
export { z } from 'zod';
