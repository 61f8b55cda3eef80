import { describe, expect, it } from "vitest";
import { accuracy } from "../../src/core/network.js";
import { runComparison, SEED_MODELS } from "../../src/experiments/compare.js";
import { loadDataFile } from "../../src/node/load-data.js";
import { FOOTBALL_MAT, HAS_FOOTBALL, NO_FOOTBALL_REASON } from "../support/paths.js";

// The seed's published table (../shared/datasets/README.md): accuracies exactly, costs at
// iterations 0, 10 000 and 20 000 to 1e-9 relative.
const TABLE = {
  none: {
    train: 0.9478672985781991,
    test: 0.915,
    costs: [0.6557412523481002, 0.1632998752572419, 0.1385164242323913],
  },
  l2: {
    train: 0.9383886255924171,
    test: 0.93,
    costs: [0.6974484493131264, 0.2684918873282239, 0.2680916337127301],
  },
  "dropout-fixed": {
    train: 0.9289099526066351,
    test: 0.95,
    costs: [0.6543912405149824, 0.0610169865749056, 0.0605824357985131],
  },
};

describe.skipIf(!HAS_FOOTBALL)(
  `the seed's table on football.mat${HAS_FOOTBALL ? "" : ` — skipped: ${NO_FOOTBALL_REASON}`}`,
  () => {
    it("reproduces every row: accuracies exactly, costs to 1e-9", async () => {
      const data = await loadDataFile(FOOTBALL_MAT);
      const rows = await runComparison(data);
      expect(rows.map((r) => r.model.key)).toEqual(SEED_MODELS.map((m) => m.key));
      for (const [key, want] of Object.entries(TABLE)) {
        const row = rows.find((r) => r.model.key === key)!;
        expect(row.trainAccuracy, key).toBe(want.train);
        expect(row.testAccuracy, key).toBe(want.test);
        const { iterations, costs } = row.result.history;
        expect(iterations.slice(0, 3)).toEqual([0, 1000, 2000]);
        want.costs.forEach((c, k) => {
          expect(Math.abs(costs[10 * k] - c) / c, `${key} cost at ${10_000 * k}`).toBeLessThan(1e-9);
        });
        expect(costs).toHaveLength(30);
      }
      // Real dropout (fresh masks from the weights' generator), per the datasets README.
      const fresh = rows.find((r) => r.model.key === "dropout-fresh")!;
      expect(fresh.trainAccuracy).toBe(0.9478672985781991);
      expect(fresh.testAccuracy).toBe(0.935);
      expect(accuracy(fresh.result.network, data.test!)).toBe(0.935);
    });
  },
);
