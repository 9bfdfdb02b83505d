import type { WorkerAnswer } from '../../contracts/index.ts';

/**
 * A compact binary worker answer. The signals and targets of a built-in's proposal are most of a
 * worker's answer (the trend and pairs agents emit several hundred of each), and as JSON they cost
 * more to write and parse than the agent costs to compute. Here every number of them travels as its
 * float64 and every string as an index (a column of the session's panel for a symbol, else a table),
 * the rest of the proposal as JSON; decoding rebuilds the same objects, keys in the same order, so
 * the proposal is the worker's exactly (bit for bit, -0 included). A proposal whose signals or
 * targets have other keys or types is sent as JSON (`encodeAnswer` returns null).
 *
 * Bytes: "KWA1", a u32 header length, the header (JSON), zero padding to 8, then the columns:
 * signals' numbers (float64, 5 columns of n), targets' numbers (float64 × 3 × m), signals' strings
 * (u32, 6 columns of n), targets' symbols (u32 × m), targets' null flags (u8 × 2 × m); a signals'
 * column that holds one value (the header's `constant` bits) is sent as that one value.
 */
const MAGIC = [0x4b, 0x57, 0x41, 0x31]; // "KWA1"
const SIGNAL_KEYS = ['version', 'traceId', 'symbol', 'mu', 'sigma', 'horizonDays', 'confidence', 'regime', 'agentId', 'modelVersion', 'asOf'] as const;
// the signals' number columns: version, mu, sigma, horizonDays, confidence; string columns: traceId, symbol, regime, agentId, modelVersion, asOf
const TARGET_KEYS = ['symbol', 'weight', 'stopLoss', 'takeProfit'] as const;
/** The string column of `symbol` (a symbol is looked up among the panel's columns first). */
const SYMBOL_FIELD = 1;

interface Header {
  /** The answer without the proposal's signals and targets. */
  readonly answer: Record<string, unknown>;
  /** The proposal's keys in order (signals and targets where they were). */
  readonly keys: string[];
  readonly strings: string[];
  readonly signals: number;
  readonly targets: number;
  /** Bit f (< 5): signals' number column f is one value for all; bit 5 + f: string column f is. Such a column is sent once. */
  readonly constant: number;
}

type Row = Record<string, unknown>;

/** Whether `o` is a plain object with exactly `keys`, in that order (without allocating: this runs per signal). */
function hasKeys(o: unknown, keys: readonly string[]): o is Row {
  if (typeof o !== 'object' || o === null || Array.isArray(o) || Object.getPrototypeOf(o) !== Object.prototype) return false;
  let i = 0;
  for (const k in o) if (k !== keys[i++]) return false;
  return i === keys.length;
}

/** The answer as compact bytes, or null when its proposal is not in the shape this codec keeps exactly (send JSON). */
export function encodeAnswer(answer: WorkerAnswer & Record<string, unknown>, symbols: readonly string[]): Uint8Array | null {
  const p = answer.proposal;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return null;
  const proposal = p as Row;
  const signals = proposal.signals;
  const targets = proposal.targets;
  if (!Array.isArray(signals) || !Array.isArray(targets)) return null;
  const column = columnsOf(symbols);
  const strings: string[] = [];
  const table = new Map<string, number>();
  const intern = (s: string): number => {
    let i = table.get(s);
    if (i === undefined) {
      i = symbols.length + strings.length;
      strings.push(s);
      table.set(s, i);
    }
    return i;
  };
  // most string fields repeat one value through a proposal (its trace, agent, date, model): remember the last one per field
  const lastString: unknown[] = [];
  const lastIndex: number[] = [];
  const indexOf = (s: unknown, field: number): number => {
    if (s === lastString[field]) return lastIndex[field] ?? -1;
    if (typeof s !== 'string') return -1;
    const i = field === SYMBOL_FIELD ? (column.get(s) ?? intern(s)) : intern(s);
    lastString[field] = s;
    lastIndex[field] = i;
    return i;
  };
  const n = signals.length;
  const m = targets.length;
  const floats = new Float64Array(5 * n + 3 * m);
  const ints = new Uint32Array(6 * n + m);
  const nulls = new Uint8Array(2 * m);
  for (let i = 0; i < n; i++) {
    const s: unknown = signals[i];
    if (!hasKeys(s, SIGNAL_KEYS)) return null;
    // named reads, not s[name] in a loop: a keyed read with a changing name is V8's slow path, per signal
    const { version, mu, sigma, horizonDays, confidence } = s;
    if (typeof version !== 'number' || typeof mu !== 'number' || typeof sigma !== 'number' || typeof horizonDays !== 'number' || typeof confidence !== 'number') return null;
    floats[i] = version;
    floats[n + i] = mu;
    floats[2 * n + i] = sigma;
    floats[3 * n + i] = horizonDays;
    floats[4 * n + i] = confidence;
    const k0 = indexOf(s.traceId, 0);
    const k1 = indexOf(s.symbol, SYMBOL_FIELD);
    const k2 = indexOf(s.regime, 2);
    const k3 = indexOf(s.agentId, 3);
    const k4 = indexOf(s.modelVersion, 4);
    const k5 = indexOf(s.asOf, 5);
    if (k0 < 0 || k1 < 0 || k2 < 0 || k3 < 0 || k4 < 0 || k5 < 0) return null;
    ints[i] = k0;
    ints[n + i] = k1;
    ints[2 * n + i] = k2;
    ints[3 * n + i] = k3;
    ints[4 * n + i] = k4;
    ints[5 * n + i] = k5;
  }
  for (let i = 0; i < m; i++) {
    const t: unknown = targets[i];
    if (!hasKeys(t, TARGET_KEYS) || typeof t.weight !== 'number') return null;
    const k = indexOf(t.symbol, SYMBOL_FIELD);
    if (k < 0) return null;
    ints[6 * n + i] = k;
    floats[5 * n + i] = t.weight;
    for (let j = 0; j < 2; j++) {
      const v = j === 0 ? t.stopLoss : t.takeProfit;
      if (v === null) nulls[j * m + i] = 1;
      else if (typeof v === 'number') floats[5 * n + (j + 1) * m + i] = v;
      else return null;
    }
  }
  // a column that holds one value through the proposal (version, horizon, trace, agent, model, date) is sent once
  let constant = 0;
  const isConstant = (a: Float64Array | Uint32Array, from: number): boolean => {
    for (let i = 1; i < n; i++) if (!Object.is(a[from + i], a[from])) return false;
    return n > 0;
  };
  for (let f = 0; f < 5; f++) if (isConstant(floats, f * n)) constant |= 1 << f;
  for (let f = 0; f < 6; f++) if (isConstant(ints, f * n)) constant |= 1 << (5 + f);
  const packedFloats = new Float64Array(packedLength(constant, 0, 5, n) + 3 * m);
  const packedInts = new Uint32Array(packedLength(constant, 5, 6, n) + m);
  pack(floats, packedFloats, constant, 0, 5, n, 3 * m);
  pack(ints, packedInts, constant, 5, 6, n, m);
  const rest: Row = {};
  for (const [k, v] of Object.entries(proposal)) if (k !== 'signals' && k !== 'targets') rest[k] = v;
  const header: Header = { answer: { ...answer, proposal: rest }, keys: Object.keys(proposal), strings, signals: n, targets: m, constant };
  const head = new TextEncoder().encode(JSON.stringify(header));
  const at = align8(8 + head.length);
  const out = new Uint8Array(at + packedFloats.byteLength + packedInts.byteLength + nulls.byteLength);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, head.length, true);
  out.set(head, 8);
  out.set(new Uint8Array(packedFloats.buffer), at);
  out.set(new Uint8Array(packedInts.buffer), at + packedFloats.byteLength);
  out.set(nulls, at + packedFloats.byteLength + packedInts.byteLength);
  return out;
}

/** How many values `count` columns of n take when the constant ones (bits from `bit`) are sent once. */
function packedLength(constant: number, bit: number, count: number, n: number): number {
  let k = 0;
  for (let f = 0; f < count; f++) k += constant & (1 << (bit + f)) ? Math.min(n, 1) : n;
  return k;
}

/** Copies `count` columns of n (each constant one once), then the `tail` values after them. */
function pack(from: Float64Array | Uint32Array, to: Float64Array | Uint32Array, constant: number, bit: number, count: number, n: number, tail: number): void {
  let at = 0;
  for (let f = 0; f < count; f++) {
    const k = constant & (1 << (bit + f)) ? Math.min(n, 1) : n;
    to.set(from.subarray(f * n, f * n + k), at);
    at += k;
  }
  to.set(from.subarray(count * n, count * n + tail), at);
}

/** Where each of `count` packed columns starts, and its step (0: one value for all rows). */
function columnLayout(constant: number, bit: number, count: number, n: number): { start: number[]; step: number[]; end: number } {
  const start: number[] = [];
  const step: number[] = [];
  let at = 0;
  for (let f = 0; f < count; f++) {
    const isOne = (constant & (1 << (bit + f))) !== 0;
    start.push(at);
    step.push(isOne ? 0 : 1);
    at += isOne ? Math.min(n, 1) : n;
  }
  return { start, step, end: at };
}

/** Whether `bytes` are an answer of this codec (else they are JSON). */
export function isEncodedAnswer(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && MAGIC.every((b, i) => bytes[i] === b);
}

/** The answer `encodeAnswer` encoded, against the same symbols (the session's panel's). */
export function decodeAnswer(bytes: Uint8Array, symbols: readonly string[]): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLength = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headLength))) as Header;
  const n = header.signals;
  const m = header.targets;
  const at = align8(8 + headLength);
  const fl = columnLayout(header.constant, 0, 5, n);
  const il = columnLayout(header.constant, 5, 6, n);
  // copied out (a Buffer's slice would be a view): the bytes may not sit at an 8-byte offset of their buffer
  const body = new Uint8Array(bytes.subarray(at));
  const floats = new Float64Array(body.buffer, 0, fl.end + 3 * m);
  const ints = new Uint32Array(body.buffer, floats.byteLength, il.end + m);
  const nulls = new Uint8Array(body.buffer, floats.byteLength + ints.byteLength, 2 * m);
  const str = (k: number): string => (k < symbols.length ? symbols[k] : header.strings[k - symbols.length]) ?? '';
  const [f0 = 0, f1 = 0, f2 = 0, f3 = 0, f4 = 0] = fl.start;
  const [d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0] = fl.step;
  const [s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0] = il.start;
  const [e0 = 0, e1 = 0, e2 = 0, e3 = 0, e4 = 0, e5 = 0] = il.step;
  const signals: Row[] = new Array<Row>(n);
  for (let i = 0; i < n; i++) {
    signals[i] = {
      version: floats[f0 + d0 * i],
      traceId: str(ints[s0 + e0 * i] ?? 0),
      symbol: str(ints[s1 + e1 * i] ?? 0),
      mu: floats[f1 + d1 * i],
      sigma: floats[f2 + d2 * i],
      horizonDays: floats[f3 + d3 * i],
      confidence: floats[f4 + d4 * i],
      regime: str(ints[s2 + e2 * i] ?? 0),
      agentId: str(ints[s3 + e3 * i] ?? 0),
      modelVersion: str(ints[s4 + e4 * i] ?? 0),
      asOf: str(ints[s5 + e5 * i] ?? 0),
    };
  }
  const targets: Row[] = new Array<Row>(m);
  for (let i = 0; i < m; i++) {
    targets[i] = {
      symbol: str(ints[il.end + i] ?? 0),
      weight: floats[fl.end + i],
      stopLoss: nulls[i] === 1 ? null : floats[fl.end + m + i],
      takeProfit: nulls[m + i] === 1 ? null : floats[fl.end + 2 * m + i],
    };
  }
  const rest = header.answer.proposal as Row;
  const proposal: Row = {};
  for (const k of header.keys) proposal[k] = k === 'signals' ? signals : k === 'targets' ? targets : rest[k];
  return { ...header.answer, proposal };
}

const columns = new WeakMap<readonly string[], ReadonlyMap<string, number>>();
/** Symbol → column of a session's panel (one map per panel's symbols array). */
function columnsOf(symbols: readonly string[]): ReadonlyMap<string, number> {
  let m = columns.get(symbols);
  if (!m) {
    const out = new Map<string, number>();
    for (let u = 0; u < symbols.length; u++) out.set(symbols[u] ?? '', u);
    columns.set(symbols, (m = out));
  }
  return m;
}

function align8(x: number): number {
  return (x + 7) & ~7;
}

/** One answer of a batch: its bytes (binary or JSON), or the error its request met. */
export type BatchItem = { readonly answer: string | Uint8Array } | { readonly error: string };

/**
 * The answers to a batch of requests (one worker's agents of a cycle) in one message: a u32 count,
 * then per answer a u8 kind (0 an answer, 1 an error), a u32 length and the bytes (an error as text).
 */
export function encodeBatch(items: readonly BatchItem[]): Uint8Array {
  const parts = items.map((i) => ('answer' in i ? { kind: 0, bytes: typeof i.answer === 'string' ? new TextEncoder().encode(i.answer) : i.answer } : { kind: 1, bytes: new TextEncoder().encode(i.error) }));
  const out = new Uint8Array(4 + parts.reduce((n, p) => n + 5 + p.bytes.length, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, parts.length, true);
  let at = 4;
  for (const p of parts) {
    view.setUint8(at, p.kind);
    view.setUint32(at + 1, p.bytes.length, true);
    out.set(p.bytes, at + 5);
    at += 5 + p.bytes.length;
  }
  return out;
}

/** The items `encodeBatch` encoded, each answer's bytes (read with `readAnswer`) or an error message. */
export function decodeBatch(bytes: Uint8Array): ({ readonly answer: Uint8Array } | { readonly error: string })[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true);
  const out: ({ readonly answer: Uint8Array } | { readonly error: string })[] = [];
  let at = 4;
  for (let i = 0; i < n; i++) {
    const kind = view.getUint8(at);
    const length = view.getUint32(at + 1, true);
    const body = bytes.subarray(at + 5, at + 5 + length);
    out.push(kind === 0 ? { answer: body } : { error: new TextDecoder().decode(body) });
    at += 5 + length;
  }
  return out;
}
