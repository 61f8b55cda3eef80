/**
 * Issue 9, item 8: summaries say plainly when there is no test set, and on imbalanced data every
 * accuracy table shows the majority-class baseline and which models do not beat it significantly.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RandomState } from "../../src/core/random.js";
import { fromExampleRows } from "../../src/data/dataset.js";
import { baselineSummary } from "../../src/experiments/baseline.js";
import { cli } from "../support/io.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-summaries-"));

/** Noise features with 95/5 labels: nothing to learn, so no model can beat "always 0". */
function imbalancedCsv(name: string, m: number, seed: number): string {
  const rng = new RandomState(seed);
  const lines = ["x1,x2,label"];
  for (let j = 0; j < m; j++) {
    const [a, b] = rng.uniform(-1, 1, 2);
    lines.push(`${a},${b},${j % 20 === 0 ? 1 : 0}`);
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

const train = imbalancedCsv("imb-train.csv", 400, 1);
const test = imbalancedCsv("imb-test.csv", 200, 2);

describe("compare without a test set", () => {
  it("says there is no test set in the table and the sentences, never 'no test set on test'", async () => {
    const r = await cli("compare", "--data", train, "--iterations", "50", "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toMatch(/no test set on test|test no test set/);
    const rows = r.out.split("\n").filter((l) => /^(no regularization|L2|dropout|early stopping)/.test(l));
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row).toContain("no test set");
    expect(r.out).toMatch(/Baseline: .* on train \(no test set to score it on\)/);
  });
});

describe("the majority-class baseline on 95/5 data", () => {
  it("compare shows it as a row, and names the models that do not beat it (text and --json)", async () => {
    const r = await cli("compare", "--data", train, "--test", test, "--iterations", "200", "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/always 0 \(majority class\)\s+95\.0% \[[\d.]+, [\d.]+\]\s+95\.0% \[/);
    expect(r.out).toMatch(
      /Majority-class baseline: 95\.0% of the training examples are class 0, so always answering 0 scores 95\.0% on train and 95\.0% on test\./,
    );
    expect(r.out).toMatch(
      /Not significantly better than always answering 0 on the test set \(one-sided exact binomial test, α = 0\.05\): no regularization \(\d+\.\d%, p = /,
    );
    const j = await cli(
      "compare",
      "--data",
      train,
      "--test",
      test,
      "--iterations",
      "200",
      "--quiet",
      "--json",
    );
    const out = JSON.parse(j.out);
    expect(out.baseline).toMatchObject({
      label: 0,
      share: 0.95,
      imbalanced: true,
      testAccuracy: 0.95,
      testedOn: "test",
    });
    expect(out.baseline.models).toHaveLength(6);
    for (const m of out.baseline.models) {
      expect(m.beats).toBe(false);
      expect(m.pValue).toBeGreaterThanOrEqual(0.05);
    }
  });

  it("train says so under its accuracies and in --json", async () => {
    const r = await cli("train", "--data", train, "--test", test, "--iterations", "200", "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /The model does not beat it significantly on the test set: \d+\.\d%, p = [\d.e-]+ \(one-sided exact binomial test/,
    );
    const j = JSON.parse(
      (await cli("train", "--data", train, "--test", test, "--iterations", "200", "--json")).out,
    );
    expect(j.baseline.imbalanced).toBe(true);
    expect(j.baseline.models[0].beats).toBe(false);
  });

  it("the HTML report's table has the baseline row and the sentence", async () => {
    const report = join(dir, "report");
    const r = await cli(
      "compare",
      "--data",
      train,
      "--test",
      test,
      "--iterations",
      "200",
      "--quiet",
      "--report",
      report,
    );
    expect(r.code, r.err).toBe(0);
    const html = readFileSync(join(report, "index.html"), "utf8");
    expect(html).toMatch(/<tr class="baseline"><td>always 0 \(majority class\)<\/td><td>95\.0%/);
    expect(html).toContain("Not significantly better than always answering 0 on the test set");
  });

  it("balanced data shows no baseline row; a model that learns beats an imbalanced baseline", async () => {
    const r = await cli("compare", "--iterations", "300", "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toMatch(/majority class/);
    // 70/30 data a model classifies perfectly: significantly above the 70% baseline.
    const rows = Array.from({ length: 100 }, (_, j) => [j / 100, 0]);
    const y = rows.map(([x]) => (x >= 0.7 ? 1 : 0));
    const s = baselineSummary({ train: fromExampleRows(rows, y) }, [
      { name: "perfect", trainAccuracy: 1, trainExamples: 100, testAccuracy: null },
    ]);
    expect(s).toMatchObject({ label: 0, share: 0.7, imbalanced: true, testedOn: "train" });
    expect(s.models[0].beats).toBe(true);
    expect(Math.abs(s.models[0].pValue / 0.7 ** 100 - 1)).toBeLessThan(1e-12);
  });
});
