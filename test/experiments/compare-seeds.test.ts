import { describe, expect, it } from "vitest";
import { accuracy } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import { generateDataset } from "../../src/data/generators.js";
import { trainDevSplit } from "../../src/data/split.js";
import {
  COMPARE_MODELS,
  type ComparisonRow,
  EARLY_STOPPING_MODEL,
  explainRow,
  holm,
  L2_TO_END_MODEL,
  pairwiseMcNemar,
  runComparison,
  SEED_MODELS,
  significanceLine,
  testSpread,
} from "../../src/experiments/compare.js";
import { mcnemar } from "../../src/experiments/stats.js";
import { earlyStopping } from "../../src/training/early-stopping.js";
import { fit as fitModel } from "../../src/training/train.js";

const bundle = generateDataset("football");
const base = { iterations: 1500 };

describe("compare with several seeds and an early-stopping row", () => {
  it("repeats each model from each seed; the first seed's run is the row's own", async () => {
    const models = [SEED_MODELS[0], SEED_MODELS[1]];
    const rows = await runComparison(bundle, { base, models, seeds: [3, 4, 5] });
    expect(rows.map((r) => r.seeds.map((s) => s.seed))).toEqual([
      [3, 4, 5],
      [3, 4, 5],
    ]);
    for (const row of rows) {
      expect(row.seeds[0].testAccuracy).toBe(row.testAccuracy);
      expect(row.seeds[0].trainAccuracy).toBe(row.trainAccuracy);
      expect(row.result.config.seed).toBe(3);
      expect(row.trainExamples).toBe(bundle.train.X.cols);
    }
    // The seed-5 L2 entry is an ordinary run from seed 5.
    const direct = await fitModel(bundle.train, { ...base, lambda: 0.7, seed: 5 });
    expect(rows[1].seeds[2].testAccuracy).toBe(accuracy(direct.network, bundle.test!));
    expect(rows[1].seeds[2].trainAccuracy).toBe(accuracy(direct.network, bundle.train));
    const sp = testSpread(rows[1])!;
    const xs = rows[1].seeds.map((s) => s.testAccuracy!);
    expect(sp.mean).toBeCloseTo((xs[0] + xs[1] + xs[2]) / 3, 14);
    expect(sp.min).toBe(Math.min(...xs));
    expect(sp.max).toBe(Math.max(...xs));
  });

  it("the early-stopping row trains on 80 % and stops on the other 20 %", async () => {
    const [row] = await runComparison(bundle, { models: [EARLY_STOPPING_MODEL], seeds: [3, 4] });
    const { train, dev } = trainDevSplit(bundle.train, 0.2, new RandomState(0));
    expect(row.trainExamples).toBe(train.X.cols);
    expect(row.earlyStopping!.devExamples).toBe(dev.X.cols);
    const es = earlyStopping({ dev, patience: 20, evaluateEvery: 100 });
    const direct = await fitModel(train, { seed: 3 }, { callbacks: [es] });
    expect(row.earlyStopping!.bestIteration).toBe(es.bestIteration);
    expect(row.earlyStopping!.stoppedAt).toBe(es.stoppedAt);
    expect(row.testAccuracy).toBe(accuracy(direct.network, bundle.test!));
    expect(row.seeds[1].bestIteration).toBeGreaterThan(0);
    expect(explainRow(row, row)).toMatch(/watches the other \d+/);
    expect(COMPARE_MODELS.slice(-2)).toEqual([EARLY_STOPPING_MODEL, L2_TO_END_MODEL]);
  });
});

describe("significance", () => {
  it("Holm's adjustment matches a hand computation", () => {
    // Sorted 0.01, 0.02, 0.04 → ×3, ×2, ×1 = 0.03, 0.04, 0.04 (kept monotone).
    expect(holm([0.04, 0.01, 0.02])).toEqual([0.04, 0.03, 0.04]);
    // 0.5·2 = 1; 0.9·1 = 0.9 but an adjusted p never falls below a smaller raw p's: 1.
    expect(holm([0.5, 0.9])).toEqual([1, 1]);
  });

  /** A made-up row: which of the test examples it got right, per seed. */
  function row(name: string, perSeed: number[][]): ComparisonRow {
    const seeds = perSeed.map((c, k) => ({
      seed: 3 + k,
      trainAccuracy: 1,
      testAccuracy: c.reduce((s, v) => s + v, 0) / c.length,
      testCorrect: Uint8Array.from(c),
      iterationsRun: 1,
    }));
    return {
      model: { key: name, name, overrides: {} },
      result: undefined as never,
      trainAccuracy: 1,
      trainExamples: 10,
      fittedExamples: 10,
      testAccuracy: seeds[0].testAccuracy,
      testCorrect: seeds[0].testCorrect,
      seeds,
    };
  }

  it("tests every pair with McNemar, corrects over pairs and counts significant seeds", () => {
    const n = 60;
    const all = Array(n).fill(1);
    // B is wrong on 20 examples A gets right; C differs from A on 2 only.
    const b = all.map((_, j) => (j < 20 ? 0 : 1));
    const c = all.map((_, j) => (j < 2 ? 0 : 1));
    const rows = [row("A", [all, all]), row("B", [b, all]), row("C", [c, c])];
    const tests = pairwiseMcNemar(rows);
    expect(tests.map((t) => `${t.a}-${t.b}`)).toEqual(["A-B", "A-C", "B-C"]);
    const ab = tests[0];
    expect(ab.pValue).toBe(mcnemar(all, b).pValue);
    expect(ab.onlyA).toBe(20);
    expect(ab.onlyB).toBe(0);
    expect(ab.significant).toBe(true);
    expect(ab.seedsSignificant).toBe(1); // seed 4: B is as good as A
    expect(tests[1].significant).toBe(false);
    const line = significanceLine(rows);
    expect(line).toMatch(
      /^McNemar on the 60 test examples, seed-3 runs, Holm-corrected over 3 pairs at α = 0\.05: significant — /,
    );
    expect(line).toMatch(/A over B: 20 vs 0 examples only one got right/);
    expect(line).toMatch(/none is significant in most of the 2 seeds \(at most 1\/2\)/);
    expect(line.split("\n")).toHaveLength(1);
  });

  it("says so when nothing differs", () => {
    const all = Array(30).fill(1);
    const one = all.map((_, j) => (j === 0 ? 0 : 1));
    const line = significanceLine([row("A", [all]), row("B", [one])]);
    expect(line).toMatch(/no difference is significant \(closest — A over B: 1 vs 0/);
  });
});
