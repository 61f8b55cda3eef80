import { describe, expect, it } from "vitest";
import { cos, exp, expm1, log1p, powInt, sin, tanh } from "../../src/core/libm.js";
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

const F = new Float64Array(1);
const B = new BigInt64Array(F.buffer);
/** Distance in units in the last place between two finite doubles of the same sign. */
function ulps(a: number, b: number): number {
  F[0] = a;
  const x = B[0];
  F[0] = b;
  const y = B[0];
  return Number(x > y ? x - y : y - x);
}

// Digests of these functions' results on the arguments above: on any engine, no result may move
// by a single bit (the host's own Math.* may; that is why the engine has these).
const EXPECTED: Record<string, string> = {
  exp: "517efbdd",
  expm1: "e71d2d39",
  log1p: "df67f878",
  tanh: "5074f4fa",
  sin: "89b638b9",
  cos: "85b97bff",
};

describe("deterministic elementary functions", () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: the same bits on every engine, within a few ulp of Math.${name}`, () => {
      expect(digest(Array.from(c.x, c.f))).toBe(EXPECTED[name]);
      let worst = 0;
      for (const x of c.x.subarray(0, N)) {
        const want = c.host(x);
        if (Number.isFinite(want) && want !== 0) worst = Math.max(worst, ulps(c.f(x), want));
      }
      expect(worst).toBeLessThanOrEqual(4);
    });
  }

  it("powInt: exact squaring for Adam's bias corrections", () => {
    expect(powInt(0.9, 0)).toBe(1);
    expect(powInt(0.9, 1)).toBe(0.9);
    expect(powInt(0.9, 2)).toBe(0.9 * 0.9);
    expect(powInt(2, 10)).toBe(1024);
    expect(Math.abs(powInt(0.999, 20_000) / 0.999 ** 20_000 - 1)).toBeLessThan(1e-12);
  });

  it("handles the special values", () => {
    expect(exp(0)).toBe(1);
    expect(exp(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(exp(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(exp(710)).toBe(Number.POSITIVE_INFINITY);
    expect(exp(-746)).toBe(0);
    expect(exp(Number.NaN)).toBeNaN();
    expect(expm1(-100)).toBe(-1);
    expect(log1p(0)).toBe(0);
    expect(log1p(-1)).toBe(Number.NEGATIVE_INFINITY);
    expect(log1p(-2)).toBeNaN();
    expect(log1p(1e-300)).toBe(1e-300);
    expect(tanh(Number.POSITIVE_INFINITY)).toBe(1);
    expect(tanh(-30)).toBe(-1);
    expect(sin(0)).toBe(0);
    expect(cos(0)).toBe(1);
    expect(sin(Number.POSITIVE_INFINITY)).toBeNaN();
  });

  it("stays within 2 ulp of the true values", () => {
    // The true values rounded to the nearest double (python's decimal module, 50 digits).
    const refs: Array<[string, number, number]> = [
      ["exp", exp(-19.9982), 2.0648670400321577e-9],
      ["exp", exp(0.5), 1.6487212707001282],
      ["exp", exp(1), Math.E],
      ["log1p", log1p(1e-5), 9.999950000333332e-6],
      ["log1p", log1p(1), Math.LN2],
      ["tanh", tanh(0.5), 0.46211715726000974],
      ["sin", sin(1e6), -0.34999350217129294],
      ["cos", cos(10), -0.8390715290764524],
    ];
    for (const [name, got, want] of refs) expect(ulps(got, want), name).toBeLessThanOrEqual(2);
  });
});
