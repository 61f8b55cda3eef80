import { describe, expect, it } from "vitest";
import { matrix } from "../../src/core/matrix.js";
import { DivergenceWatch } from "../../src/training/divergence.js";
import { DivergenceError } from "../../src/training/errors.js";

const context = {
  data: { X: matrix(1, 2, Float64Array.of(0.5, -0.5)), y: Uint8Array.of(0, 1) },
  learningRate: 0.3,
  lambda: 0,
  batch: 2,
};

describe("the divergence rule's watched cost", () => {
  it("ends the run at a cost that is not finite, the first one (iteration 0) included", () => {
    for (const bad of [Number.POSITIVE_INFINITY, Number.NaN]) {
      const first = new DivergenceWatch(context);
      expect(() => first.observeCost(0, bad)).toThrow(DivergenceError);
      expect(() => new DivergenceWatch(context).observeCost(0, bad)).toThrow(
        new RegExp(`diverged at iteration 0: the cost is not finite \\(${bad}\\)`),
      );
      const later = new DivergenceWatch(context);
      later.observeCost(0, 0.69);
      expect(() => later.observeCost(100, bad)).toThrow(/diverged at iteration 100: the cost is not finite/);
    }
  });

  it("keeps watching after finite costs: a start of 0.69 and 0.8 later is no divergence", () => {
    const w = new DivergenceWatch(context);
    w.observeCost(0, 0.69);
    expect(() => w.observeCost(100, 0.8)).not.toThrow();
  });
});
