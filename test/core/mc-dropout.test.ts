import { describe, expect, it } from "vitest";
import { fromRows } from "../../src/core/matrix.js";
import { predictWithUncertainty, summarizePasses } from "../../src/core/mc-dropout.js";
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
