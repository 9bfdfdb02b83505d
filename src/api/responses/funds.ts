import { z } from 'zod';
import { AgentState, id, isoDate, TradingState } from '../../contracts/index.ts';
import { JournalEntry } from './journal.ts';

/** A fund row. Money in dollars. */
export const Fund = z.object({
  id, name: z.string(), baseCurrency: z.string(), initialCapital: z.number(),
  tradingState: TradingState, drawdownState: z.string(), highWaterMark: z.number().nullable(), hwmDate: isoDate.nullable(), configHash: z.string().nullable(),
});
/** A fund in the list, with its config's summary (null when it has no stored config). */
export const FundSummary = Fund.extend({
  mode: z.string().nullable(), broker: z.string().nullable(), totalCapital: z.number().nullable(), agents: z.number().int().nullable(),
  pausedAgents: z.array(z.string()), approved: z.boolean(),
});
export const FundsAnswer = z.object({ funds: z.array(FundSummary) });

/** End-of-day NAV of a fund (`agentId` '') or an agent's book; dollars; drawdown ≤ 0 fraction. */
export const Nav = z.object({
  fundId: z.string(), agentId: z.string(), date: isoDate, nav: z.number(), cash: z.number(), grossExposure: z.number(), netExposure: z.number(),
  highWaterMark: z.number(), dailyReturn: z.number().nullable(), drawdown: z.number(),
});
export const FundDetail = z.object({ fund: Fund, nav: Nav.nullable(), agentCount: z.number().int().min(0) });
export const FundCreated = z.object({ fund: Fund, config: z.object({ to: z.string(), approved: z.boolean() }) });

/** An agent's persistent state in a fund. */
export const Agent = z.object({
  fundId: z.string(), id, strategy: z.string(), bucket: z.string(), riskDrivers: z.array(z.string()), allocatedCapital: z.number(),
  riskParams: z.record(z.string(), z.unknown()), drawdownState: AgentState, highWaterMark: z.number().nullable(), hwmDate: isoDate.nullable(),
  isEnabled: z.boolean(), metrics: z.record(z.string(), z.unknown()),
});
/**
 * The fund's agents, each with its book's latest stored NAV and its date (null before its first
 * cycle): the capital the allocation left it, where `allocatedCapital` is the configured one.
 */
export const AgentsAnswer = z.object({ agents: z.array(Agent.extend({ nav: z.number().nullable(), navDate: isoDate.nullable() })) });
/** An agent control's answer: the agent as the next cycle sees it and the config versions (hashes) it moved between. */
export const AgentChanged = z.object({
  agent: Agent,
  config: z.object({ from: z.string().nullable(), to: z.string(), approved: z.boolean(), changes: z.array(z.string()) }),
});

/** The kill switch's state and its last trip or re-arm. */
export const KillSwitchState = z.object({ tradingState: TradingState, lastEvent: JournalEntry.nullable() });
/** What a trip or re-arm did (`killSwitchFile`: the fund's file was written or removed). */
/** An agent its drawdown ladder paused, re-armed: the next cycle starts its recovery once the cooldown has passed. */
export const AgentRearmed = z.object({ fundId: id, agentId: id, drawdownState: AgentState, journalEntry: JournalEntry, auditHash: z.string() });
export const KillSwitchChanged = z.object({
  tradingState: TradingState, from: TradingState, journalEntry: JournalEntry, auditHash: z.string(), killSwitchFile: z.boolean(), sharedKillSwitch: z.boolean(),
});
