import { describe, expect, it } from "vitest";
import { fromRows } from "../../src/core/matrix.js";
import {
  mcDropoutPasses,
  predictedClass,
  predictWithUncertainty,
  summarizePasses,
  thinnedNetwork,
} from "../../src/core/mc-dropout.js";
import { Network } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import { generateDataset } from "../../src/data/generators.js";
import { fit } from "../../src/training/train.js";

describe("MC-dropout summary: the band and the value shown inside it agree", () => {
  it("a skewed spread puts the mean outside the 5–95 % band, so the band's centre is the median", () => {
    // 96 thinned networks say 0.99, 4 say 0.1: mean 0.9544, 5th percentile 0.99.
    const values = Float64Array.from({ length: 100 }, (_, t) => (t < 4 ? 0.1 : 0.99));
    const u = summarizePasses({ method: "mc-dropout", samples: 100, points: 1, values });
    expect(u.mean[0]).toBeCloseTo(0.9544, 12);
    expect(u.low[0]).toBe(0.99);
    expect(u.mean[0]).toBeLessThan(u.low[0]); // why the mean is never shown as the band's centre
    expect(u.median[0]).toBe(0.99);
    expect(u.low[0]).toBeLessThanOrEqual(u.median[0]);
    expect(u.median[0]).toBeLessThanOrEqual(u.high[0]);
  });

  it("low ≤ median ≤ high at every point for every seed of a trained dropout network", async () => {
    const data = generateDataset("football");
    const { network } = await fit(data.train, {
      hidden: [20, 3],
      keepProb: 0.86,
      iterations: 3000,
    });
    // Points across the pitch, including where the passes are most skewed (near-certain regions).
    const rows: number[][] = [];
    for (let i = 0; i <= 6; i++) for (let k = 0; k <= 6; k++) rows.push([-0.9 + 0.3 * i, -0.9 + 0.3 * k]);
    const X = fromRows(rows[0].map((_, f) => rows.map((r) => r[f])));
    let meanOutside = 0;
    for (let seed = 0; seed < 50; seed++) {
      const u = predictWithUncertainty(network, X, { keepProb: 0.86, samples: 200, seed });
      for (let j = 0; j < X.cols; j++) {
        expect(u.low[j]).toBeLessThanOrEqual(u.median[j]);
        expect(u.median[j]).toBeLessThanOrEqual(u.high[j]);
        if (u.mean[j] < u.low[j] || u.mean[j] > u.high[j]) meanOutside++;
      }
    }
    // The mean does leave the band on this network (the case users saw), the median never does.
    expect(meanOutside).toBeGreaterThan(0);
  });

  it("a network without hidden units to drop is refused", () => {
    const net = Network.initialize([2, 3, 1], new RandomState(0));
    expect(() => predictWithUncertainty(net, fromRows([[0], [0]]), { keepProb: 1 })).toThrow(/dropout/);
  });
});

describe("MC dropout on a K-class (softmax) network", () => {
  const K = 3;
  const net = Network.initialize([2, 6, 5, K], new RandomState(4));
  const X = fromRows([
    [-1, 0, 0.5, 2],
    [0.3, -0.4, 1, -2],
  ]);
  const m = X.cols;
  const keepProb = [0.7, 0.8];

  it("gives K probabilities per point in every pass, each pass one thinned network", () => {
    const p = mcDropoutPasses(net, X, { keepProb, samples: 20, seed: 9 });
    expect(p.classes).toBe(K);
    expect(p.values.length).toBe(20 * K * m);
    const rng = new RandomState(9);
    for (let t = 0; t < 20; t++) {
      const pass = thinnedNetwork(net, keepProb, rng).predictProba(X);
      expect(Array.from(p.values.subarray(t * K * m, (t + 1) * K * m))).toEqual(Array.from(pass));
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += p.values[t * K * m + k * m + j];
        expect(s).toBeCloseTo(1, 14);
      }
    }
  });

  it("summarizes each class of each point on its own, and the predicted class is the argmax of the means", () => {
    const T = 40;
    const u = predictWithUncertainty(net, X, { keepProb, samples: T, seed: 2 });
    expect(u.mean.length).toBe(K * m);
    for (let j = 0; j < m; j++) {
      let total = 0;
      for (let k = 0; k < K; k++) {
        const at = k * m + j;
        let s = 0;
        for (let t = 0; t < T; t++) s += u.values[t * K * m + at];
        expect(u.mean[at]).toBeCloseTo(s / T, 14);
        expect(u.low[at]).toBeLessThanOrEqual(u.median[at]);
        expect(u.median[at]).toBeLessThanOrEqual(u.high[at]);
        total += u.mean[at];
      }
      expect(total).toBeCloseTo(1, 13); // means of probabilities still sum to one
    }
    const c = predictedClass(u);
    for (let j = 0; j < m; j++) {
      const means = Array.from({ length: K }, (_, k) => u.mean[k * m + j]);
      expect(c.label[j]).toBe(means.indexOf(Math.max(...means)));
      expect(c.mean[j]).toBe(Math.max(...means));
      expect(c.low[j]).toBe(u.low[c.label[j] * m + j]);
      expect(c.high[j]).toBe(u.high[c.label[j] * m + j]);
    }
    // Asked for given classes, it reports those classes' bands.
    const given = predictedClass(u, [2, 2, 2, 2]);
    for (let j = 0; j < m; j++) expect(given.median[j]).toBe(u.median[2 * m + j]);
  });

  it("for a sigmoid, the predicted class's band is P(class 1)'s or its mirror", () => {
    const values = Float64Array.from([0.2, 0.9, 0.3, 0.8, 0.1, 0.7]); // 3 passes × 2 points
    const u = summarizePasses({ method: "mc-dropout", samples: 3, points: 2, values });
    const c = predictedClass(u);
    expect(Array.from(c.label)).toEqual([0, 1]);
    expect(c.mean[0]).toBeCloseTo(0.8, 14);
    expect(c.low[0]).toBeCloseTo(1 - u.high[0], 14);
    expect(c.high[0]).toBeCloseTo(1 - u.low[0], 14);
    expect(c.mean[1]).toBeCloseTo(0.8, 14);
  });
});
