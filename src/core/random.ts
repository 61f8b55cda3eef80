/**
 * A random generator bit-compatible with numpy's legacy `np.random.RandomState`: MT19937 seeded
 * by `init_genrand`, 53-bit doubles, the polar Gaussian method with its cached second value, and
 * numpy's masked rejection for bounded integers. Same seed, same stream as numpy.
 */
import { glibcLog, glibcLogInto } from "./glibc-log.js";
import { NORMAL_LAYOUT, normalModuleBytes } from "./wasm/normal-module.js";

const N = 624;
const M = 397;
// Kept as int32 values (and the state in an Int32Array) so V8 stays in integer registers.
const MATRIX_A = 0x9908b0df | 0;
const UPPER = 0x80000000 | 0;
const LOWER = 0x7fffffff;

const TWO_TO_MINUS_52 = 2 ** -52;
/** Normal pairs per pass of randn: its four scratch arrays (16 KB) stay in the L1 cache. */
const PAIRS = NORMAL_LAYOUT.pairs;
/** Draws from which randn takes its points from WebAssembly: below, copying the state costs more. */
const WASM_NORMALS = 512;

// The few parts of the WebAssembly API used here, typed locally (no DOM or Node typings).
interface WasmApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
}

/** normal-module.ts's polar points on its own page, with views of the state and the points. */
interface PolarKernel {
  polar: (state: number, pos: number, x1: number, x2: number, r2: number, pairs: number) => number;
  state: Int32Array;
  x1: Float64Array;
  x2: Float64Array;
  r2: Float64Array;
}

let polarKernel: PolarKernel | null | undefined;

/** The WebAssembly points, compiled on first use; null where WebAssembly SIMD is missing. */
function wasmPolar(): PolarKernel | null {
  if (polarKernel !== undefined) return polarKernel;
  polarKernel = null;
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) return null;
  try {
    const memory = new api.Memory({ initial: 1, maximum: 1 });
    const instance = new api.Instance(new api.Module(normalModuleBytes()), { env: { memory } });
    const { buffer } = memory;
    const L = NORMAL_LAYOUT;
    polarKernel = {
      polar: instance.exports.polar as PolarKernel["polar"],
      state: new Int32Array(buffer, L.state, N),
      x1: new Float64Array(buffer, L.x1, L.pairs),
      x2: new Float64Array(buffer, L.x2, L.pairs),
      r2: new Float64Array(buffer, L.r2, L.pairs),
    };
  } catch {
    // No SIMD (or a runtime that refuses to compile here): the JavaScript loop draws the same points.
  }
  return polarKernel;
}

/** MT19937's tempering of one state word. */
function temper(y: number): number {
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  return y ^ (y >>> 18);
}

/** A chunk of the polar method's accepted points and their r² = x1² + x2². */
interface Points {
  readonly x1: Float64Array;
  readonly x2: Float64Array;
  readonly r2: Float64Array;
}

/**
 * The polar method's second half for `pairs` points: f = √(−2·ln r² / r²), then f·x2 and f·x1
 * into out from `i` (numpy's order); returns the next index.
 */
function scalePairs(points: Points, log: Float64Array, pairs: number, out: Float64Array, i: number): number {
  const { x1, x2, r2 } = points;
  glibcLogInto(r2, log, pairs);
  for (let k = 0; k < pairs; k++) {
    const f = Math.sqrt((-2 * log[k]) / r2[k]);
    out[i++] = f * x2[k];
    out[i++] = f * x1[k];
  }
  return i;
}

/** A generator's full state in plain JSON-safe numbers (see RandomState.getState). */
export interface RandomStateSnapshot {
  key: number[];
  position: number;
  gauss: number | null;
}

export class RandomState {
  private readonly mt = new Int32Array(N);
  private mti = N;
  private gauss: number | undefined;
  // randn's scratch: the chunk's accepted points, their r², and log r².
  private polar?: Points & { log: Float64Array };

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Reseeds as `np.random.seed(seed)` does for an integer seed in [0, 2³²). */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev mod 2^32, split so the product stays exact in doubles.
      mt[i] = ((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i;
    }
    this.mti = N;
    this.gauss = undefined;
  }

  /** The next raw 32-bit output of MT19937. */
  nextUint32(): number {
    if (this.mti >= N) this.twist();
    let y = this.mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    // y's low bit is the next word's: each word is read once, carried to the next step.
    let cur = mt[0];
    let kk = 0;
    for (; kk < N - M; kk++) {
      const next = mt[kk + 1];
      const y = (cur & UPPER) | (next & LOWER);
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (-(next & 1) & MATRIX_A);
      cur = next;
    }
    for (; kk < N - 1; kk++) {
      const next = mt[kk + 1];
      const y = (cur & UPPER) | (next & LOWER);
      mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (-(next & 1) & MATRIX_A);
      cur = next;
    }
    const next = mt[0];
    const y = (cur & UPPER) | (next & LOWER);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (-(next & 1) & MATRIX_A);
    this.mti = 0;
  }

  /**
   * Copies the 624 state words into `key` and returns the position of the next word: with
   * restoreState, how another backend draws from this same stream (see wasm/mask-module.ts).
   */
  copyStateTo(key: Int32Array): number {
    key.set(this.mt);
    return this.mti;
  }

  /** Takes back the state words and position copyStateTo handed out, after they were advanced. */
  restoreState(key: Int32Array, position: number): void {
    if (key.length !== N || !Number.isInteger(position) || position < 0 || position > N) {
      throw new RangeError("not an MT19937 state");
    }
    this.mt.set(key);
    this.mti = position;
  }

  /**
   * The whole generator state, as numpy's `get_state()` holds it (key words, position, the cached
   * normal draw): a checkpoint saves it so a resumed run draws the same numbers.
   */
  getState(): RandomStateSnapshot {
    return { key: Array.from(this.mt, (w) => w >>> 0), position: this.mti, gauss: this.gauss ?? null };
  }

  /** Puts back a state getState() returned; throws a RangeError on anything else. */
  setState(state: RandomStateSnapshot): void {
    const { key, position, gauss } = state;
    if (
      !Array.isArray(key) ||
      key.length !== N ||
      !key.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)
    ) {
      throw new RangeError("not an MT19937 state: the key must be 624 words");
    }
    if (gauss !== null && !Number.isFinite(gauss))
      throw new RangeError("not an MT19937 state: bad cached normal");
    this.restoreState(
      Int32Array.from(key, (w) => w | 0),
      position,
    );
    this.gauss = gauss ?? undefined;
  }

  /** A double in [0, 1) from 53 random bits, as numpy's `random_sample`. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * `n` uniform doubles in [0, 1), as `rand(n)` (row-major for a shape whose size is n). The
   * same stream as `random()`, with the generator's loop inlined: dropout masks draw millions.
   */
  rand(n: number, out: Float64Array = new Float64Array(n)): Float64Array {
    const mt = this.mt;
    let mti = this.mti;
    for (let i = 0; i < n; i++) {
      if (mti >= N) {
        this.twist();
        mti = 0;
      }
      let a = mt[mti++];
      a ^= a >>> 11;
      a ^= (a << 7) & 0x9d2c5680;
      a ^= (a << 15) & 0xefc60000;
      a ^= a >>> 18;
      if (mti >= N) {
        this.twist();
        mti = 0;
      }
      let b = mt[mti++];
      b ^= b >>> 11;
      b ^= (b << 7) & 0x9d2c5680;
      b ^= (b << 15) & 0xefc60000;
      b ^= b >>> 18;
      out[i] = ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
    }
    this.mti = mti;
    return out;
  }

  /** One standard normal draw by the legacy polar method; every other call uses the cached value. */
  gaussian(): number {
    if (this.gauss !== undefined) {
      const g = this.gauss;
      this.gauss = undefined;
      return g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.random() - 1;
      x2 = 2 * this.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * glibcLog(r2)) / r2);
    this.gauss = f * x1;
    return f * x2;
  }

  /**
   * `n` standard normal doubles, as `randn(n)`: gaussian()'s pairs, the same bits, drawn a chunk
   * of pairs at a time in three passes — the accepted points (in WebAssembly for large draws, see
   * normal-module.ts, else the generator's loop inlined), their logs (glibcLogInto), the scaling —
   * so no double is boxed by a call per draw.
   */
  randn(n: number, out: Float64Array = new Float64Array(n)): Float64Array {
    let i = 0;
    if (n > 0 && this.gauss !== undefined) {
      out[i++] = this.gauss;
      this.gauss = undefined;
    }
    if (!this.polar) {
      const scratch = () => new Float64Array(PAIRS);
      this.polar = { x1: scratch(), x2: scratch(), r2: scratch(), log: scratch() };
    }
    const { log } = this.polar;
    const wasm = n - i >= WASM_NORMALS ? wasmPolar() : null;
    if (wasm) {
      // The state goes into the module's memory for the whole call, and comes back after.
      wasm.state.set(this.mt);
      const L = NORMAL_LAYOUT;
      while (n - i >= 2) {
        const pairs = Math.min(PAIRS, (n - i) >> 1);
        this.mti = wasm.polar(L.state, this.mti, L.x1, L.x2, L.r2, pairs);
        i = scalePairs(wasm, log, pairs, out, i);
      }
      this.mt.set(wasm.state);
    } else {
      while (n - i >= 2) {
        const pairs = Math.min(PAIRS, (n - i) >> 1);
        this.polarPoints(this.polar, pairs);
        i = scalePairs(this.polar, log, pairs, out, i);
      }
    }
    if (i < n) out[i] = this.gaussian();
    return out;
  }

  /**
   * The polar method's first half, `pairs` times: points (x1, x2) uniform in the square, two
   * random() doubles each, until one falls inside the unit disc and off its centre; r2 = x1² + x2².
   */
  private polarPoints(points: Points, pairs: number): void {
    const { x1, x2, r2 } = points;
    const mt = this.mt;
    let mti = this.mti;
    for (let k = 0; k < pairs; k++) {
      let u: number;
      let v: number;
      let s: number;
      do {
        if (mti > N - 4) {
          // Near the end of the state: a word at a time, twisting where random() would.
          this.mti = mti;
          u = 2 * this.random() - 1;
          v = 2 * this.random() - 1;
          mti = this.mti;
        } else {
          const a = temper(mt[mti]) >>> 5;
          const b = temper(mt[mti + 1]) >>> 6;
          const c = temper(mt[mti + 2]) >>> 5;
          const d = temper(mt[mti + 3]) >>> 6;
          mti += 4;
          // 2·(53-bit integer)/2^53 − 1, the product by 2^-52 exact as random()'s division.
          u = (a * 67108864 + b) * TWO_TO_MINUS_52 - 1;
          v = (c * 67108864 + d) * TWO_TO_MINUS_52 - 1;
        }
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      x1[k] = u;
      x2[k] = v;
      r2[k] = s;
    }
    this.mti = mti;
  }

  /** `n` normal doubles with mean `loc` and standard deviation `scale`, as `normal(loc, scale, n)`. */
  normal(loc: number, scale: number, n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = loc + scale * this.gaussian();
    return out;
  }

  /** `n` doubles uniform in [low, high), as `uniform(low, high, n)`. */
  uniform(low: number, high: number, n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = low + (high - low) * this.random();
    return out;
  }

  /**
   * One integer in [0, max] by numpy's masked rejection (legacy `randint` path for ranges that
   * fit in 32 bits): draw 32 bits, mask to the smallest covering power of two, retry if above.
   */
  boundedInt(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v: number;
    do {
      v = (this.nextUint32() & mask) >>> 0;
    } while (v > max);
    return v;
  }

  /** `n` integers in [low, high), as `randint(low, high, n)`. */
  randint(low: number, high: number, n: number): Int32Array {
    if (!(high > low)) throw new RangeError(`randint needs low < high, got [${low}, ${high})`);
    const out = new Int32Array(n);
    const range = high - low - 1;
    for (let i = 0; i < n; i++) out[i] = low + this.boundedInt(range);
    return out;
  }

  /** Shuffles in place as numpy's legacy `shuffle` (Fisher–Yates from the end). */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.boundedInt(i);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A random ordering of 0 … n-1, as `permutation(n)`. */
  permutation(n: number): Int32Array {
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    return this.shuffle(a);
  }
}
