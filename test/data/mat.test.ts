import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/data/dataset.js";
import { type MatArray, matToBundle, readMat } from "../../src/data/formats/mat.js";
import { type MatFixtureName, matFixture } from "../support/mat-fixtures.js";

// The real data lives outside the repository (../shared/datasets from the repo root).
const FOOTBALL = new URL("../../../shared/datasets/football.mat", import.meta.url);
const hasFootball = existsSync(FOOTBALL);
const NO_FOOTBALL = "football.mat not found in ../shared/datasets (a user's clone)";

const fixture = async (name: MatFixtureName) => matFixture(name);

/** The values every fixture holds (test/support/mat-fixtures.ts), features × examples. */
const TRAIN_X = [
  [0.5, 1.0, -0.75, 3.5, 0.0, -1e5],
  [-1.25, 2.0, 0.125, -2.5, 1e-3, 7.0],
];
const TRAIN_Y = [1, 0, 1, 0, 0, 1];
const TEST_X = [
  [1, -3, 5, 7],
  [2, 4, -6, 8],
];
const TEST_Y = [0, 1, 1, 0];

async function expectDataError(p: Promise<unknown>, message: RegExp): Promise<DataError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataError);
  expect((err as DataError).message).toMatch(message);
  return err as DataError;
}

function arr(name: string, dims: number[], data: number[]): MatArray {
  return { name, dims, data: Float64Array.from(data), className: "double" };
}

describe("readMat on football.mat", () => {
  it.skipIf(!hasFootball)(`reads X, y, Xval, yval (${NO_FOOTBALL})`, async () => {
    const vars = await readMat(await readFile(FOOTBALL), "football.mat");
    expect([...vars.keys()].sort()).toEqual(["X", "Xval", "y", "yval"]);
    const y = vars.get("y")!;
    // Declared double, stored as uint8 bytes: the values must still come out as 0/1.
    expect(y.className).toBe("double");
    expect(y.dims).toEqual([211, 1]);
    expect(Array.from(y.data.subarray(0, 5))).toEqual([1, 1, 1, 1, 1]);
    expect(vars.get("X")!.dims).toEqual([211, 2]);
  });

  it.skipIf(!hasFootball)(`builds a 2×211 training set and a 2×200 test set (${NO_FOOTBALL})`, async () => {
    const bundle = matToBundle(await readMat(await readFile(FOOTBALL), "football.mat"), "football.mat");
    const { X, y } = bundle.train;
    expect([X.rows, X.cols]).toEqual([2, 211]);
    expect(y.length).toBe(211);
    expect(y.every((v) => v === 0 || v === 1)).toBe(true);
    expect(y.reduce((s, v) => s + v, 0)).toBe(106);
    // Values read with scipy.io.loadmat: X[:3] and X[-1] (rows are examples there).
    expect([X.data[0], X.data[211]]).toEqual([-0.158986, 0.423977]);
    expect([X.data[1], X.data[212]]).toEqual([-0.347926, 0.47076]);
    expect([X.data[2], X.data[213]]).toEqual([-0.504608, 0.353801]);
    expect([X.data[210], X.data[421]]).toEqual([-0.153111, 0.184503]);
    expect(y[210]).toBe(0);
    const test = bundle.test!;
    expect([test.X.rows, test.X.cols]).toEqual([2, 200]);
    expect([test.X.data[0], test.X.data[200]]).toEqual([-0.3530623458334412, -0.6739018129665528]);
    expect([test.X.data[199], test.X.data[399]]).toEqual([-0.31689908531098365, -0.42941272913886863]);
    expect(Array.from(test.y.subarray(0, 5))).toEqual([0, 1, 0, 0, 0]);
    expect(test.y.reduce((s, v) => s + v, 0)).toBe(87);
    expect(bundle.dev).toBeUndefined();
    expect(bundle.source).toBe("football.mat");
  });

  it.skipIf(!hasFootball)(`names the cut-off variable of a truncated copy (${NO_FOOTBALL})`, async () => {
    const bytes = await readFile(FOOTBALL);
    await expectDataError(
      readMat(bytes.subarray(0, 2000), "cut.mat"),
      /^cut\.mat: truncated MAT-file: variable 'X' needs 2576 bytes, 1864 remain$/,
    );
    await expectDataError(readMat(bytes.subarray(0, 5000), "cut.mat"), /variable 'Xval' needs 3149 bytes/);
  });
});

describe("readMat on fixtures", () => {
  const expectFixtureBundle = (vars: Map<string, MatArray>, name: string) => {
    const bundle = matToBundle(vars, name);
    expect([bundle.train.X.rows, bundle.train.X.cols]).toEqual([2, 6]);
    expect(Array.from(bundle.train.X.data)).toEqual(TRAIN_X.flat());
    expect(Array.from(bundle.train.y)).toEqual(TRAIN_Y);
    expect(Array.from(bundle.test!.X.data)).toEqual(TEST_X.flat());
    expect(Array.from(bundle.test!.y)).toEqual(TEST_Y);
  };

  for (const name of ["small.mat", "small_compressed.mat"] as const) {
    it(`reads ${name} (laid out as scipy writes) and skips char, struct and cell variables`, async () => {
      const vars = await readMat(await fixture(name), name);
      expect([...vars.keys()].sort()).toEqual(["X", "Xval", "y", "yval"]);
      expect(vars.get("yval")!.className).toBe("uint8");
      expectFixtureBundle(vars, name);
    });
  }

  for (const name of ["handmade_le.mat", "handmade_be.mat"] as const) {
    it(`reads ${name}: small elements, mixed compression, values stored narrower than declared`, async () => {
      const vars = await readMat(await fixture(name), name);
      expect([...vars.keys()]).toEqual(["X", "y", "Xval", "yval"]);
      expect(vars.get("y")!.className).toBe("double"); // stored as uint8
      expect(vars.get("yval")!.className).toBe("double"); // stored as int16
      expectFixtureBundle(vars, name);
    });
  }

  it("converts every numeric stored type to double", async () => {
    const vars = await readMat(await fixture("types.mat"), "types.mat");
    const values = (n: string) => Array.from(vars.get(n)!.data);
    expect(values("d")).toEqual([1.5, -2.25]);
    expect(values("s")).toEqual([1.5, -2.25]);
    expect(values("i8")).toEqual([-128, 127]);
    expect(values("u8")).toEqual([0, 255]);
    expect(values("i16")).toEqual([-32768, 32767]);
    expect(values("u16")).toEqual([0, 65535]);
    expect(values("i32")).toEqual([-(2 ** 31), 2 ** 31 - 1]);
    expect(values("u32")).toEqual([0, 2 ** 32 - 1]);
    expect(values("i64")).toEqual([-(2 ** 53), 2 ** 53]);
    expect(values("u64")).toEqual([0, 2 ** 53]);
    expect(values("b")).toEqual([1, 0]);
    expect(vars.get("b")!.className).toBe("logical");
    expect(vars.get("s")!.className).toBe("single");
    expect(vars.get("i64")!.className).toBe("int64");
  });

  it("keeps data column-major as stored", async () => {
    const m = (await readMat(await fixture("types.mat"), "types.mat")).get("m23")!;
    expect(m.dims).toEqual([2, 3]);
    expect(Array.from(m.data)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it("accepts a Buffer that is a view into a larger pool", async () => {
    const bytes = await fixture("handmade_be.mat");
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    const vars = await readMat(padded.subarray(3), "x.mat");
    expect(Array.from(vars.get("y")!.data)).toEqual(TRAIN_Y);
  });
});

describe("readMat errors", () => {
  it("rejects truncated uncompressed and compressed files, naming the variable", async () => {
    const plain = await fixture("small.mat");
    // small.mat: X's element starts at byte 128 and holds 152 bytes of data after its tag.
    await expectDataError(
      readMat(plain.subarray(0, 200), "small.mat"),
      /^small\.mat: truncated MAT-file: variable 'X' needs \d+ bytes, 64 remain$/,
    );
    const packed = await fixture("small_compressed.mat");
    await expectDataError(
      readMat(packed.subarray(0, packed.length - 10), "c.mat"),
      /truncated MAT-file: variable '\w+' needs \d+ bytes, \d+ remain/,
    );
    await expectDataError(readMat(plain.subarray(0, 131), "s.mat"), /truncated MAT-file/);
  });

  it("rejects files without a level 5 header", async () => {
    const noise = new Uint8Array(1000);
    let s = 12345;
    for (let i = 0; i < noise.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      noise[i] = s >>> 24;
    }
    await expectDataError(
      readMat(noise, "noise.mat"),
      /^noise\.mat: not a MAT-file \(level 5 header missing\)$/,
    );
    const text = new TextEncoder().encode("x,y,label\n1,2,0\n");
    await expectDataError(readMat(text, "a.mat"), /not a MAT-file/);
    await expectDataError(readMat(new Uint8Array(0), "empty.mat"), /not a MAT-file/);
  });

  it("rejects garbage after a valid header", async () => {
    const bytes = new Uint8Array(256).fill(0xab);
    bytes.set((await fixture("small.mat")).subarray(0, 128));
    await expectDataError(readMat(bytes, "g.mat"), /^g\.mat: (truncated|malformed) MAT-file/);
  });

  it("rejects a corrupt compressed element", async () => {
    const bytes = new Uint8Array(await fixture("small_compressed.mat"));
    const size = new DataView(bytes.buffer).getUint32(132, true);
    bytes.fill(0, 136 + size - 4, 136 + size); // break the zlib checksum
    await expectDataError(readMat(bytes, "z.mat"), /malformed MAT-file: compressed element at byte 128/);
  });

  it("explains that v7.3 (HDF5) files are not supported", async () => {
    const bytes = new Uint8Array(await fixture("small.mat"));
    bytes[124] = 0x00;
    bytes[125] = 0x02; // version 0x0200, little-endian
    await expectDataError(readMat(bytes, "v73.mat"), /v7\.3 .*not supported/);
  });

  it("rejects a variable whose data does not fit its dimensions", async () => {
    const bytes = new Uint8Array(await fixture("handmade_le.mat"));
    // X's dimensions (6×2) are the int32 pair after the flags subelement: claim 7 rows instead.
    const view = new DataView(bytes.buffer);
    expect(view.getInt32(128 + 8 + 16 + 8, true)).toBe(6);
    view.setInt32(128 + 8 + 16 + 8, 7, true);
    await expectDataError(readMat(bytes, "d.mat"), /variable 'X' is 7×2 \(14 values\) but stores 12 values/);
  });
});

describe("matToBundle", () => {
  const X = arr("X", [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
  const y = arr("y", [4, 1], [0, 1, 1, 0]);
  const bundle = (...vars: MatArray[]) => matToBundle(new Map(vars.map((v) => [v.name, v])), "d.mat");

  it("transposes X (m×n_x, column-major) to features × examples", () => {
    const b = bundle(X, arr("y", [1, 4], [0, 1, 1, 0]));
    expect([b.train.X.rows, b.train.X.cols]).toEqual([2, 4]);
    expect(Array.from(b.train.X.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(b.test).toBeUndefined();
  });

  it("uses Xtest/ytest as the test set, and then Xval/yval as the dev set", () => {
    const b = bundle(
      X,
      y,
      arr("Xtest", [2, 2], [9, 9, 9, 9]),
      arr("ytest", [2, 1], [1, 0]),
      arr("Xval", [2, 2], [5, 5, 5, 5]),
      arr("yval", [2, 1], [0, 1]),
    );
    expect(Array.from(b.test!.X.data)).toEqual([9, 9, 9, 9]);
    expect(Array.from(b.dev!.X.data)).toEqual([5, 5, 5, 5]);
  });

  it("names what is missing or mis-shaped", () => {
    expect(() => bundle(arr("Z", [1, 1], [0]))).toThrow(
      /no numeric variables 'X' and 'y' \(numeric variables found: Z\)/,
    );
    expect(() => bundle(X)).toThrow(/found 'X' but no numeric 'y'/);
    expect(() => bundle(X, y, arr("Xval", [2, 2], [1, 2, 3, 4]))).toThrow(
      /found 'Xval' but no numeric 'yval'/,
    );
    expect(() => bundle(arr("X", [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]), y)).toThrow(
      /'X' has 2 rows \(examples\) but 'y' has 4 labels \(is it transposed\? rows must be examples\)/,
    );
    expect(() => bundle(X, arr("y", [2, 2], [0, 1, 1, 0]))).toThrow(/'y' is 2×2; expected a vector/);
    expect(() => bundle(arr("X", [4, 1, 2], [1, 2, 3, 4, 5, 6, 7, 8]), y)).toThrow(/'X' is 4×1×2/);
    expect(() => bundle(X, y, arr("Xval", [2, 3], [1, 2, 3, 4, 5, 6]), arr("yval", [2, 1], [0, 1]))).toThrow(
      /'Xval' has 3 columns \(features\) but 'X' has 2/,
    );
  });

  it("validates labels and classes", () => {
    expect(() => bundle(X, arr("y", [4, 1], [0, 1, 2.5, 0]))).toThrow(
      /training set \(X, y\): 'y' value 3 is 2.5; labels must be whole numbers 0…K−1/,
    );
    // MATLAB counts from 1: labels 1 and 2 are refused, not trained as three classes.
    expect(() => bundle(X, arr("y", [4, 1], [1, 2, 2, 1]))).toThrow(
      /^d\.mat: training set \(X, y\): labels run 1…2: class 0 has no example; if they count from 1, subtract 1/,
    );
    expect(() => bundle(X, arr("y", [4, 1], [0, 1, 3, 1]))).toThrow(
      /labels are 0, 1, 3: class 2 has no example/,
    );
    // Xval/yval are read against the training set's classes: one class is fine, a new one is not.
    const one = bundle(X, y, arr("Xval", [1, 2], [1, 1]), arr("yval", [1, 1], [1]));
    expect(Array.from(one.test!.y)).toEqual([1]);
    expect(() => bundle(X, y, arr("Xval", [1, 2], [1, 1]), arr("yval", [1, 1], [2]))).toThrow(
      /^d\.mat: test set \(Xval, yval\): 'yval' value 1 is class 2, which the training set lacks \(its classes are 0…1\)$/,
    );
    expect(Array.from(bundle(X, arr("y", [4, 1], [0, 1, 2, 0])).train.y)).toEqual([0, 1, 2, 0]);
    expect(() => bundle(X, arr("y", [4, 1], [1, 1, 1, 1]))).toThrow(/training set \(X, y\) has only class 1/);
    expect(() => bundle(arr("X", [4, 2], [1, 2, Number.NaN, 4, 5, 6, 7, 8]), y)).toThrow(
      /feature 1 of example 3 is NaN/,
    );
    const err = (() => {
      try {
        bundle(X, arr("y", [4, 1], [0, 0, 0, 0]));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).source).toBe("d.mat");
  });
});
