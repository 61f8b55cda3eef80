import { describe, expect, it } from "vitest";
import { generateDataset } from "../../src/data/generators.js";
import { modelSetFor, pickModels } from "../../src/experiments/model-sets.js";
import { resolveRunConfig } from "../../src/training/config.js";
import { cli } from "../support/io.js";

const KEYS = [
  "l1",
  "elastic-net",
  "max-norm-dropout",
  "noise",
  "gaussian-dropout",
  "label-smoothing",
  "adamw",
  "adam-l2",
  "cosine",
];

describe("compare's rows for the settings table", () => {
  it("every model set offers them to --models, beside (not in) its default rows", () => {
    const football = modelSetFor(generateDataset("football"));
    expect(football.extra.map((m) => m.key)).toEqual(KEYS);
    expect(football.models.map((m) => m.key)).not.toContain("l1");
    const picked = pickModels(football, ["adamw", "none", "l1"]);
    expect(picked.map((m) => m.key)).toEqual(["none", "l1", "adamw"]);
    for (const m of football.extra)
      expect(() => resolveRunConfig({ ...football.base, ...m.overrides })).not.toThrow();
    expect(() => pickModels(football, ["l9"])).toThrow(/no model 'l9' here \(choose from none, .*, cosine\)/);
  });

  it("reglab compare --models none,l1,adamw --json trains them and says how many weights L1 zeroed", async () => {
    const r = await cli(
      "compare",
      "--models",
      "none,l1,max-norm-dropout,label-smoothing,adamw",
      "--iterations",
      "2000",
      "--json",
      "--quiet",
    );
    expect(r.code, r.err).toBe(0);
    const models = JSON.parse(r.out).models;
    expect(models.map((m: { name: string }) => m.name)).toEqual([
      "no regularization",
      "L1, λ₁ = 0.1",
      "max-norm 3 + dropout 0.86",
      "label smoothing ε = 0.1",
      "AdamW, weight decay 0.01",
    ]);
    expect(models[1].config.regularizers).toEqual([{ kind: "l1", lambda: 0.1 }]);
    expect(models[4].config.weightDecay).toBe(0.01);
    // L1's claim, measured: zeros per layer for every row, and a sentence from them.
    expect(models[0].zeroWeights).toEqual([0, 0, 0]);
    expect(models[1].zeroWeights.reduce((a: number, b: number) => a + b, 0)).toBeGreaterThan(0);
    expect(JSON.parse(r.out).sparsity).toMatch(
      /^Sparsity: L1, λ₁ = 0\.1 left \d+ of 103 \(per layer \d+, \d+, \d+\) weights exactly zero; no regularization left 0 of 103/,
    );
    const human = await cli("compare", "--models", "none,l1", "--iterations", "2000", "--quiet");
    expect(human.out).toMatch(
      /L1, λ₁ = 0\.1: Trains with L1 λ₁ 0\.1: .*; \d+ of its 103 weights are exactly 0\./,
    );
  });

  it("the report says L1's sparsity in a sentence from the counts", async () => {
    const { mkdtempSync, readFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = join(mkdtempSync(join(tmpdir(), "reglab-sparsity-")), "report");
    const r = await cli("compare", "--models", "none,l1", "--iterations", "1000", "--report", dir, "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(dir, "index.html"), "utf8")).toMatch(
      /<p class="sparsity">Sparsity: L1, λ₁ = 0\.1 left \d+ of 103 \(per layer/,
    );
  });
});
