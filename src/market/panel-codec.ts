import { InvariantError, ValidationError, type IsoDate } from '../core/index.ts';
import type { Fundamentals, MacroObservation } from '../contracts/index.ts';
import type { Panel } from './panel.ts';

/**
 * A panel as bytes and back, bit for bit (every float as stored, NaN and −0 included), so a
 * process that decodes it computes exactly what the encoding process computes (agent workers).
 * Layout: a 4-byte little-endian header length, the header as JSON (dates, symbols, sectors,
 * reference names, fundamentals, macro, tradable), zero padding to 8 bytes, then the Float64
 * fields in `FIELDS` order, the sentiment field when present and the reference series, each in
 * the platform's (little-endian) byte order.
 */
const FIELDS = ['open', 'high', 'low', 'close', 'volume', 'ret', 'adv20', 'vol20', 'marketCap'] as const;

interface Header {
  readonly v: 1;
  readonly dates: readonly IsoDate[];
  readonly symbols: readonly string[];
  readonly sectors: readonly string[];
  readonly hasSentiment: boolean;
  readonly reference: readonly string[];
  readonly fundamentals: readonly (readonly [string, readonly Fundamentals[]])[];
  readonly macro: readonly (readonly [string, readonly MacroObservation[]])[];
  readonly tradable: readonly number[];
}

const isLittleEndian = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

export function encodePanel(p: Panel): Uint8Array {
  if (!isLittleEndian) throw new InvariantError('panel encoding assumes a little-endian platform');
  const header: Header = {
    v: 1,
    dates: p.dates,
    symbols: p.symbols,
    sectors: p.sectors,
    hasSentiment: p.sentiment !== null,
    reference: [...p.reference.keys()],
    fundamentals: [...p.fundamentals.entries()],
    macro: [...p.macro.entries()],
    tradable: Array.from(p.tradable),
  };
  const head = new TextEncoder().encode(JSON.stringify(header));
  const arrays: Float64Array[] = FIELDS.map((f) => p[f]);
  if (p.sentiment) arrays.push(p.sentiment);
  for (const name of header.reference) arrays.push(p.reference.get(name) ?? new Float64Array(p.T));
  const start = Math.ceil((4 + head.length) / 8) * 8;
  const out = new Uint8Array(start + arrays.reduce((n, a) => n + a.byteLength, 0));
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 4);
  let at = start;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  return out;
}

export function decodePanel(bytes: Uint8Array): Panel {
  if (!isLittleEndian) throw new InvariantError('panel decoding assumes a little-endian platform');
  const headLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headLength))) as Header;
  if (h.v !== 1) throw new ValidationError('panel', `unknown panel encoding version ${String(h.v)}`);
  const T = h.dates.length;
  const U = h.symbols.length;
  let at = Math.ceil((4 + headLength) / 8) * 8;
  const next = (n: number): Float64Array => {
    if (at + n * 8 > bytes.byteLength) throw new ValidationError('panel', `truncated: ${bytes.byteLength} bytes`);
    const a = new Float64Array(n);
    new Uint8Array(a.buffer).set(bytes.subarray(at, at + n * 8));
    at += n * 8;
    return a;
  };
  const [open, high, low, close, volume, ret, adv20, vol20, marketCap] = FIELDS.map(() => next(T * U)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const sentiment = h.hasSentiment ? next(T * U) : null;
  const reference = new Map(h.reference.map((name) => [name, next(T)] as const));
  if (at !== bytes.byteLength) throw new ValidationError('panel', `${bytes.byteLength - at} bytes left over`);
  return {
    dates: h.dates,
    symbols: h.symbols,
    sectors: h.sectors,
    T,
    U,
    open,
    high,
    low,
    close,
    volume,
    ret,
    adv20,
    vol20,
    marketCap,
    sentiment,
    reference,
    fundamentals: new Map(h.fundamentals),
    macro: new Map(h.macro),
    tradable: Uint8Array.from(h.tradable),
    columnOf: new Map(h.symbols.map((s, u) => [s, u])),
    rowOf: new Map(h.dates.map((d, t) => [d, t])),
  };
}
