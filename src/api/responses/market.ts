import { z } from 'zod';
import { DataQuality, Instrument, isoDate } from '../../contracts/index.ts';

export { DataQuality, Instrument };
export const InstrumentsAnswer = z.object({ instruments: z.array(Instrument) });
/** A daily bar: prices in the instrument's currency, volume in shares. */
export const DailyBar = z.object({ date: isoDate, open: z.number(), high: z.number(), low: z.number(), close: z.number(), volume: z.number() });
export const BarsAnswer = z.object({ symbol: z.string(), bars: z.array(DailyBar) });
export const QualityAnswer = z.object({ quality: z.array(DataQuality) });
