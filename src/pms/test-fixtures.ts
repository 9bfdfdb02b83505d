/** Builders of contract-valid inputs for the pms tests (not part of the public face). */
import { Alert, OverlayDecision, Signal, type AgentProposal, type AlertSeverity, type OverlayAction } from '../contracts/index.ts';
import type { TradeProposal } from './workflow/proposal.ts';

export function overlayDecision(agentId: string, action: OverlayAction, targets: readonly [string, number][], over: { cycleId?: string; decisionId?: string; scale?: number; codes?: string[] } = {}): OverlayDecision {
  const cycleId = over.cycleId ?? 'c-2024-01-02';
  return OverlayDecision.parse({
    version: 1,
    traceId: `tr-${agentId}`,
    decisionId: over.decisionId ?? `d-${cycleId}-${agentId}`,
    cycleId,
    agentId,
    asOf: '2024-01-02',
    action,
    scale: over.scale ?? (action === 'BLOCK' ? 0 : 1),
    reasons: (over.codes ?? []).map((code) => ({ code, rule: 'test', message: code })),
    checks: [],
    targets: targets.map(([symbol, w]) => ({ symbol, proposedWeight: w, finalWeight: w, priority: 1 })),
    riskActions: [],
    summary: `${agentId} ${action}`,
  });
}

export function agentProposal(agentId: string, reasoning: string, cycleId = 'c-2024-01-02'): AgentProposal {
  return { version: 1, traceId: `tr-${agentId}`, cycleId, agentId, strategy: 'momentum', asOf: '2024-01-02', signals: [], targets: [], agentRisk: [], reasoning };
}

export function signal(agentId: string, symbol: string, mu: number, sigma: number): Signal {
  return Signal.parse({ version: 1, traceId: `tr-${agentId}-${symbol}`, symbol, mu, sigma, horizonDays: 21, confidence: 0.6, regime: 'BULL_QUIET', agentId, modelVersion: 'v1', asOf: '2024-01-02' });
}

export function alert(id: string, severity: AlertSeverity, title: string, timestamp: string, fundId: string | null = 'fund-1'): Alert {
  return Alert.parse({ version: 1, id, traceId: `tr-${id}`, fundId, severity, category: 'RISK', title, message: title, dedupKey: id, timestamp });
}

export function pendingProposal(over: Partial<TradeProposal> = {}): TradeProposal {
  return {
    id: 'p-1',
    fundId: 'fund-1',
    agentId: 'momentum',
    cycleId: 'c-1',
    decisionId: 'd-1',
    traceId: 'tr-1',
    symbols: ['AAPL'],
    targets: [{ symbol: 'AAPL', weight: 0.04 }],
    ticket: null,
    size: 1,
    limitPrice: null,
    status: 'PENDING_APPROVAL',
    createdBy: 'system:cycle',
    createdAt: '2024-01-02T13:00:00.000Z',
    expiresAt: '2024-01-02T15:00:00.000Z',
    rationale: 'momentum breakout',
    history: [],
    orderIds: [],
    fillIds: [],
    ...over,
  };
}
