/** The contracts the store tests use (one import point, so fixtures stay short). */
import type { z } from 'zod';
import type { Order } from '../../../src/contracts/index.ts';

export { Alert, DecisionRecord, Fill, Order, OverlayDecision, Position, RiskAction } from '../../../src/contracts/index.ts';
export type OrderInput = z.input<typeof Order>;
