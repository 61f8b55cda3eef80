import { describe, expect, it } from "vitest";
import { layeredMcDropoutPasses } from "../../src/core/layers/mc-dropout.js";
import { LayeredNetwork } from "../../src/core/layers/network.js";
import { parseLayerSpecs } from "../../src/core/layers/spec.js";
import { matrix } from "../../src/core/matrix.js";
import { summarizePasses } from "../../src/core/mc-dropout.js";
import { RandomState } from "../../src/core/random.js";

const shape = { height: 6, width: 6, channels: 1 };

function images(m: number) {
  const X = matrix(36, m);
  new RandomState(5).rand(X.data.length, X.data);
  return X;
}

function net(hidden: string) {
  const layers = [...parseLayerSpecs(hidden), { type: "dense" as const, units: 3 }];
  return LayeredNetwork.initialize(layers, shape, new RandomState(1));
}

describe("MC dropout on a layered network", () => {
  it("without dropout layers every pass is the network's own prediction: spread 0", () => {
    const n = net("conv:2:3,maxpool:2,flatten,8");
    const X = images(300); // more than one batch of 256
    const passes = layeredMcDropoutPasses(n, X, { samples: 5, seed: 2 });
    const p = Array.from(n.predictProba(X));
    for (let t = 0; t < 5; t++)
      expect(Array.from(passes.values.subarray(t * p.length, (t + 1) * p.length))).toEqual(p);
    // (The summary's sd is then 0 up to the rounding of the mean.)
    expect(Math.max(...summarizePasses(passes).sd)).toBeLessThan(1e-15);
  });

  it("with dropout and spatial dropout the passes spread; the same seed gives the same bits", () => {
    const n = net("conv:2:3,spatial-dropout:0.5,maxpool:2,flatten,8,dropout:0.7");
    const X = images(40);
    const a = layeredMcDropoutPasses(n, X, { samples: 50, seed: 2 });
    const u = summarizePasses(a);
    expect(u.classes).toBe(3);
    expect(Math.min(...u.sd)).toBeGreaterThan(0);
    expect(Array.from(layeredMcDropoutPasses(n, X, { samples: 50, seed: 2 }).values)).toEqual(
      Array.from(a.values),
    );
    expect(Array.from(layeredMcDropoutPasses(n, X, { samples: 50, seed: 3 }).values)).not.toEqual(
      Array.from(a.values),
    );
  });

  it("spatial dropout keeps or drops a whole feature map, the same one for every point of a pass", () => {
    // Input 1 × 1 × 2 → spatial dropout 0.5 → one sigmoid unit with weights (1, 10), bias 0.
    const n = new LayeredNetwork(
      [
        { type: "spatial-dropout", keepProb: 0.5 },
        { type: "dense", units: 1 },
      ],
      { height: 1, width: 1, channels: 2 },
      "relu",
      [Float64Array.of(1, 10)],
      [Float64Array.of(0)],
    );
    const X = matrix(2, 2);
    X.data.set([1, 2, 1, 1]); // point 0 = (1, 1), point 1 = (2, 1)
    const passes = layeredMcDropoutPasses(n, X, { samples: 200, seed: 0 });
    const logit = (p: number) => Math.log(p / (1 - p));
    const seen = new Set<string>();
    for (let t = 0; t < 200; t++) {
      const z0 = logit(passes.values[2 * t]);
      const z1 = logit(passes.values[2 * t + 1]);
      // Kept maps are scaled by 2: logits 0, 2·x₁, 20·x₂ or both — one choice shared by both points.
      const keep1 = Math.abs(z0 - 0) > 1e-6 && Math.abs(z0 - 20) > 1e-6; // channel 0 kept
      const keep2 = z0 >= 20 - 1e-6; // channel 1 kept
      expect(z0).toBeCloseTo((keep1 ? 2 : 0) + (keep2 ? 20 : 0), 6);
      expect(z1).toBeCloseTo((keep1 ? 4 : 0) + (keep2 ? 20 : 0), 6);
      seen.add(`${keep1}${keep2}`);
    }
    expect(seen.size).toBe(4);
  });
});
