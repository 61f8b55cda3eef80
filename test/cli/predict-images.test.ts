import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Network } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import { modelToJSON } from "../../src/core/serialize.js";
import { parseHdf5Inputs } from "../../src/data/formats/hdf5.js";
import { cli, expectUsageError } from "../support/io.js";
import { CAT_TEST_H5, HAS_CATS, NO_CATS_REASON } from "../support/paths.js";
import { idxBytes, pngBytes, rgba } from "../support/pictures.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-predict-images-"));
const file = (name: string, content: Uint8Array | string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** A model file with random weights for [sizes], named classes and an image shape. */
function modelFile(name: string, sizes: number[], extra: Parameters<typeof modelToJSON>[1] = {}): string {
  const rng = new RandomState(7);
  const weights = sizes.slice(1).map((n, l) => Float64Array.from(rng.randn(n * sizes[l])));
  const biases = sizes.slice(1).map((n) => Float64Array.from(rng.randn(n)));
  const net = new Network(sizes, "relu", weights, biases);
  return file(name, JSON.stringify(modelToJSON(net, extra)));
}

type Prediction = { image: string; label: number; probability: number; probabilities?: number[] };

describe("reglab predict on images", () => {
  it.skipIf(!HAS_CATS)(
    `takes the course's test_catvnoncat.h5: one prediction per picture, accuracy against its labels${HAS_CATS ? "" : ` — skipped: ${NO_CATS_REASON}`}`,
    async () => {
      const model = modelFile("cat.json", [12288, 3, 1], {
        classes: ["non-cat", "cat"],
        image: { height: 64, width: 64, channels: 3 },
      });
      const r = await cli("predict", "--model", model, "--input", CAT_TEST_H5, "--json");
      expect(r.code, r.err).toBe(0);
      const out = JSON.parse(r.out);
      expect(out.predictions).toHaveLength(50);
      const inputs = parseHdf5Inputs(new Uint8Array(readFileSync(CAT_TEST_H5)), CAT_TEST_H5);
      const { modelFromJSON } = await import("../../src/core/serialize.js");
      const net = modelFromJSON(JSON.parse(readFileSync(model, "utf8")));
      const p = net.predictProba(inputs.X);
      out.predictions.forEach((q: Prediction, j: number) => {
        expect(q.image).toBe(`image ${j + 1}`);
        expect(q.probability).toBe(p[j]);
      });
      const right = out.predictions.filter(
        (q: Prediction, j: number) => q.label === inputs.labels![j],
      ).length;
      expect(out.accuracy).toBe(right / 50);
      const text = await cli("predict", "--model", model, "--input", CAT_TEST_H5);
      expect(text.out).toMatch(/50 64×64 RGB images, labelled/);
      expect(text.out).toMatch(/image\s+P\(cat\)\s+label\s+class\s+true class/);
      expect(text.out).toMatch(/image 1\s+\d\.\d{4}\s+[01]\s+(non-)?cat\s+cat\n/);
      expect(text.out).toMatch(/… and 30 more/);
      expect(text.out).toMatch(new RegExp(`Accuracy against the labels in .*: .*\\[.*\\] \\(${right}/50\\)`));
    },
  );

  it("takes an IDX file of images with --labels, matching labels to the model's classes by name", async () => {
    // 5 images of 2×2: labels 4, 9, 3, 9, 4 — a 4-vs-9 model has no class 3.
    const images = file(
      "images-idx3-ubyte",
      idxBytes(
        [5, 2, 2],
        Array.from({ length: 20 }, (_, i) => (i * 53) % 256),
      ),
    );
    const labels = file("labels-idx1-ubyte", idxBytes([5], [4, 9, 3, 9, 4]));
    const model = modelFile("pair.json", [4, 3, 1], { classes: ["4", "9"] });
    const r = await cli("predict", "--model", model, "--input", images, "--labels", labels, "--json");
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.scoredExamples).toBe(4);
    const truth = [0, 1, -1, 1, 0];
    const right = out.predictions.filter((q: Prediction, j: number) => q.label === truth[j]).length;
    expect(out.accuracy).toBe(right / 4);
    const text = await cli("predict", "--model", model, "--input", images, "--labels", labels);
    expect(text.out).toMatch(/the 4 whose label is a class of the model/);
  });

  it("takes PNGs (a file, or a folder with labels.csv) and prints the confusion for K classes", async () => {
    const pics = join(dir, "pics");
    mkdirSync(pics);
    const names = ["a.png", "b.png", "c.png", "d.png"];
    names.forEach((n, k) => {
      writeFileSync(
        join(pics, n),
        pngBytes(
          2,
          2,
          rgba(2, 2, (x, y, c) => (k * 60 + x * 30 + y * 10 + c * 5) % 256),
        ),
      );
    });
    writeFileSync(join(pics, "labels.csv"), "file,label\na.png,red\nb.png,green\nc.png,blue\nd.png,red\n");
    const model = modelFile("rgb.json", [12, 4, 3], {
      classes: ["blue", "green", "red"],
      image: { height: 2, width: 2, channels: 3 },
    });
    const output = join(dir, "pics.csv");
    const r = await cli("predict", "--model", model, "--input", pics, "--output", output);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Accuracy per class on the input/);
    expect(r.out).toMatch(/Confusion matrix/);
    const rows = readFileSync(output, "utf8").trim().split("\n");
    expect(rows[0]).toBe("image,probability,label,p_0,p_1,p_2");
    expect(rows.slice(1).map((row) => row.split(",")[0])).toEqual(names);
    const one = await cli("predict", "--model", model, "--input", join(pics, "b.png"), "--json");
    expect(one.code, one.err).toBe(0);
    const q = JSON.parse(one.out).predictions;
    expect(q).toHaveLength(1);
    expect(q[0].image).toBe("b.png");
    const fromFolder = readFileSync(output, "utf8").trim().split("\n")[2].split(",");
    expect(q[0].probabilities.map(String)).toEqual(fromFolder.slice(3));
  });

  it("refuses images of another size than the model's, and --labels without an IDX input, in one line", async () => {
    const model = modelFile("small.json", [4, 3, 1], { image: { height: 2, width: 2, channels: 1 } });
    const big = file(
      "big.png",
      pngBytes(
        3,
        2,
        rgba(3, 2, (x) => x * 80),
      ),
    );
    await expectUsageError(
      ["predict", "--model", model, "--input", big],
      /big\.png: holds 2×3×1 images \(6 values\), but the model was trained on 2×2×1 images \(4 inputs\)/,
    );
    const labels = file("l-idx1-ubyte", idxBytes([1], [0]));
    await expectUsageError(
      ["predict", "--model", model, "--input", big, "--labels", labels],
      /--labels goes with an IDX file of images/,
    );
    await expectUsageError(
      ["predict", "--model", model, "--points", "1,2,3,4", "--labels", labels],
      /--labels goes with --input/,
    );
  });
});
