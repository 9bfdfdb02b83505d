/** Response shapes of the attribution, P&L history and exposure endpoints (docs/api.md "Attribution"), inferred from src/api/responses (types only). */
import type { z } from 'zod';
import type * as R from '../../../src/api/responses/index.ts';

export type PnlPart = z.output<typeof R.PnlPart>;
export type FactorRow = z.output<typeof R.FactorRow>;
export type FactorReport = z.output<typeof R.FactorReport>;
export type BrinsonSectorRow = z.output<typeof R.BrinsonSectorRow>;
export type BrinsonReport = z.output<typeof R.BrinsonReport>;
export type BookSource = z.output<typeof R.BookSource>;
/** navPnl = bookPnl (after `costs`, from the stored fills) + difference (flows and whatever the stored fills do not explain). */
export type Attribution = z.output<typeof R.Attribution>;
export type PnlSeries = z.output<typeof R.PnlSeries>;
export type PnlHistory = z.output<typeof R.PnlHistory>;
export type BookExposure = z.output<typeof R.BookExposure>;
export type Exposures = z.output<typeof R.Exposures>;
