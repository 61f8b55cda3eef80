import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fma, glibcLog, glibcLogExact, glibcLogInto } from "../../src/core/glibc-log.js";
import { RandomState } from "../../src/core/random.js";

// Written by scripts/fixtures/glibc_log.py: glibc's log (its FMA variant) and the C library's fma.
interface Fixture {
  misrounded: number;
  cases: [string, string][];
  fma: [string, string, string, string][];
}
const fixture: Fixture = JSON.parse(
  readFileSync(new URL("../fixtures/glibc-log.json", import.meta.url), "utf8"),
);

const view = new DataView(new ArrayBuffer(8));
function fromBits(hex: string): number {
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}
function bits(x: number): string {
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, "0");
}

describe("glibcLog", () => {
  it("returns glibc's bits, including where glibc is not correctly rounded", () => {
    expect(fixture.misrounded).toBeGreaterThanOrEqual(80);
    let misroundedByMathLog = 0;
    for (const [x, want] of fixture.cases) {
      const v = fromBits(x);
      expect(bits(glibcLog(v)), `log(${v})`).toBe(want);
      expect(bits(glibcLogExact(v)), `exact log(${v})`).toBe(want);
      if (bits(Math.log(v)) !== want) misroundedByMathLog++;
    }
    // The fixture tells the two apart: an accurate log alone would not pass it.
    expect(misroundedByMathLog).toBeGreaterThan(0);
  });

  it("glibcLogInto takes the same logs over an array, in place", () => {
    const xs = Float64Array.from(fixture.cases, ([x]) => fromBits(x));
    glibcLogInto(xs, xs, xs.length);
    expect(Array.from(xs, bits)).toEqual(fixture.cases.map(([, want]) => want));
  });

  it("takes glibc's values at the edges: 0, negatives, ∞, NaN, subnormals", () => {
    expect(glibcLog(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(glibcLog(-0)).toBe(Number.NEGATIVE_INFINITY);
    expect(glibcLog(-1)).toBeNaN();
    expect(glibcLog(Number.NaN)).toBeNaN();
    expect(glibcLog(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(glibcLog(1)).toBe(0);
    expect(glibcLog(5e-324)).toBe(-744.4400719213812);
  });

  it("agrees with its exact (fully fused) evaluation on 300 000 inputs", () => {
    const rs = new RandomState(20);
    const u = rs.rand(300_000);
    let mathLogDiffers = 0;
    for (let j = 0; j < u.length; j += 3) {
      // r² of the polar method, a point near 1, and any positive double's bits.
      const r2 = (2 * u[j] - 1) ** 2 + (2 * u[j + 1] - 1) ** 2;
      const near = 0.9375 + 0.127 * u[j + 2];
      const any = 2 ** Math.floor(2098 * u[j + 2] - 1074) * (1 + u[j]);
      for (const x of [r2, near, any]) {
        const fast = glibcLog(x);
        const exact = glibcLogExact(x);
        if (!Object.is(fast, exact)) expect(bits(fast), `log(${x})`).toBe(bits(exact));
        if (Math.log(x) !== exact) mathLogDiffers++;
      }
    }
    expect(mathLogDiffers).toBeGreaterThan(0);
  });
});

describe("fma", () => {
  it("rounds a·b + c once, as the C library's fma", () => {
    for (const [a, b, c, want] of fixture.fma) {
      const got = fma(fromBits(a), fromBits(b), fromBits(c));
      expect(bits(got), `fma(${fromBits(a)}, ${fromBits(b)}, ${fromBits(c)})`).toBe(want);
    }
    expect(fma(1 + 2 ** -27, 1 - 2 ** -27, -1)).toBe(-(2 ** -54));
  });
});
