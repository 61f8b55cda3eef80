import { describe, expect, it } from "vitest";
import { fromRows } from "../../src/core/matrix.js";
import {
  ensembleUncertainty,
  mcDropoutPasses,
  predictWithUncertainty,
  quantileSorted,
  summarizePasses,
  thinnedNetwork,
} from "../../src/core/mc-dropout.js";
import { Network } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import { ModelFormatError, modelFromJSON, modelKeepProbs, modelToJSON } from "../../src/core/serialize.js";
import { fromExampleRows } from "../../src/data/dataset.js";
import { recommend } from "../../src/experiments/recommend.js";
import {
  connectedComponents,
  probabilityMap,
  recommendZones,
  zoneMembership,
} from "../../src/experiments/zones.js";
import { loadDataFile } from "../../src/node/load-data.js";
import { plotKickMap } from "../../src/plot/kick-map.js";
import type { ProbabilityMap } from "../../src/plot/probability-map.js";
import { FOOTBALL_VIEW } from "../../src/plot/view.js";
import { fit as trainNetwork } from "../../src/training/train.js";
import { parseXml } from "../plot/xml.js";
import { FOOTBALL_MAT, HAS_FOOTBALL, NO_FOOTBALL_REASON } from "../support/paths.js";

/**
 * A hand-made map on a 10 × 10 grid over [0, 1]²: `cells(i, j)` gives each pass's probability
 * (the same in every pass unless `wobble` adds ±wobble alternately).
 */
function handMap(value: (i: number, j: number) => number, T = 4, wobble = 0): ProbabilityMap {
  const nx = 10;
  const ny = 10;
  const m = nx * ny;
  const values = new Float64Array(T * m);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++)
        values[t * m + j * nx + i] = value(i, j) + (t % 2 === 0 ? wobble : -wobble);
    }
  }
  const u = summarizePasses({ method: "mc-dropout", samples: T, points: m, values });
  return { ...u, view: { xMin: 0, xMax: 1, yMin: 0, yMax: 1 }, nx, ny };
}

describe("connectedComponents", () => {
  it("joins cells through edges only (4-connectivity), not through corners", () => {
    // 1 1 0 0
    // 0 0 1 0     the lone middle cell touches the top pair only at a corner
    // 0 0 1 1
    const grid = Uint8Array.from([0, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0]); // rows from the bottom
    const parts = connectedComponents(grid, 4, 3);
    expect(parts.map((p) => Array.from(p))).toEqual([
      [2, 3, 6],
      [8, 9],
    ]);
  });
});

describe("quantileSorted", () => {
  it("interpolates linearly between order statistics, as numpy.percentile", () => {
    const v = [1, 2, 3, 4];
    expect(quantileSorted(v, 0.05)).toBeCloseTo(1.15, 12); // np.percentile([1,2,3,4], 5)
    expect(quantileSorted(v, 0.95)).toBeCloseTo(3.85, 12);
    expect(quantileSorted(v, 0.5)).toBe(2.5);
    expect(quantileSorted([7], 0.05)).toBe(7);
  });
});

describe("recommendZones on a hand-made map", () => {
  // A 6 × 4 block at 0.9 (x cells 1..6, y rows 1..4), a 3 × 3 block at 0.99 (cells 7..9, rows 6..8),
  // a 2-cell speck at 0.95 (cells 0..1, row 9), everything else 0.2.
  const value = (i: number, j: number) => {
    if (i >= 1 && i <= 6 && j >= 1 && j <= 4) return 0.9;
    if (i >= 7 && j >= 6 && j <= 8) return 0.99;
    if (i <= 1 && j === 9) return 0.95;
    return 0.2;
  };

  it("finds the regions above the threshold, drops specks, ranks by area × mean", () => {
    const zones = recommendZones(handMap(value), { threshold: 0.8 });
    expect(zones).toHaveLength(2);
    const [big, small] = zones;
    expect([big.rank, small.rank]).toEqual([1, 2]);
    expect(big.cells).toBe(24);
    expect(big.area).toBeCloseTo(24 * 0.01, 12);
    expect(big.centre.x).toBeCloseTo(0.4, 12); // cells 1..6 → centres 0.15 … 0.65
    expect(big.centre.y).toBeCloseTo(0.3, 12);
    expect(big.meanProbability).toBeCloseTo(0.9, 12);
    expect(small.cells).toBe(9);
    expect(small.meanProbability).toBeCloseTo(0.99, 12);
    expect(big.score).toBeGreaterThan(small.score); // 0.216 > 0.0891
    // The aim point is deep inside: in the big block, one of its two middle rows.
    expect(big.target.y).toBeGreaterThan(0.2);
    expect(big.target.y).toBeLessThan(0.4);
    expect(big.clearance).toBeCloseTo(0.15, 12); // 1.5 cells: the block is 4 rows tall
    // The speck returns with minCells 1.
    expect(recommendZones(handMap(value), { threshold: 0.8, minCells: 1 })).toHaveLength(3);
    // Above every cell: no zone.
    expect(recommendZones(handMap(value), { threshold: 0.995 })).toHaveLength(0);
  });

  it("uses the lower bound, not the mean: a wobbly block falls out", () => {
    // Passes alternate 0.9 ± 0.15: mean 0.9 but the 5th percentile is 0.75 < 0.8.
    const zones = recommendZones(handMap(value, 20, 0.15), { threshold: 0.8 });
    expect(zones.map((z) => z.meanProbability.toFixed(2))).toEqual(["0.99"]);
    expect(zones[0].minLowerBound).toBeGreaterThanOrEqual(0.8);
  });

  it("gives the zone mean's interval from the per-pass zone means: mean ± 1.96·sd/√T", () => {
    const T = 20;
    const zones = recommendZones(handMap(value, T, 0.005), { threshold: 0.8 });
    const z = zones.find((q) => q.cells === 24)!;
    // Zone means alternate 0.905, 0.895: sd = 0.005·√(T/(T−1)).
    const sd = 0.005 * Math.sqrt(T / (T - 1));
    expect(z.standardError).toBeCloseTo(sd / Math.sqrt(T), 12);
    expect(z.interval.high - z.interval.low).toBeCloseTo((2 * 1.959963984540054 * sd) / Math.sqrt(T), 9);
    expect(z.spread.low).toBeCloseTo(0.895, 12);
    expect(z.spread.high).toBeCloseTo(0.905, 12);
  });

  it("counts the training examples inside each zone and keeps the aim point near data", () => {
    const rows: number[][] = [];
    const labels: number[] = [];
    // Ten class-1 points inside the big block, two class-0 points outside.
    for (let k = 0; k < 10; k++) {
      rows.push([0.12 + 0.05 * k, 0.35]);
      labels.push(1);
    }
    rows.push([0.9, 0.1], [0.95, 0.15]);
    labels.push(0, 0);
    const data = fromExampleRows(rows, labels);
    const zones = recommendZones(handMap(value), { threshold: 0.8, data });
    expect(zones[0].examples).toEqual({ count: 10, class1: 10 });
    expect(zones[1].examples).toEqual({ count: 0, class1: 0 });
    const labelsOf = zoneMembership(handMap(value), zones, 0.8);
    expect(labelsOf.filter((r) => r === 1).length).toBe(24);
    expect(labelsOf.filter((r) => r === 2).length).toBe(9);
  });

  it("writes a sentence for the coach, and one for when nothing qualifies", () => {
    const rec = recommend(handMap(value), { threshold: 0.8, pitch: { xMin: 0, xMax: 1, yMin: 0, yMax: 1 } });
    expect(rec.sentence).toMatch(
      /^Aim the goalkeeper's kicks at \(x = 0\.\d\d, y = 0\.\d\d\), about \d+ m out from France's goal line/,
    );
    expect(rec.sentence).toMatch(/Second choice: zone 2/);
    expect(rec.zones[0].areaSquareMetres).toBeCloseTo(0.24 * 105 * 68, 6);
    const none = recommend(handMap(value), { threshold: 0.999 });
    expect(none.sentence).toMatch(/^No zone qualifies/);
  });
});

describe("MC dropout", () => {
  const net = Network.initialize([2, 8, 5, 1], new RandomState(7), { activation: "linear" });
  const X = fromRows([
    [0.1, -0.4, 0.7],
    [0.3, 0.2, -0.5],
  ]);

  it("keeps the expected pre-activation (inverted dropout), here exactly linear", () => {
    // With linear hidden units the output logit is linear in each mask, and the masks of the two
    // layers are independent, so E[logit] over thinned networks is the full network's logit.
    const rng = new RandomState(3);
    const T = 20000;
    const sums = new Float64Array(3);
    for (let t = 0; t < T; t++) {
      const z = thinnedNetwork(net, [0.8, 0.7], rng).logits(X);
      for (let j = 0; j < 3; j++) sums[j] += z[j];
    }
    const full = net.logits(X);
    for (let j = 0; j < 3; j++) expect(sums[j] / T).toBeCloseTo(full[j], 1);
  });

  it("draws the same passes from the same seed, others from another, and none at keepProb 1", () => {
    const a = predictWithUncertainty(net, X, { keepProb: 0.8, samples: 50, seed: 1 });
    const b = predictWithUncertainty(net, X, { keepProb: 0.8, samples: 50, seed: 1 });
    const c = predictWithUncertainty(net, X, { keepProb: 0.8, samples: 50, seed: 2 });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(Array.from(a.values)).not.toEqual(Array.from(c.values));
    for (let j = 0; j < 3; j++) {
      expect(a.low[j]).toBeLessThanOrEqual(a.mean[j] + 1e-12);
      expect(a.high[j]).toBeGreaterThanOrEqual(a.mean[j] - 1e-12);
      expect(a.standardError[j]).toBeCloseTo(a.sd[j] / Math.sqrt(50), 15);
    }
    expect(thinnedNetwork(net, [1, 1], new RandomState(0)).weights).toEqual(net.weights);
    expect(() => mcDropoutPasses(net, X, { keepProb: 1 })).toThrow(/needs a network trained with dropout/);
    expect(() => mcDropoutPasses(net, X, { keepProb: 0.8, samples: 1 })).toThrow(/≥ 2/);
  });

  it("summarizes an ensemble the same way: identical members agree exactly", () => {
    const u = ensembleUncertainty([net, net.clone(), net.clone()], X);
    expect(u.method).toBe("ensemble");
    expect(Array.from(u.sd)).toEqual([0, 0, 0]);
    expect(Array.from(u.low)).toEqual(Array.from(u.mean));
  });
});

describe("model files record keepProb for MC dropout", () => {
  const net = Network.initialize([2, 4, 3, 1], new RandomState(1));
  it("reads it back per hidden layer, 1 when absent", () => {
    expect(modelKeepProbs(modelToJSON(net, { config: { keepProb: 0.86 } }))).toEqual([0.86, 0.86]);
    expect(modelKeepProbs(modelToJSON(net, { config: { keepProb: [0.5, 1] } }))).toEqual([0.5, 1]);
    expect(modelKeepProbs(modelToJSON(net))).toEqual([1, 1]);
  });
  it("rejects a keepProb that does not fit the network", () => {
    for (const keepProb of [0, 1.5, [0.5], "0.8", [0.5, Number.NaN]]) {
      expect(() => modelFromJSON(modelToJSON(net, { config: { keepProb } }))).toThrow(ModelFormatError);
    }
    expect(() => modelFromJSON({ ...modelToJSON(net), config: [1] })).toThrow(/config must be an object/);
  });
});

describe.skipIf(!HAS_FOOTBALL)(
  `MC dropout on football.mat${HAS_FOOTBALL ? "" : ` — skipped: ${NO_FOOTBALL_REASON}`}`,
  () => {
    it("puts the zones where French wins cluster, and its estimates tighten as passes grow", async () => {
      const data = await loadDataFile(FOOTBALL_MAT);
      const { network } = await trainNetwork(data.train, { keepProb: 0.86 });
      const map = (samples: number, seed: number, n = 40) =>
        probabilityMap(
          (X) => predictWithUncertainty(network, X, { keepProb: 0.86, samples, seed }),
          FOOTBALL_VIEW,
          n,
        );

      // Zones: upper left of the diagonal, where the training data's y = 1 points are.
      const rec = recommend(map(100, 0, 80), { threshold: 0.8, pitch: FOOTBALL_VIEW, data: data.train });
      expect(rec.zones.length).toBeGreaterThan(0);
      for (const z of rec.zones) {
        expect(z.centre.y - z.centre.x).toBeGreaterThan(0.3);
        expect(z.target.y - z.target.x).toBeGreaterThan(0.3);
        expect(z.examples!.class1 / z.examples!.count).toBeGreaterThan(0.9);
      }

      // Why these must shrink: the mean of T independent passes has variance σ²/T, so its error
      // against a 4000-pass reference, and the standard error sd/√T we report (half the 95%
      // interval / 1.96), fall like 1/√T — by √20 ≈ 4.5 from 10 to 200 passes. A single small run
      // can miss the rare thinned networks that make the tails (then its sd is too small), so both
      // are averaged over 8 mask seeds.
      const ref = map(4000, 1000);
      const measure = (T: number) => {
        let err = 0;
        let se = 0;
        for (let seed = 0; seed < 8; seed++) {
          const u = map(T, seed);
          let e = 0;
          for (let c = 0; c < u.mean.length; c++) e += (u.mean[c] - ref.mean[c]) ** 2;
          err += Math.sqrt(e / u.mean.length) / 8;
          se += u.standardError.reduce((s, v) => s + v, 0) / u.standardError.length / 8;
        }
        return { err, se };
      };
      const few = measure(10);
      const many = measure(200);
      expect(many.err).toBeLessThan(0.4 * few.err);
      expect(many.se).toBeLessThan(0.5 * few.se);

      // The kick map: valid SVG, one disc per training point, the zone outlined and numbered.
      const kick = map(100, 0, 80);
      const svg = plotKickMap(kick, rec.zones, {
        threshold: 0.8,
        membership: zoneMembership(kick, rec.zones, 0.8),
        pitch: true,
        data: data.train,
        classNames: ["other team wins", "French player wins"],
        areaUnit: "m2",
      });
      const xml = parseXml(svg);
      expect(xml.root).toBe("svg");
      expect(xml.counts.get("circle")).toBe(data.train.X.cols);
      expect(svg).toContain('class="zones"');
      expect(svg).toMatch(/<g class="zone-labels">.*>1<\/text>/s);
      expect(svg).toContain("zone edge: 5th percentile = 0.8");
    });
  },
);
