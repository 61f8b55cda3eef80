// Gaussian noise and Gaussian dropout under --precision f32 (and f32-fma where the runtime has
// it): the noise is drawn and applied in f64, and the f32 products must read the noisy values
// (the inputs' f32 copy is refreshed after the noise), so runs stay finite, repeat bit for bit
// for a seed, and stay near f64's.
import { describe, expect, it } from "vitest";
import type { RegularizerSpec } from "../../src/core/regularizers.js";
import type { Precision } from "../../src/core/wasm-kernels.js";
import { generateDataset } from "../../src/data/generators.js";
import { enableRelaxedSimd } from "../../src/node/relaxed-simd.js";
import { fit } from "../../src/training/train.js";

const fma = enableRelaxedSimd();
const PRECISIONS: Precision[] = fma ? ["f32", "f32-fma"] : ["f32"];
const data = generateDataset("football").train;

const NOISES: [string, RegularizerSpec[]][] = [
  ["Gaussian noise σ = 0.1 on the inputs", [{ kind: "gaussian-noise", sigma: 0.1 }]],
  [
    "Gaussian noise σ = 0.1 on the inputs and hidden layer 1",
    [{ kind: "gaussian-noise", sigma: 0.1, layers: [0, 1] }],
  ],
  ["Gaussian dropout p = 0.2", [{ kind: "gaussian-dropout", rate: 0.2 }]],
];

async function run(regularizers: RegularizerSpec[], precision: Precision, batchSize = 0) {
  // [2, 64, 32, 1]: both hidden products are blocked, so f32 takes them.
  const r = await fit(
    data,
    { hidden: [64, 32], iterations: 300, learningRate: 0.3, costEvery: 100, batchSize, regularizers },
    { precision },
  );
  return { costs: r.history.costs, weights: r.network.weights.map((w) => Array.from(w)) };
}

describe("training noise in f32", () => {
  for (const [name, specs] of NOISES)
    for (const batchSize of [0, 64])
      it(`${name}${batchSize ? ", batches of 64" : ""}: finite, the same twice, within 1e-7 of f64`, async () => {
        const f64 = await run(specs, "f64", batchSize);
        const quiet = await run([], "f64", batchSize);
        // The noise moves the costs by 0.04 to 0.2 (measured), f32 by 2e-9 to 9e-9: an f32 run
        // that read the values before the noise would be as far from f64 as the quiet run is.
        const effect = Math.max(...f64.costs.map((c, i) => Math.abs(c - quiet.costs[i])));
        expect(effect).toBeGreaterThan(1e-2);
        for (const precision of PRECISIONS) {
          const a = await run(specs, precision, batchSize);
          const b = await run(specs, precision, batchSize);
          expect(a).toEqual(b);
          for (const w of a.weights) expect(w.every(Number.isFinite)).toBe(true);
          expect(a.costs.length).toBe(f64.costs.length);
          for (const [i, c] of a.costs.entries()) {
            expect(Number.isFinite(c)).toBe(true);
            expect(Math.abs(c - f64.costs[i]), `${precision} cost ${i}`).toBeLessThan(1e-7);
          }
          // f32 did run: its costs are not f64's bits.
          expect(a.costs.some((c, i) => c !== f64.costs[i])).toBe(true);
        }
      });
});
