import { describe, expect, it } from "vitest";
import { cos, exp, expm1, log1p, pow, scalbn, sin, tanh } from "../../src/core/libm.js";
import { RandomState } from "../../src/core/random.js";

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** Arguments drawn from the project's own generator: a range of interest, then raw bit patterns. */
function args(seed: number, n: number, scale: number, offset: number): Float64Array {
  const rng = new RandomState(seed);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) out[i] = offset + scale * rng.random();
  for (let i = n; i < 2 * n; i++) {
    U32[0] = rng.nextUint32();
    U32[1] = rng.nextUint32();
    out[i] = F64[0];
  }
  return out;
}

/** FNV-1a over the bits of each result: any change in any last bit changes it. */
function digest(values: Iterable<number>): string {
  let h = 0x811c9dc5;
  for (const v of values) {
    F64[0] = v;
    for (const w of [U32[0], U32[1]]) {
      for (let b = 0; b < 32; b += 8) {
        h ^= (w >>> b) & 0xff;
        h = Math.imul(h, 0x01000193) >>> 0;
      }
    }
  }
  return h.toString(16).padStart(8, "0");
}

const N = 50_000;
const CASES = {
  exp: { f: exp, host: Math.exp, x: args(1, N, 1500, -750) },
  expm1: { f: expm1, host: Math.expm1, x: args(2, N, 100, -50) },
  log1p: { f: log1p, host: Math.log1p, x: args(3, N, 1000, -1) },
  tanh: { f: tanh, host: Math.tanh, x: args(4, N, 60, -30) },
  sin: { f: sin, host: Math.sin, x: args(5, N, 2000, -1000) },
  cos: { f: cos, host: Math.cos, x: args(6, N, 2000, -1000) },
};

/** Pairs for pow: Adam's bias corrections β^t, then any x and y. */
function powArgs(): Array<[number, number]> {
  const rng = new RandomState(7);
  const out: Array<[number, number]> = [];
  for (let t = 1; t <= 20_000; t++) out.push([0.9, t], [0.999, t]);
  for (let i = 0; i < N; i++) out.push([rng.random() * 10, (rng.random() - 0.5) * 40]);
  return out;
}

// Computed with these functions, which equal Node 20's V8 Math bit for bit (checked below when the
// tests run there): on any engine, no result may move by a single bit.
const EXPECTED: Record<string, string> = {
  exp: "ee246ebb",
  expm1: "cdc6df7f",
  log1p: "4a79bcb5",
  tanh: "9d875eb4",
  sin: "1dc44820",
  cos: "11a697a3",
  pow: "fbe2e98c",
};

/** Node 20's V8 still computes Math.* with fdlibm; newer engines (and browsers) differ in the last bit. */
const HOST_IS_FDLIBM = /^11\./.test(process.versions.v8);

describe("deterministic elementary functions (fdlibm)", () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: the same bits on every engine`, () => {
      expect(digest(Array.from(c.x, c.f))).toBe(EXPECTED[name]);
      if (HOST_IS_FDLIBM) {
        let differ = 0;
        for (const x of c.x) if (!Object.is(c.f(x), c.host(x))) differ++;
        expect(differ).toBe(0);
      }
    });
  }

  it("pow: the same bits on every engine, and JavaScript's special cases", () => {
    const pairs = powArgs();
    expect(digest(pairs.map(([x, y]) => pow(x, y)))).toBe(EXPECTED.pow);
    if (HOST_IS_FDLIBM) expect(pairs.filter(([x, y]) => !Object.is(pow(x, y), x ** y))).toEqual([]);
    expect(pow(1, Number.POSITIVE_INFINITY)).toBeNaN();
    expect(pow(Number.NaN, 0)).toBe(1);
    expect(pow(-8, 1 / 3)).toBeNaN();
    expect(pow(-2, 3)).toBe(-8);
    expect(pow(2, -1074)).toBe(5e-324);
    expect(pow(2, 1024)).toBe(Number.POSITIVE_INFINITY);
    expect(pow(0.9, 2)).toBe(0.9 * 0.9);
  });

  it("handles the special values", () => {
    expect(exp(0)).toBe(1);
    expect(exp(1)).toBe(Math.E);
    expect(exp(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(exp(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(exp(710)).toBe(Number.POSITIVE_INFINITY);
    expect(exp(-746)).toBe(0);
    expect(exp(-745)).toBe(5e-324);
    expect(exp(Number.NaN)).toBeNaN();
    expect(expm1(-0)).toBe(-0);
    expect(expm1(-100)).toBe(-1);
    expect(log1p(-1)).toBe(Number.NEGATIVE_INFINITY);
    expect(log1p(-2)).toBeNaN();
    expect(log1p(1e-300)).toBe(1e-300);
    expect(tanh(Number.POSITIVE_INFINITY)).toBe(1);
    expect(tanh(-30)).toBe(-1);
    expect(tanh(-0)).toBe(-0);
    expect(sin(0)).toBe(0);
    expect(cos(0)).toBe(1);
    expect(sin(Number.POSITIVE_INFINITY)).toBeNaN();
    expect(scalbn(1, -1074)).toBe(5e-324);
    expect(scalbn(3, 1023)).toBe(Number.POSITIVE_INFINITY);
  });

  it("stays within 1 ulp of the true values", () => {
    // The true values rounded to the nearest double (computed with 50-digit arithmetic).
    const refs: Array<[string, number, number]> = [
      ["exp", exp(-19.9982), 2.0648670400321577e-9],
      ["exp", exp(0.5), 1.6487212707001282],
      ["log1p", log1p(1e-5), 9.999950000333332e-6],
      ["tanh", tanh(0.5), 0.46211715726000974],
      ["sin", sin(1e6), -0.34999350217129294],
      ["cos", cos(10), -0.8390715290764524],
    ];
    for (const [name, got, want] of refs) {
      const ulp = 2 ** (Math.floor(Math.log2(Math.abs(want))) - 52);
      expect(Math.abs(got - want), name).toBeLessThanOrEqual(ulp);
    }
  });
});
