import { describe, expect, it } from "vitest";
import { formatTick, linearScale, logScale, logTicks, niceDomain, niceTicks } from "../../src/plot/scale.js";
import { compactPath, esc, fmt } from "../../src/plot/svg.js";

describe("number formatting and escaping", () => {
  it("writes at most the requested decimals, trimmed, never -0 or exponents", () => {
    expect(fmt(1.23456)).toBe("1.23");
    expect(fmt(1.23456, 4)).toBe("1.2346");
    expect(fmt(2.5, 9)).toBe("2.5");
    expect(fmt(3)).toBe("3");
    expect(fmt(-0.0001)).toBe("0");
    expect(fmt(1e-12, 4)).toBe("0");
    expect(fmt(123456789.123)).toBe("123456789.12");
    expect(fmt(Number.NaN)).toBe("0");
  });

  it("escapes XML specials and drops control characters", () => {
    expect(esc(`a<b & "c" 'd'>`)).toBe("a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
    expect(esc("x\u0001y")).toBe("x y");
    expect(esc("λ = 0.7 ✓")).toBe("λ = 0.7 ✓");
  });
});

describe("linear scales", () => {
  it("maps and inverts", () => {
    const s = linearScale([0, 10], [100, 200]);
    expect(s.map(5)).toBe(150);
    expect(s.invert(175)).toBe(7.5);
    const flipped = linearScale([0, 1], [300, 100]);
    expect(flipped.map(1)).toBe(100);
  });

  it("picks round ticks inside the domain", () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 30000, 6)).toEqual([0, 5000, 10000, 15000, 20000, 25000, 30000]);
    expect(niceTicks(-0.75, 0.65, 7)).toEqual([-0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6]);
    expect(niceTicks(-0.75, 0.65, 5)).toEqual([-0.75, -0.5, -0.25, 0, 0.25, 0.5]);
    expect(niceTicks(0.1, 0.3, 2)).toEqual([0.1, 0.2, 0.3]);
    expect(niceDomain(0.13, 0.97, 5)).toEqual([0, 1]);
  });

  it("formats ticks with shared decimals and a true minus sign", () => {
    const ticks = [-0.5, -0.25, 0, 0.25];
    expect(ticks.map((t) => formatTick(t, ticks))).toEqual(["−0.50", "−0.25", "0", "0.25"]);
    expect(formatTick(30000, [0, 30000])).toBe("30000");
    expect(formatTick(2e7, [0, 2e7])).toBe("2e7");
  });
});

describe("log scales", () => {
  it("labels powers of ten when the domain spans decades", () => {
    const s = logScale([3e-5, 2], [400, 0]);
    const ticks = s.ticks();
    expect(ticks).toEqual([1e-4, 1e-3, 1e-2, 0.1, 1]);
    for (const t of ticks) expect(Math.log10(t)).toBeCloseTo(Math.round(Math.log10(t)), 12);
    expect(ticks.map((t) => s.format(t))).toEqual(["0.0001", "0.001", "0.01", "0.1", "1"]);
    expect(s.map(1e-3) - s.map(1e-2)).toBeCloseTo(s.map(0.1) - s.map(1), 9);
    expect(s.minorTicks()).toContain(0.02);
    expect(s.minorTicks()).not.toContain(0.1);
    expect(logTicks(0.5, 2000)).toEqual([1, 10, 100, 1000]);
  });

  it("adds 2× and 5× labels inside a single decade", () => {
    expect(logScale([0.055, 0.72], [0, 1]).ticks()).toEqual([0.1, 0.2, 0.5]);
    expect(logScale([0.31, 0.39], [0, 1]).ticks().length).toBeGreaterThanOrEqual(2);
  });

  it("maps non-positive values to NaN and refuses a non-positive domain", () => {
    expect(Number.isNaN(logScale([1, 10], [0, 1]).map(0))).toBe(true);
    expect(() => logScale([0, 1], [0, 1])).toThrow(/positive/);
  });
});

describe("compact paths", () => {
  it("writes relative steps between rounded points, so rounding never drifts", () => {
    const xs = [0.04, 1.26, 2.44, -3.05];
    const ys = [10, 9.96, 12.5, 12.5];
    const d = compactPath(xs, ys);
    expect(d).toBe("M0 10l1.3 0 1.1 2.5-5.4 0");
    expect(compactPath([1, 2], [3, 4], true)).toBe("M1 3l1 1z");
    expect(compactPath([], [])).toBe("");
    const many = Array.from({ length: 1000 }, (_, i) => i * 0.123456);
    const path = compactPath(many, many);
    const nums = path.slice(1).replace("l", " ").replace(/-/g, " -").trim().split(/\s+/).map(Number);
    let x = nums[0];
    for (let k = 2; k < nums.length; k += 2) x += nums[k];
    expect(x).toBeCloseTo(999 * 0.123456, 1);
  });
});
