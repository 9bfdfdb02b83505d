/**
 * XᵀX on asset-major data with WebAssembly SIMD (f64x2): 2×4 blocks of names, two days per vector
 * step, eight vector accumulators. The module (~200 bytes) is assembled here from its opcodes and
 * compiled synchronously; `wasmGram` returns null where WebAssembly SIMD is unavailable, so callers
 * fall back to the scalar kernel. Pure computation: no I/O, no imports.
 */

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32c = (v: number) => [0x41, ...sleb(v)];
const ADD = 0x6a;
const MUL = 0x6c;
const AND = 0x71;
const LT_S = 0x48;
const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
const vload = (off = 0) => simd(0, 3, ...uleb(off));
const F64X2_ADD = 240;
const F64X2_MUL = 242;
const extract = (lane: number) => simd(33, lane);
const vzero = () => simd(12, ...new Array<number>(16).fill(0));
const f64store = (off: number) => [0x39, 3, ...uleb(off)];

// params: 0 a, 1 b, 2 na, 3 nb, 4 lenBytes, 5 out, 6 scale(f64), 7 sym, 8 lower
// i32 locals: 9 i, 10 j, 11 t, 12 a0, 13 a1, 14 b0, 15 b1, 16 b2, 17 b3, 18 o, 19 lim
// v128 locals: 20..27 accumulators s00 s01 s02 s03 s10 s11 s12 s13, 28 u0, 29 u1, 30 v
// out[i·nb + j] = scale·Σ_t a[i,t]·b[j,t] for 2×4 blocks; sym: j starts at i rounded down to 4
// (upper triangle of a Gram); lower: b is lower triangular, so sums stop at column j+4.
function body(): number[] {
  const S = (r: number, c: number) => 20 + r * 4 + c;
  const code: number[] = [];
  const emit = (...xs: (number | number[])[]) => {
    for (const x of xs) {
      if (typeof x === 'number') code.push(x);
      else code.push(...x);
    }
  };
  const SELECT = 0x1b;
  const LT_U = 0x49;
  emit(i32c(0), set(9));
  emit(0x03, 0x40); // loop i
  emit(get(0), get(9), get(4), MUL, ADD, set(12));
  emit(get(12), get(4), ADD, set(13));
  // j = sym ? i & −4 : 0
  emit(get(9), i32c(-4), AND, i32c(0), get(7), SELECT, set(10));
  emit(0x03, 0x40); // loop j
  emit(get(1), get(10), get(4), MUL, ADD, set(14));
  emit(get(14), get(4), ADD, set(15));
  emit(get(15), get(4), ADD, set(16));
  emit(get(16), get(4), ADD, set(17));
  // lim = lower ? min(lenBytes, (j + 4)·8) : lenBytes
  emit(get(10), i32c(4), ADD, i32c(8), MUL, set(19));
  emit(get(19), get(4), get(19), get(4), LT_U, SELECT, set(19));
  emit(get(19), get(4), get(8), SELECT, set(19));
  for (let r = 0; r < 2; r++) for (let c = 0; c < 4; c++) emit(vzero(), set(S(r, c)));
  emit(i32c(0), set(11));
  emit(0x03, 0x40); // loop t
  emit(get(12), get(11), ADD, vload(), set(28));
  emit(get(13), get(11), ADD, vload(), set(29));
  for (let c = 0; c < 4; c++) {
    emit(get(14 + c), get(11), ADD, vload(), set(30));
    emit(get(S(0, c)), get(28), get(30), simd(F64X2_MUL), simd(F64X2_ADD), set(S(0, c)));
    emit(get(S(1, c)), get(29), get(30), simd(F64X2_MUL), simd(F64X2_ADD), set(S(1, c)));
  }
  emit(get(11), i32c(16), ADD, set(11));
  emit(get(11), get(19), LT_S, 0x0d, 0x00); // br_if loop t
  emit(0x0b);
  // o = out + (i·nb + j)·8
  emit(get(5), get(9), get(3), MUL, get(10), ADD, i32c(8), MUL, ADD, set(18));
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      emit(get(18));
      emit(get(S(r, c)), extract(0), get(S(r, c)), extract(1), 0xa0, get(6), 0xa2);
      emit(f64store(c * 8));
    }
    if (r === 0) emit(get(18), get(3), i32c(8), MUL, ADD, set(18));
  }
  emit(get(10), i32c(4), ADD, set(10));
  emit(get(10), get(3), LT_S, 0x0d, 0x00); // br_if loop j
  emit(0x0b);
  emit(get(9), i32c(2), ADD, set(9));
  emit(get(9), get(2), LT_S, 0x0d, 0x00); // br_if loop i
  emit(0x0b);
  emit(0x0b);
  const locals = [2, ...uleb(11), I32, ...uleb(11), V128];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function moduleBytes(): Uint8Array {
  const name = (s: string) => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 9, I32, I32, I32, I32, I32, I32, F64, I32, I32, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name('mem'), 0x02, 0, ...name('abt'), 0x00, 0]),
    ...section(10, [1, ...body()]),
  ];
  return Uint8Array.from(bytes);
}

/** The slice of the WebAssembly JS API used here (the project's TypeScript lib has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

type AbtFn = (a: number, b: number, na: number, nb: number, lenBytes: number, out: number, scale: number, sym: number, lower: number) => void;

interface GramKernel {
  readonly memory: WasmMemory;
  readonly abt: AbtFn;
}

let compiled: { wasm: WasmApi; module: object } | null | undefined;
let shared: GramKernel | null | undefined;

/** A fresh instance (own memory) of the compiled kernel, or null without WebAssembly SIMD. */
function instantiate(): GramKernel | null {
  if (compiled === undefined) {
    const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    compiled = null;
    try {
      const bytes = moduleBytes();
      if (wasm && wasm.validate(bytes)) compiled = { wasm, module: new wasm.Module(bytes) };
    } catch {
      compiled = null;
    }
  }
  if (!compiled) return null;
  const inst = new compiled.wasm.Instance(compiled.module, {});
  return { memory: inst.exports['mem'] as WasmMemory, abt: inst.exports['abt'] as AbtFn };
}

function load(): GramKernel | null {
  if (shared === undefined) shared = instantiate();
  return shared;
}

function ensure(k: GramKernel, need: number): boolean {
  if (need > 1.5 * 2 ** 30) return false;
  const have = k.memory.buffer.byteLength;
  if (need <= have) return true;
  try {
    k.memory.grow(Math.ceil((need - have) / 65536));
    return true;
  } catch {
    return false;
  }
}

/**
 * out[i·n+j] = scale · Σ_t x[i·len+t]·x[j·len+t] (full symmetric n×n), computed in WebAssembly;
 * null when WebAssembly SIMD is unavailable.
 */
export function wasmGram(x: Float64Array, n: number, len: number, scale: number, out: Float64Array): Float64Array | null {
  const k = load();
  if (!k) return null;
  const lenP = len + (len & 1);
  const nP = (n + 3) & ~3;
  const dataBytes = nP * lenP * 8;
  const outOff = dataBytes;
  const need = dataBytes + nP * nP * 8;
  // i32 addressing: beyond ~1.5 GiB (or when memory cannot grow) use the scalar kernel instead.
  if (!ensure(k, need)) return null;
  const mem = new Float64Array(k.memory.buffer, 0, need / 8);
  mem.fill(0, 0, nP * lenP);
  for (let i = 0; i < n; i++) mem.set(x.subarray(i * len, (i + 1) * len), i * lenP);
  k.abt(0, 0, nP, nP, lenP * 8, outOff, scale, 1, 0);
  const res = new Float64Array(k.memory.buffer, outOff, nP * nP);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = res[i * nP + j] as number;
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}

/** A right-hand matrix B (nb×len, row-major) kept resident in its own WebAssembly memory. */
export interface ResidentABt {
  /** out[p·nb + j] = Σ_t a[p·len + t]·b[j·len + t] for the na rows of a. */
  run(a: Float64Array, na: number, out: Float64Array): Float64Array;
}

/**
 * Prepares repeated products A·Bᵀ against one B (e.g. a Cholesky factor, `lowerB` = lower triangular)
 * for up to `maxRows` rows of A per call; null without WebAssembly SIMD.
 */
export function residentABt(b: Float64Array, nb: number, len: number, maxRows: number, lowerB = false): ResidentABt | null {
  const k = instantiate();
  if (!k) return null;
  const lenP = len + (len & 1);
  const nbP = (nb + 3) & ~3;
  const naP = (maxRows + 1) & ~1;
  const bBytes = nbP * lenP * 8;
  const aOff = bBytes;
  const outOff = aOff + naP * lenP * 8;
  if (!ensure(k, outOff + naP * nbP * 8)) return null;
  const mb = new Float64Array(k.memory.buffer, 0, nbP * lenP);
  for (let j = 0; j < nb; j++) mb.set(b.subarray(j * len, (j + 1) * len), j * lenP);
  return {
    run(a: Float64Array, na: number, out: Float64Array): Float64Array {
      const ma = new Float64Array(k.memory.buffer, aOff, naP * lenP);
      ma.fill(0);
      for (let p = 0; p < na; p++) ma.set(a.subarray(p * len, (p + 1) * len), p * lenP);
      k.abt(aOff, 0, (na + 1) & ~1, nbP, lenP * 8, outOff, 1, 0, lowerB ? 1 : 0);
      const res = new Float64Array(k.memory.buffer, outOff, naP * nbP);
      for (let p = 0; p < na; p++) out.set(res.subarray(p * nbP, p * nbP + nb), p * nb);
      return out;
    },
  };
}
