/** Contract-valid sample records for the repository tests. */
import {
  Alert,
  DecisionRecord,
  Fill,
  Order,
  OverlayDecision,
  Position,
  RiskAction,
  type OrderInput,
} from './contracts.ts';

export const T0 = '2024-06-03T14:30:00.000Z';
export const T1 = '2024-06-03T14:30:05.250Z';

export function order(id: string, over: Partial<OrderInput> = {}): Order {
  return Order.parse({
    version: 1, traceId: `tr-${id}`, id, fundId: 'F1', cycleId: 'cy1', symbol: 'AAPL', side: 'BUY', type: 'LIMIT',
    timeInForce: 'DAY', qty: 123.4567, limitPrice: 189.1234, status: 'PENDING', decisionPrice: 188.75,
    allocations: [{ agentId: 'mom', qty: 100 }, { agentId: 'qv', qty: 23.4567 }],
    denials: [{ code: 'LOT', message: 'rounded to lot', limit: 1, actual: 0.5 }],
    createdAt: T0, updatedAt: T0, ...over,
  });
}

export function fill(id: string, orderId: string): Fill {
  return Fill.parse({
    version: 1, traceId: `tr-${orderId}`, id, orderId, symbol: 'AAPL', side: 'BUY', qty: 100.0001, price: 189.0999,
    commission: 0.35, timestamp: T1, allocations: [{ agentId: 'mom', qty: 100.0001 }],
  });
}

export function position(agentId: string, symbol: string, qty: number): Position {
  return Position.parse({
    version: 1, fundId: 'F1', agentId, symbol, qty, avgCost: 187.123456, lastPrice: 190.01, realizedPnl: -1234.56,
    updatedAt: T1,
  });
}

export function decision(cycleId: string, symbol: string): DecisionRecord {
  return DecisionRecord.parse({
    version: 1, cycleId, symbol, timestamp: T0, finalDecision: 'EXECUTE_BUY', positionSize: 0.0425, stopLoss: 175.5,
    reasonCodes: ['MOMENTUM_UP', 'LOW_VOL'], muHat: 0.0123456789, sigmaHat: 0.0456, conviction: 0.0123456789 / 0.0456,
    dataQualityScore: 0.97, providerConfidence: 0.9, agentResults: { mom: { mu: 0.012, ok: true } },
    riskChecks: { sector: { status: 'OK', limit: 0.25, actual: 0.18 } }, metadata: { regime: 'BULL_QUIET' },
  });
}

export function riskAction(id: string): RiskAction {
  return RiskAction.parse({
    version: 1, actionId: id, timestamp: T0, agentId: 'mom', symbol: 'AAPL', decisionId: null, actionType: 'SCALED_DOWN',
    details: { from: 0.06, to: 0.05, code: 'NAME_CAP' },
  });
}

export function overlayDecision(cycleId: string, agentId: string): OverlayDecision {
  return OverlayDecision.parse({
    version: 1, traceId: 'tr-o', decisionId: `od-${cycleId}-${agentId}`, cycleId, agentId, asOf: '2024-06-03',
    action: 'SCALE', scale: 0.8,
    reasons: [{ code: 'BUCKET_CAP', rule: 'bucket_caps', message: 'trend bucket over cap', limit: 0.4, actual: 0.5,
      bucket: 'trend' }],
    checks: [{ check: 'bucket_caps', status: 'BREACH', scale: 0.8 }],
    targets: [{ symbol: 'AAPL', proposedWeight: 0.05, finalWeight: 0.04, priority: 2 }],
    riskActions: [riskAction(`ra-${agentId}`)], summary: 'scaled to 80% for the trend bucket cap',
  });
}

export function alert(id: string): Alert {
  return Alert.parse({
    version: 1, id, traceId: 'tr-a', fundId: 'F1', severity: 'HIGH', category: 'RISK', title: 'VaR breach',
    message: 'fund VaR 2.3% above 2%', dedupKey: 'var:F1', timestamp: T0, context: { var95: 0.023 },
  });
}
