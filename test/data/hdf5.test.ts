import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/data/dataset.js";
import { parseHdf5 } from "../../src/data/formats/hdf5.js";
import { loadDataFile } from "../../src/node/load-data.js";
import { CAT_TEST_H5, CAT_TRAIN_H5, HAS_CATS, NO_CATS_REASON } from "../support/paths.js";

function dataError(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    expect((e as Error).message).not.toContain("\n");
    return e as DataError;
  }
  throw new Error("expected a DataError");
}

describe("parseHdf5 on bad bytes", () => {
  it("rejects a file without the HDF5 signature", () => {
    const e = dataError(() => parseHdf5(new TextEncoder().encode("x1,x2,label\n1,2,0\n"), "a.h5"));
    expect(e.message).toBe("a.h5: not an HDF5 file (no HDF5 signature at the start)");
    dataError(() => parseHdf5(new Uint8Array(0), "empty.h5"));
  });

  it("gives one line for a signature followed by garbage", () => {
    const bytes = new Uint8Array(256).fill(0xff);
    bytes.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(dataError(() => parseHdf5(bytes, "junk.h5")).message).toMatch(/^junk\.h5: /);
  });
});

describe.skipIf(!HAS_CATS)(`the course's cat data (${HAS_CATS ? "present" : NO_CATS_REASON})`, () => {
  const train = new Uint8Array(HAS_CATS ? readFileSync(CAT_TRAIN_H5) : []);

  it("reads 209 images of 64×64×3, flattened row-major HWC, scaled to [0, 1]", () => {
    const b = parseHdf5(train, "train.h5");
    const d = b.train;
    expect(d.shape).toEqual({ height: 64, width: 64, channels: 3 });
    expect([d.X.rows, d.X.cols]).toEqual([12288, 209]);
    expect(b.classes).toEqual(["non-cat", "cat"]);
    expect(b.test).toBeUndefined();
    // The first image's first pixel is (17, 31, 56) in the file: features 0, 1, 2 of column 0.
    const m = d.X.cols;
    expect([d.X.data[0], d.X.data[m], d.X.data[2 * m]]).toEqual([17 / 255, 31 / 255, 56 / 255]);
    expect(Array.from(d.y.subarray(0, 5))).toEqual([0, 0, 1, 0, 0]);
    let ones = 0;
    for (const v of d.y) ones += v;
    expect(ones).toBe(72);
    let lo = 1;
    let hi = 0;
    for (const v of d.X.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect([lo, hi]).toEqual([0, 1]);
  });

  it("finds keys by convention and takes --x-key/--y-key", () => {
    expect(parseHdf5(train, "t.h5", { x: "train_set_x" }).train.X.cols).toBe(209);
    const e = dataError(() => parseHdf5(train, "t.h5", { x: "images" }));
    expect(e.message).toBe(
      "t.h5: no labels found for 'images' (datasets: list_classes, train_set_x, train_set_y); name them with --y-key",
    );
    expect(dataError(() => parseHdf5(train, "t.h5", { x: "nope", y: "train_set_y" })).message).toMatch(
      /'nope' not found \(datasets: list_classes, train_set_x, train_set_y\)/,
    );
    expect(
      dataError(() => parseHdf5(train, "t.h5", { x: "list_classes", y: "train_set_y" })).message,
    ).toMatch(/'list_classes' holds .*S7 values, not numbers/);
  });

  it("gives one DataError line for a truncated file", () => {
    for (const keep of [100, 2000, train.length >> 1, train.length - 1000]) {
      dataError(() => parseHdf5(train.subarray(0, keep), "cut.h5"));
    }
  });

  it("loads train and test files together", async () => {
    const b = await loadDataFile(CAT_TRAIN_H5, { testPath: CAT_TEST_H5 });
    expect(b.test?.X.cols).toBe(50);
    expect(b.test?.shape).toEqual(b.train.shape);
  });
});
