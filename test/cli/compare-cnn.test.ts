import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../support/io.js";

// 200 training digits, 300 test digits, a few steps: the machinery, not the numbers.
const SMALL = [
  "compare",
  "--dataset",
  "digits",
  "--train-size",
  "200",
  "--test-size",
  "300",
  "--cnn",
  "--iterations",
  "20",
  "--quiet",
];

const dir = mkdtempSync(join(tmpdir(), "reglab-compare-cnn-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("compare --cnn on the test set (no --cv)", () => {
  it("prints the CNN set's rows with intervals, McNemar with Holm and power, and a report", async () => {
    const report = join(dir, "report");
    const r = await cli(...SMALL, "--report", report);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Models \(grayscale images: the dense net beside a CNN conv:8:5/m);
    const acc = /\d+\.\d% \[\d+\.\d, \d+\.\d\]\s+\d+\.\d% \[\d+\.\d, \d+\.\d\]/;
    for (const name of ["dense \\[64\\], no regularization", "CNN, no regularization", "CNN, elastic"])
      expect(r.out).toMatch(new RegExp(`^${name}.*${acc.source}`, "m"));
    expect(r.out).toMatch(/^McNemar on the 300 test examples, seed-3 runs, Holm-corrected over 3 pairs/m);
    expect(r.out).toMatch(
      /CNN, no regularization vs dense \[64\], no regularization: with 300 test examples/,
    );
    expect(r.out).toMatch(
      /- CNN, no regularization: Another network, conv:8:5:1:valid,.* (points vs|the same as) “dense \[64\], no regularization”\)/,
    );
    const html = readFileSync(join(report, "index.html"), "utf8");
    expect(html).toContain("the networks [784, 64, 10] and [784, conv:8:5:1:valid,");
    expect(html).toContain("--cnn");
    expect(html).not.toContain("Every model starts from the same data, network and initial weights");
    // The augmentation claim weighs the distorted CNN against the plain CNN, not the dense net.
    expect(html).toMatch(/Against “CNN, no regularization” at [\d.]+% on the test set/);
    expect(existsSync(join(report, "misclassified-cnn.png"))).toBe(true);
  });

  it("--json with --seeds: every seed's scores and the pairwise tests for the CNN rows", async () => {
    const r = await cli(...SMALL, "--models", "dense,cnn", "--seeds", "2", "--workers", "1", "--json");
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.modelSet).toBe("grayscale-cnn");
    expect(j.models.map((m: { key: string }) => m.key)).toEqual(["dense", "cnn"]);
    for (const m of j.models) {
      expect(m.seeds.map((s: { seed: number }) => s.seed)).toEqual([3, 4]);
      expect(m.testSpread.min).toBeLessThanOrEqual(m.testSpread.max);
    }
    expect(j.mcnemar).toHaveLength(1);
    expect(j.mcnemar[0].seeds).toBe(2);
    expect(j.power[0].sentence).toMatch(/^with 300 test examples/);
  });

  it("refuses --cnn on plain features and unknown keys in one line", async () => {
    const r = await cli("compare", "--cnn", "--iterations", "10", "--quiet");
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/--cnn needs images/);
    const k = await cli(...SMALL, "--models", "cnn,nope");
    expect(k.code).toBe(2);
    expect(k.err).toMatch(/--models: no model 'nope' here \(choose from dense, cnn, cnn-distort\)/);
  });
});
