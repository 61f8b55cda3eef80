import { describe, expect, it } from "vitest";
import { LayeredNetwork } from "../../src/core/layers/network.js";
import { parseLayerSpecs } from "../../src/core/layers/spec.js";
import { matrix } from "../../src/core/matrix.js";
import { RandomState } from "../../src/core/random.js";
import type { DataBundle } from "../../src/data/dataset.js";
import { type ComparisonModel, explainRow, runComparison } from "../../src/experiments/compare.js";
import { inProcessRunner } from "../../src/experiments/jobs.js";

/** 6 × 6 grayscale images: class 1 has a bright vertical bar, class 0 a horizontal one, plus noise. */
function bars(m: number, seed: number) {
  const rs = new RandomState(seed);
  const X = matrix(36, m);
  const y = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    y[j] = j % 2;
    const at = 1 + (j % 4);
    for (let r = 0; r < 6; r++)
      for (let c = 0; c < 6; c++) {
        const on = y[j] === 1 ? c === at : r === at;
        X.data[(r * 6 + c) * m + j] = (on ? 1 : 0) + 0.3 * rs.randn(1)[0];
      }
  }
  return { X, y, shape: { height: 6, width: 6, channels: 1 } };
}

const bundle: DataBundle = { source: "bars", train: bars(40, 1), test: bars(30, 2) };
const cnn = parseLayerSpecs("conv:3:3,maxpool:2,8");
const MODELS: ComparisonModel[] = [
  { key: "dense", name: "dense", overrides: {} },
  { key: "cnn", name: "CNN", overrides: {}, layers: cnn },
  {
    key: "spatial",
    name: "CNN, spatial dropout",
    overrides: {},
    layers: parseLayerSpecs("conv:3:3,spatial-dropout:0.7,maxpool:2,8"),
  },
];
const base = { hidden: [8], iterations: 30, learningRate: 0.01, optimizer: { name: "adam" as const } };

describe("compare with layered (convolutional) models on the test set", () => {
  it("trains CNN rows as layered networks; another seed's job gives the same bits as the run here", async () => {
    const rows = await runComparison(bundle, { base, models: MODELS, seeds: [3, 4] });
    expect(rows.map((r) => r.result.network instanceof LayeredNetwork)).toEqual([false, true, true]);
    expect(rows.every((r) => r.seeds.length === 2 && r.testCorrect?.length === 30)).toBe(true);
    // Seed 4 ran as a job (in this thread here; on a worker or the queue in the CLI); run it here.
    const again = await runComparison(bundle, { base, models: MODELS.slice(1, 2), seeds: [4] });
    expect(again[0].seeds[0].testAccuracy).toBe(rows[1].seeds[1].testAccuracy);
    expect(Array.from(again[0].testCorrect!)).toEqual(Array.from(rows[1].seeds[1].testCorrect!));
    // Same seed, different network: the CNN's predictions are its own.
    expect(rows[1].result.network.weights[0].length).toBe(3 * 3 * 1 * 3);
  });

  it("explains a CNN beside the dense net, and spatial dropout beside its CNN", async () => {
    const combined: ComparisonModel = {
      ...MODELS[2],
      key: "combined",
      name: "CNN, flip, spatial dropout, dropout",
      overrides: { keepProb: 0.8 },
      augment: { spec: "flip", mode: "online" },
    };
    const rows = await runComparison(bundle, {
      base,
      models: [...MODELS, combined],
      runner: inProcessRunner(bundle),
    });
    expect(explainRow(rows[3], rows[1])).toMatch(
      /^Trains on augmented data \(flip.*\) with spatial-dropout 0\.7 and dropout 0\.8;/,
    );
    expect(explainRow(rows[1], rows[0])).toMatch(/^Another network, conv:3:3:1:valid,maxpool:2,8, without/);
    expect(explainRow(rows[2], rows[1])).toMatch(/^Drops units inside the network \(spatial-dropout 0\.7;/);
  });
});
