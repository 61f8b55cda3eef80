import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataError } from "../../src/data/dataset.js";
import { loadDataFile, loadHeldOutFile } from "../../src/node/load-data.js";
import { matFixturePath } from "../support/mat-fixtures.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/data/", import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);

async function loadError(path: string, options?: { testPath?: string }): Promise<DataError> {
  const err = await loadDataFile(path, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataError);
  return err as DataError;
}

describe("loadDataFile", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "reglab-load-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loads a .mat file with its test set", async () => {
    const path = matFixturePath("small_compressed.mat");
    const b = await loadDataFile(path);
    expect(b.source).toBe(path);
    expect([b.train.X.rows, b.train.X.cols]).toEqual([2, 6]);
    expect(b.test!.X.cols).toBe(4);
  });

  it("loads a .json file", async () => {
    const b = await loadDataFile(fixture("data.json"));
    expect(b.train.X.cols).toBe(6);
    expect(Array.from(b.test!.y)).toEqual([0, 1, 1, 0]);
  });

  it("loads a .csv file, and its test set from testPath", async () => {
    const alone = await loadDataFile(fixture("train.csv"));
    expect(alone.test).toBeUndefined();
    const b = await loadDataFile(fixture("train.csv"), { testPath: fixture("test.csv") });
    expect(Array.from(b.train.y)).toEqual([1, 0, 1, 0, 0, 1]);
    expect(Array.from(b.train.X.data.subarray(0, 3))).toEqual([0.5, 1, -0.75]);
    expect([b.test!.X.rows, b.test!.X.cols]).toEqual([2, 4]);
    expect(Array.from(b.test!.X.data)).toEqual([1, -3, 5, 7, 2, 4, -6, 8]);
    expect(b.source).toBe(fixture("train.csv"));
  });

  it("reports a missing file with the path as typed", async () => {
    const err = await loadError("./no/such/data.csv");
    expect(err.source).toBe("./no/such/data.csv");
    expect(err.message).toBe("./no/such/data.csv: file not found");
  });

  it("rejects unknown extensions, and folders without labels.csv", async () => {
    const txt = join(dir, "data.xyz");
    await writeFile(txt, "1,2,0\n");
    expect((await loadError(txt)).message).toBe(
      `${txt}: unsupported file type '.xyz' (use .mat, .csv, .json, .h5 or a folder of pictures)`,
    );
    const bare = join(dir, "data");
    await writeFile(bare, "1,2,0\n");
    expect((await loadError(bare)).message).toMatch(
      /a file without an extension \(use \.mat, \.csv, \.json, \.h5 or a folder of pictures\)/,
    );
    expect((await loadError(FIXTURES)).message).toMatch(/a folder of pictures needs labels\.csv/);
  });

  it("names the test file in errors about it", async () => {
    const bad = join(dir, "bad-test.csv");
    await writeFile(bad, "1,2,0\n3,4\n");
    const err = await loadError(fixture("train.csv"), { testPath: bad });
    expect(err.source).toBe(bad);
    expect(err.message).toBe(`${bad}: line 2 has 2 fields, expected 3`);
    const missing = await loadError(fixture("train.csv"), { testPath: "missing-test.csv" });
    expect(missing.message).toBe("missing-test.csv: file not found");
    const wide = await loadError(fixture("train.csv"), { testPath: fixture("three-features.csv") });
    expect(wide.source).toBe(fixture("three-features.csv"));
    expect(wide.message).toMatch(/test data has 3 features but the training data \(.*train\.csv\) has 2/);
  });

  it("reads a test or dev file against the training set's classes, of any format", async () => {
    const names = join(dir, "names.csv");
    await writeFile(names, "1,2,dog\n3,4,cat\n5,6,bird\n");
    const json = join(dir, "test.json");
    await writeFile(json, JSON.stringify({ X: [[1, 1]], y: ["bird"] }));
    const b = await loadDataFile(names, { testPath: json });
    expect(b.classes).toEqual(["bird", "cat", "dog"]);
    expect(Array.from(b.test!.y)).toEqual([0]);
    // One class is a test set, not a training set; a class of its own is refused.
    const one = join(dir, "one.csv");
    await writeFile(one, "1,1,0\n2,2,0\n");
    const numbered = await loadDataFile(fixture("train.csv"));
    expect(Array.from((await loadHeldOutFile(one, numbered, "dev")).y)).toEqual([0, 0]);
    const three = join(dir, "three.csv");
    await writeFile(three, "1,1,0\n2,2,2\n");
    const err = await loadHeldOutFile(three, numbered, "dev").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toBe(
      `${three}: dev set: line 2, label is class 2, which the training set lacks (its classes are 0…1)`,
    );
    // A .mat file as the test file of a CSV: its X and y are read against the CSV's classes.
    const mat = matFixturePath("small_compressed.mat");
    const withMat = await loadDataFile(fixture("train.csv"), { testPath: mat });
    expect(withMat.test!.X.cols).toBe(6);
  });

  it("passes parse errors through with the file's path", async () => {
    const mat = join(dir, "fake.mat");
    await writeFile(mat, "not a mat file");
    expect((await loadError(mat)).message).toBe(`${mat}: not a MAT-file (level 5 header missing)`);
    const json = join(dir, "bad.json");
    await writeFile(json, "{");
    expect((await loadError(json)).message).toMatch(
      new RegExp(`^${json.replace(/[.\\]/g, "\\$&")}: invalid JSON`),
    );
  });
});
