import { describe, expect, it } from "vitest";
import { generateDataset } from "../../src/data/generators.js";
import { type ComparisonModel, runComparison } from "../../src/experiments/compare.js";
import { learningRateJobs, runLearningRateProbe } from "../../src/experiments/lr-probe.js";
import { buildReport } from "../../src/experiments/report-html.js";
import {
  maxNormRow,
  regularizerClaims,
  regularizerClaimsSection,
} from "../../src/experiments/report-regularizer-claims.js";
import { resolveRunConfig } from "../../src/training/config.js";
import { auditChart, chartProblems, reportFigures } from "../plot/chart-audit.js";

const bundle = generateDataset("football");
const base = { iterations: 600, costEvery: 100 };
const adam = { optimizer: { name: "adam" as const }, learningRate: 0.01 };
const MODELS: ComparisonModel[] = [
  { key: "none", name: "none", overrides: {} },
  { key: "l1", name: "L1", overrides: { regularizers: [{ kind: "l1", lambda: 0.5 }] } },
  {
    key: "max-norm",
    name: "dropout + max-norm",
    overrides: { keepProb: 0.86, regularizers: [{ kind: "max-norm", c: 2 }] },
  },
  { key: "ls", name: "label smoothing", overrides: { labelSmoothing: 0.2 } },
  { key: "adam-l2", name: "Adam + L2", overrides: { ...adam, lambda: 0.7 } },
  { key: "adamw", name: "AdamW", overrides: { ...adam, weightDecay: 0.1 } },
];

describe("the regularizers' claims read off compare's rows", async () => {
  const rows = await runComparison(bundle, { base, models: MODELS });

  it("finds each claim's rows by their config and decides all four", async () => {
    const mn = maxNormRow(rows);
    expect(mn?.model.key).toBe("max-norm");
    const points = await runLearningRateProbe(bundle, mn!.result.config, { rates: [0.3, 3] });
    const found = regularizerClaims(rows, bundle, points);
    expect(found.claims.map((c) => c.id)).toEqual([
      "l1-sparse",
      "max-norm-learning-rate",
      "label-smoothing-calibration",
      "adamw",
    ]);
    expect(found.sparsity?.map((s) => s.name)).toEqual(["none", "L1"]);
    // The L1 row's zeros are the network's own.
    const l1 = rows[1].result.network.weights;
    const zeros = l1.reduce((n, W) => n + W.filter((w) => w === 0).length, 0);
    expect(found.sparsity![1].zeros.reduce((a, b) => a + b, 0)).toBe(zeros);
    expect(found.claims[0].sentence).toContain(`${zeros} of its`);
    expect(found.calibration?.map((c) => c.name)).toEqual(["none", "label smoothing"]);
    expect(found.learningRates).toHaveLength(4);
    expect(found.learningRates!.some((p) => "correct" in p)).toBe(false);
    const section = regularizerClaimsSection(found);
    expect(section?.figures.map((f) => f.name)).toEqual(["zero-weights", "reliability", "learning-rates"]);
    // Every chart of the section draws what its title and caption say (the α chart's caption counts its crosses).
    const shown = reportFigures(section!.html);
    expect(shown).toHaveLength(3);
    for (const f of shown) expect(chartProblems(f.svg, f.caption)).toEqual([]);
    const alpha = auditChart(shown[2].svg);
    const diverged = found.learningRates!.filter((p) => p.diverged).length;
    expect([alpha.series, alpha.points + alpha.diverged, alpha.diverged]).toEqual([2, 4, diverged]);
    expect(shown[2].caption).toContain(`${diverged} of the 4 runs diverged`);
    expect(section?.html).toContain("Regularizers: their claims, measured");
    // The sweep's table: one row per α, the diverged or scored accuracy of each arm.
    expect(section?.html.match(/<tr><td>[\d.e+]+<\/td>/g)).toHaveLength(2);
  });

  it("finds no claim in the article's rows, and the report leaves the section out", () => {
    const found = regularizerClaims(rows.slice(0, 1), bundle);
    expect(found.claims).toEqual([]);
    expect(regularizerClaimsSection(found)).toBeUndefined();
    expect(buildReport(rows.slice(0, 1), bundle).html).not.toContain("regularizer-claims");
    expect(buildReport(rows, bundle).html).toContain('id="regularizer-claims"');
  });

  it("pairs label smoothing only with the same model without it", () => {
    const found = regularizerClaims(
      rows.filter((r) => r.model.key !== "none"),
      bundle,
    );
    expect(found.claims.map((c) => c.id)).not.toContain("label-smoothing-calibration");
  });
});

describe("the learning-rate sweep", () => {
  it("runs each α with and without max-norm, keeping the rest of the config", () => {
    const config = resolveRunConfig({
      keepProb: 0.8,
      regularizers: [
        { kind: "max-norm", c: 3 },
        { kind: "l1", lambda: 0.1 },
      ],
    });
    const jobs = learningRateJobs(config, [0.1, 1], true);
    expect(jobs.map((j) => [j.id, j.config.learningRate, j.config.regularizers?.map((s) => s.kind)])).toEqual(
      [
        [0, 0.1, ["max-norm", "l1"]],
        [1, 1, ["max-norm", "l1"]],
        [2, 0.1, ["l1"]],
        [3, 1, ["l1"]],
      ],
    );
    expect(jobs[0].score.scored).toEqual({ set: "test" });
  });

  it("records a diverged α as a point instead of failing", async () => {
    const config = resolveRunConfig({
      iterations: 300,
      keepProb: 0.86,
      regularizers: [{ kind: "max-norm", c: 1 }],
    });
    const points = await runLearningRateProbe(bundle, config, { rates: [0.3, 1e6] });
    const without = points.find((p) => !p.maxNorm && p.learningRate === 1e6)!;
    expect(without.diverged).toBe(true);
    expect(without.accuracy).toBeUndefined();
    expect(points.find((p) => p.maxNorm && p.learningRate === 0.3)!.accuracy).toBeGreaterThan(0.5);
  });
});
