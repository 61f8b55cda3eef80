/**
 * fitLayered checks its input as fit does (validateFitInput): the same DataError line for bad
 * labels, NaN features or a shape that does not match the features, before any weight is drawn.
 */
import { describe, expect, it } from "vitest";
import { parseLayerSpecs } from "../../src/core/layers/spec.js";
import { DataError, type Dataset } from "../../src/data/dataset.js";
import { fitLayered } from "../../src/training/layer-trainer.js";
import { fit } from "../../src/training/train.js";
import { cli } from "../support/io.js";

/** Four 2 × 2 × 1 images (features × examples), labels as given. */
function images(labels: number[], patch: (v: Float64Array) => void = () => {}): Dataset {
  const data = Float64Array.from({ length: 16 }, (_, i) => ((i * 7) % 5) / 5);
  patch(data);
  return {
    X: { rows: 4, cols: 4, data },
    y: Uint8Array.from(labels),
    shape: { height: 2, width: 2, channels: 1 },
  };
}
const layers = parseLayerSpecs("conv:2:2,3");
const config = { iterations: 3, seed: 1 };

async function message(run: Promise<unknown>): Promise<string> {
  const e = await run.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataError);
  return (e as DataError).message;
}

describe("fitLayered refuses bad input as fit does, in one line", () => {
  const cases: Array<[string, Dataset, number | undefined, RegExp]> = [
    [
      "NaN",
      images([0, 1, 1, 0], (v) => (v[5] = Number.NaN)),
      undefined,
      /feature \d+ of example \d+ is NaN, not a finite number/,
    ],
    [
      "a label per example",
      { ...images([0, 1, 1, 0]), y: Uint8Array.of(0, 1, 1) },
      undefined,
      /has 4 examples but 3 labels/,
    ],
    ["a class with no example", images([0, 2, 2, 0]), undefined, /class 1/],
    ["one class only", images([1, 1, 1, 1]), undefined, /./],
    [
      "a shape that does not match",
      { ...images([0, 1, 1, 0]), shape: { height: 3, width: 2, channels: 1 } },
      undefined,
      /images of 3×2×1 need 6 features, not 4/,
    ],
    [
      "labels given K = 3 but one example short",
      { ...images([0, 1, 2, 0]), y: Uint8Array.of(0, 1, 2) },
      3,
      /has 4 examples but 3 labels/,
    ],
  ];
  for (const [name, d, classes, pattern] of cases) {
    it(name, async () => {
      const options = classes === undefined ? {} : { classes };
      const layered = await message(fitLayered(d, layers, config, options));
      expect(layered).toMatch(pattern);
      expect(layered.split("\n")).toHaveLength(1);
      // The same words as fit's for the same data.
      expect(layered).toBe(await message(fit(d, { ...config, hidden: [3] }, options)));
    });
  }

  it("a label past `classes`: the option's RangeError, as fit's", async () => {
    const d = images([0, 1, 3, 0]);
    const e = await fitLayered(d, layers, config, { classes: 3 }).catch((err: Error) => err);
    expect(e).toBeInstanceOf(RangeError);
    const f = await fit(d, { ...config, hidden: [3] }, { classes: 3 }).catch((err: Error) => err);
    expect((e as Error).message).toBe((f as Error).message);
  });

  it("on the command line a CNN too large to train is refused before a weight is drawn, in one line", async () => {
    const r = await cli(
      ...[
        "train",
        "--dataset",
        "digits",
        "--train-size",
        "1000",
        "--test-size",
        "10",
        "--batch-size",
        "1000",
      ],
      ...["--layers", "conv:512:3:1:same,conv:512:3:1:same", "--iterations", "1", "--quiet"],
    );
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/on 1000 examples needs about \d+ GB, more than the 4\.3 GB reglab allows/);
    // sweep refuses it before any run, as train does.
    const sw = await cli(
      ...[
        "sweep",
        "--dataset",
        "digits",
        "--train-size",
        "1000",
        "--test-size",
        "10",
        "--batch-size",
        "1000",
      ],
      ...[
        "--layers",
        "conv:512:3:1:same,conv:512:3:1:same",
        "--iterations",
        "1",
        "--lambda",
        "0,1",
        "--quiet",
      ],
    );
    expect(sw.code).toBe(2);
    expect(sw.err.trim().split("\n")).toHaveLength(1);
    expect(sw.err).toMatch(/needs about \d+ GB, more than the 4\.3 GB reglab allows/);
  });
});
