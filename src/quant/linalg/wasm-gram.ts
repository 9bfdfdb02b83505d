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

// params: 0 x, 1 n, 2 lenBytes, 3 out, 4 scale(f64)
// i32 locals: 5 i, 6 j, 7 t, 8 a0, 9 a1, 10 b0, 11 b1, 12 b2, 13 b3, 14 o
// v128 locals: 15..22 accumulators s00 s01 s02 s03 s10 s11 s12 s13, 23 u0, 24 u1, 25 v
function body(): number[] {
  const S = (r: number, c: number) => 15 + r * 4 + c;
  const code: number[] = [];
  const emit = (...xs: (number | number[])[]) => {
    for (const x of xs) {
      if (typeof x === 'number') code.push(x);
      else code.push(...x);
    }
  };
  emit(i32c(0), set(5));
  emit(0x03, 0x40); // loop i
  emit(get(0), get(5), get(2), MUL, ADD, set(8));
  emit(get(8), get(2), ADD, set(9));
  emit(get(5), i32c(-4), AND, set(6));
  emit(0x03, 0x40); // loop j
  emit(get(0), get(6), get(2), MUL, ADD, set(10));
  emit(get(10), get(2), ADD, set(11));
  emit(get(11), get(2), ADD, set(12));
  emit(get(12), get(2), ADD, set(13));
  for (let r = 0; r < 2; r++) for (let c = 0; c < 4; c++) emit(vzero(), set(S(r, c)));
  emit(i32c(0), set(7));
  emit(0x03, 0x40); // loop t
  emit(get(8), get(7), ADD, vload(), set(23));
  emit(get(9), get(7), ADD, vload(), set(24));
  for (let c = 0; c < 4; c++) {
    emit(get(10 + c), get(7), ADD, vload(), set(25));
    emit(get(S(0, c)), get(23), get(25), simd(F64X2_MUL), simd(F64X2_ADD), set(S(0, c)));
    emit(get(S(1, c)), get(24), get(25), simd(F64X2_MUL), simd(F64X2_ADD), set(S(1, c)));
  }
  emit(get(7), i32c(16), ADD, set(7));
  emit(get(7), get(2), LT_S, 0x0d, 0x00); // br_if loop t
  emit(0x0b); // end loop t
  // o = out + (i·n + j)·8
  emit(get(3), get(5), get(1), MUL, get(6), ADD, i32c(8), MUL, ADD, set(14));
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      emit(get(14));
      emit(get(S(r, c)), extract(0), get(S(r, c)), extract(1), 0xa0, get(4), 0xa2);
      emit(f64store(c * 8));
    }
    if (r === 0) emit(get(14), get(1), i32c(8), MUL, ADD, set(14));
  }
  emit(get(6), i32c(4), ADD, set(6));
  emit(get(6), get(1), LT_S, 0x0d, 0x00); // br_if loop j
  emit(0x0b);
  emit(get(5), i32c(2), ADD, set(5));
  emit(get(5), get(1), LT_S, 0x0d, 0x00); // br_if loop i
  emit(0x0b);
  emit(0x0b); // end function
  const locals = [2, ...uleb(10), I32, ...uleb(11), V128];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function moduleBytes(): Uint8Array {
  const name = (s: string) => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 5, I32, I32, I32, I32, F64, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name('mem'), 0x02, 0, ...name('gram'), 0x00, 0]),
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

interface GramKernel {
  readonly memory: WasmMemory;
  readonly gram: (x: number, n: number, lenBytes: number, out: number, scale: number) => void;
}

let kernel: GramKernel | null | undefined;

function load(): GramKernel | null {
  if (kernel !== undefined) return kernel;
  const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return (kernel = null);
  try {
    const bytes = moduleBytes();
    if (!wasm.validate(bytes)) return (kernel = null);
    const inst = new wasm.Instance(new wasm.Module(bytes), {});
    const memory = inst.exports['mem'] as WasmMemory;
    const gram = inst.exports['gram'] as GramKernel['gram'];
    kernel = { memory, gram };
  } catch {
    kernel = null;
  }
  return kernel;
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
  // i32 addressing: beyond ~1.5 GiB use the scalar kernel instead.
  if (need > 1.5 * 2 ** 30) return null;
  const have = k.memory.buffer.byteLength;
  if (need > have) {
    try {
      k.memory.grow(Math.ceil((need - have) / 65536));
    } catch {
      return null;
    }
  }
  const mem = new Float64Array(k.memory.buffer, 0, need / 8);
  mem.fill(0, 0, nP * lenP);
  for (let i = 0; i < n; i++) mem.set(x.subarray(i * len, (i + 1) * len), i * lenP);
  k.gram(0, nP, lenP * 8, outOff, scale);
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
