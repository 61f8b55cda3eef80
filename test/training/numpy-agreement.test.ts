import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { matrix } from "../../src/core/matrix.js";
import { accuracy } from "../../src/core/network.js";
import type { Dataset } from "../../src/data/dataset.js";
import type { RunConfig } from "../../src/training/config.js";
import { fit } from "../../src/training/train.js";

// Written by scripts/reference/numpy_reference.py (an independent numpy implementation of the
// training contract): several architectures, seeds, λ, keepProb and both mask policies.
interface Case {
  config: Partial<RunConfig> & { hidden: number[] };
  data: string;
  costs: number[];
  trainAccuracy: number;
  testAccuracy: number;
  W_last: number[];
}
interface Fixture {
  data: Record<string, { X: number[][]; y: number[]; Xtest?: number[][]; ytest?: number[] }>;
  cases: Case[];
}
const fixture: Fixture = JSON.parse(
  readFileSync(new URL("../fixtures/numpy-training.json", import.meta.url), "utf8"),
);

function dataset(X: number[][], y: number[]): Dataset {
  return { X: matrix(X.length, X[0].length, Float64Array.from(X.flat())), y: Uint8Array.from(y) };
}

describe("training agrees with the numpy reference", () => {
  for (const c of fixture.cases) {
    const label = JSON.stringify(c.config);
    it(label, async () => {
      const d = fixture.data[c.data];
      const train = dataset(d.X, d.y);
      const test = d.Xtest ? dataset(d.Xtest, d.ytest!) : train;
      const result = await fit(train, c.config);
      const { costs } = result.history;
      expect(costs).toHaveLength(c.costs.length);
      costs.forEach((v, k) => {
        expect(Math.abs(v - c.costs[k]) / c.costs[k], `cost ${k}`).toBeLessThan(1e-9);
      });
      expect(accuracy(result.network, train)).toBe(c.trainAccuracy);
      expect(accuracy(result.network, test)).toBe(c.testAccuracy);
      const W = result.network.weights.at(-1)!;
      c.W_last.forEach((w, i) => {
        expect(Math.abs(W[i] - w)).toBeLessThan(1e-9 * Math.max(1, Math.abs(w)));
      });
    });
  }
});
