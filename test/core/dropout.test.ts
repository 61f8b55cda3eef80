import { describe, expect, it } from "vitest";
import { drawMask, keepProbsFor, MaskSource } from "../../src/core/dropout.js";
import { RandomState } from "../../src/core/random.js";

describe("inverted dropout", () => {
  it("keeps the expected activation: mean of a·mask ≈ a", () => {
    // n = 200 000 draws; the mean of a·mask/a has sd √((1−p)/(p·n)), so 5 sd is a safe bound.
    for (const p of [0.5, 0.86, 0.95]) {
      const n = 200_000;
      const mask = new Float64Array(n);
      drawMask(new RandomState(11), mask, n, p);
      const a = 0.37;
      let sum = 0;
      let kept = 0;
      for (let i = 0; i < n; i++) {
        sum += a * mask[i];
        if (mask[i] !== 0) kept++;
      }
      const sd = Math.sqrt((1 - p) / (p * n));
      expect(Math.abs(sum / n / a - 1)).toBeLessThan(5 * sd);
      expect(Math.abs(kept / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
      expect(new Set(mask)).toEqual(new Set([0, 1 / p]));
    }
  });

  it("draws masks as numpy's rand(n_l, m) < keepProb, layer by layer in row-major order", () => {
    const m = 7;
    const sizes = [2, 4, 3, 1];
    const masks = [new Float64Array(4 * m), new Float64Array(3 * m)];
    new MaskSource("fresh", new RandomState(5)).draw(masks, sizes, [0.8, 0.6], m);
    const u = new RandomState(5).rand(7 * m);
    for (let i = 0; i < 4 * m; i++) expect(masks[0][i]).toBe(u[i] < 0.8 ? 1 / 0.8 : 0);
    for (let i = 0; i < 3 * m; i++) expect(masks[1][i]).toBe(u[4 * m + i] < 0.6 ? 1 / 0.6 : 0);
  });

  it("skips layers that keep every unit, and `fixed` reuses RandomState(1)'s masks", () => {
    const m = 5;
    const masks = [undefined, new Float64Array(3 * m)];
    const fixed = new MaskSource("fixed", new RandomState(99));
    fixed.draw(masks, [2, 4, 3, 1], [1, 0.5], m);
    const u = new RandomState(1).rand(3 * m);
    for (let i = 0; i < 3 * m; i++) expect(masks[1]![i]).toBe(u[i] < 0.5 ? 2 : 0);
    const first = masks[1]!.slice();
    fixed.draw(masks, [2, 4, 3, 1], [1, 0.5], m);
    expect(masks[1]).toEqual(first);
  });

  it("fresh masks change from one iteration to the next", () => {
    const m = 50;
    const masks = [new Float64Array(20 * m)];
    const source = new MaskSource("fresh", new RandomState(3));
    source.draw(masks, [2, 20, 1], [0.5], m);
    const first = masks[0].slice();
    source.draw(masks, [2, 20, 1], [0.5], m);
    expect(masks[0]).not.toEqual(first);
  });

  it("validates keepProb", () => {
    expect(keepProbsFor(0.86, 2)).toEqual([0.86, 0.86]);
    expect(keepProbsFor([1, 0.5], 2)).toEqual([1, 0.5]);
    for (const bad of [0, -0.1, 1.5, Number.NaN]) expect(() => keepProbsFor(bad, 2)).toThrow(/\(0, 1\]/);
    expect(() => keepProbsFor([0.5], 2)).toThrow(/2 hidden layers/);
    expect(() => new MaskSource("sometimes" as "fresh", new RandomState(1))).toThrow(/mask policy/);
  });
});
