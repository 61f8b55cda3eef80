import { describe, expect, it } from "vitest";
import { generateDataset } from "../../src/data/generators.js";
import { analyzeMonotonic, riseShare, runChecks } from "../../src/training/check.js";

describe("analyzeMonotonic", () => {
  it("passes a strictly falling cost and ignores rounding-sized rises", () => {
    const r = analyzeMonotonic([0, 1, 2, 3], [0.7, 0.5, 0.5 * (1 + 1e-13), 0.4]);
    expect(r.monotonic).toBe(true);
    expect(r.rises).toBe(0);
    expect(r.fellOverall).toBe(true);
    expect(r.firstRise).toBeUndefined();
  });

  it("finds the first rise, the largest one relative to the cost, and counts them", () => {
    const costs = [0.7, 0.6, 0.61, 0.5, 0.4, 0.42, 0.3, 0.1, 0.11];
    const r = analyzeMonotonic(
      costs.map((_, k) => 10 * k),
      costs,
    );
    expect(r.monotonic).toBe(false);
    expect(r.rises).toBe(3);
    expect(r.firstRise).toMatchObject({ iteration: 20, from: 0.6, to: 0.61 });
    expect(r.firstRise!.increase).toBeCloseTo(0.01, 12);
    // +0.02 on 0.4 is 5 %, +0.01 on 0.1 is 10 %: the latter is the largest relative rise.
    expect(r.largestRise).toMatchObject({ iteration: 80, from: 0.1, to: 0.11 });
    expect(r.largestRise!.relative).toBeCloseTo(0.1, 12);
    expect(r.fellOverall).toBe(true);
  });

  it("says when the cost did not fall overall, and treats NaN as a rise", () => {
    expect(analyzeMonotonic([0, 1, 2], [0.5, 0.6, 0.7]).fellOverall).toBe(false);
    const r = analyzeMonotonic([0, 1, 2], [0.5, Number.NaN, 0.4]);
    expect(r.rises).toBe(1);
    expect(r.monotonic).toBe(false);
  });
});

describe("runChecks", () => {
  const data = generateDataset("football").train;
  const base = { hidden: [20, 3], seed: 3 };

  it("passes a small learning rate: monotonic cost, gradient check below 1e-6", async () => {
    const r = await runChecks(data, { ...base, learningRate: 0.05 }, { iterations: 1500 });
    expect(r.dropoutOff.status).toBe("pass");
    expect(r.dropoutOff.report!.points).toBe(1500);
    expect(r.dropoutOff.report!.monotonic).toBe(true);
    expect(r.dropoutOn).toBeUndefined();
    expect(r.gradient.passed).toBe(true);
    expect(r.gradient.relativeDifference).toBeLessThan(1e-6);
    expect(r.passed).toBe(true);
  });

  it("catches a planted non-monotonic run: a learning rate that makes the cost oscillate", async () => {
    const r = await runChecks(data, { ...base, learningRate: 1 }, { iterations: 1000 });
    const off = r.dropoutOff;
    expect(off.status).toBe("fail");
    expect(off.passed).toBe(false);
    expect(off.report!.firstRise!.iteration).toBeGreaterThan(0);
    expect(off.report!.firstRise!.increase).toBeGreaterThan(0);
    expect(off.report!.largestRise!.relative).toBeGreaterThan(0.01);
    expect(r.passed).toBe(false);
    // The gradient is still right: the fault is the step size, not backpropagation.
    expect(r.gradient.passed).toBe(true);
  });

  it("judges a mini-batch run's rises against its first cost, a full-batch run's against the cost before", () => {
    // Epoch-end costs of a CNN under Adam: a 44 % rise of almost nothing after falling from 2.8.
    const r = analyzeMonotonic([0, 10, 20, 30], [2.8, 1.0, 0.006, 0.00864]);
    expect(r.rises).toBe(1);
    expect(r.largestRise?.relative).toBeCloseTo(0.44, 12);
    expect(riseShare(r, false)).toBeCloseTo(0.44, 12);
    expect(riseShare(r, true)).toBeCloseTo(0.00264 / 2.8, 12);
    expect(riseShare(analyzeMonotonic([0, 1], [2, 1]), true)).toBe(0);
  });

  it("warns (and passes) on small rises, fails them with maxRise 0", async () => {
    // α = 0.3 on this data oscillates by well under 1 % of the cost.
    const loose = await runChecks(data, { ...base, learningRate: 0.3 }, { iterations: 2000 });
    expect(loose.dropoutOff.report!.rises).toBeGreaterThan(0);
    expect(loose.dropoutOff.report!.largestRise!.relative).toBeLessThan(0.01);
    expect(loose.dropoutOff.status).toBe("warn");
    expect(loose.passed).toBe(true);
    const strict = await runChecks(data, { ...base, learningRate: 0.3 }, { iterations: 2000, maxRise: 0 });
    expect(strict.dropoutOff.status).toBe("fail");
  });

  it("with dropout on, expects a cost that falls overall despite rises", async () => {
    const r = await runChecks(data, { ...base, keepProb: 0.8, learningRate: 0.1 }, { iterations: 1500 });
    expect(r.dropoutOff.keepProb).toBe(1);
    const on = r.dropoutOn!;
    expect(on.keepProb).toBe(0.8);
    expect(on.report!.rises).toBeGreaterThan(10);
    expect(on.report!.fellOverall).toBe(true);
    expect(on.status).toBe("pass");
    expect(r.gradient.passed).toBe(true);
  });

  it("with mini-batches, checks the whole training set's cost at each epoch end", async () => {
    const m = data.X.cols;
    const r = await runChecks(data, { ...base, batchSize: 32, learningRate: 0.05 }, { iterations: 600 });
    expect(r.dropoutOff.per).toBe("epoch");
    expect(r.dropoutOff.report!.points).toBe(1 + Math.floor(600 / Math.ceil(m / 32)));
  });

  it("reports divergence as a failed check instead of throwing", async () => {
    const r = await runChecks(data, { ...base, learningRate: 500 }, { iterations: 200 });
    expect(r.dropoutOff.diverged).toBeDefined();
    expect(r.dropoutOff.passed).toBe(false);
    expect(r.passed).toBe(false);
  });
});

describe("runChecks with K classes", () => {
  it("gradient-checks the softmax network the runs train, not a one-output sigmoid", async () => {
    const m = 30;
    const X = new Float64Array(2 * m);
    const y = new Uint8Array(m);
    for (let j = 0; j < m; j++) {
      y[j] = j % 3;
      X[j] = Math.cos((2 * Math.PI * y[j]) / 3) + 0.1 * Math.sin(7 * j);
      X[m + j] = Math.sin((2 * Math.PI * y[j]) / 3) + 0.1 * Math.cos(5 * j);
    }
    const r = await runChecks({ X: { rows: 2, cols: m, data: X }, y }, { hidden: [4], iterations: 50 });
    expect(r.gradient.parameters).toBe(2 * 4 + 4 + 4 * 3 + 3);
    expect(r.gradient.passed).toBe(true);
    expect(r.dropoutOff.passed).toBe(true);
  });
});

describe("runChecks with the settings table's regularizers", () => {
  it("turns training noise off with dropout, and checks the gradient with every penalty", async () => {
    const data = generateDataset("moons", { n: 120, seed: 1, testFraction: 0 }).train;
    const r = await runChecks(
      data,
      {
        hidden: [8],
        iterations: 300,
        learningRate: 0.1,
        regularizers: [
          { kind: "l1", lambda: 0.01 },
          { kind: "gaussian-noise", sigma: 0.1 },
        ],
      },
      { iterations: 300 },
    );
    // The noisy run is the "dropout on" one; without noise the cost falls at every step.
    expect(r.dropoutOn).toBeDefined();
    expect(r.dropoutOff.status).not.toBe("fail");
    expect(r.gradient.passed).toBe(true);
  });
});
