/**
 * Issue 20, item 3: labels mean what the user meant, in every loader. Numbers are classes 0…K−1
 * with an example of each; names are classes in sorted order; a test set is read against the
 * training set's classes. Anything else is one line, exit 2 — never a model with an empty class.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, expectUsageError } from "../support/io.js";
import { pngBytes, rgba } from "../support/pictures.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-labels-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
/** Eight examples of two features, the label of each from `labels`. */
const csv = (name: string, labels: readonly (number | string)[]) =>
  file(name, labels.map((l, j) => `${(j % 4) / 4},${((j * 3) % 5) / 5},${l}`).join("\n"));
const fast = ["--layers", "3", "--iterations", "20", "--json"];

describe("labels that would mean something else are refused in one line", () => {
  it("labels 1 and 2 (counted from 1, as MATLAB and R write them)", async () => {
    await expectUsageError(
      ["train", "--data", csv("one-two.csv", [1, 2, 1, 2, 1, 2, 1, 2]), ...fast],
      /one-two\.csv: labels run 1…2: class 0 has no example; if they count from 1, subtract 1 \(or write the classes as names\)$/,
    );
  });

  it("labels {0, 1, 3}: class 2 has no example", async () => {
    await expectUsageError(
      ["train", "--data", csv("gap.csv", [0, 1, 3, 0, 1, 3, 0, 1]), ...fast],
      /gap\.csv: labels are 0, 1, 3: class 2 has no example; number the classes 0…K−1 without gaps/,
    );
  });

  it("numbers and names mixed in one file", async () => {
    await expectUsageError(
      ["train", "--data", csv("mixed.csv", [0, "cat", 1, "dog", 0, 1, 0, 1]), ...fast],
      /mixed\.csv: labels mix numbers \(line 1, label: 0\) and names \(line 2, label: 'cat'\)/,
    );
  });

  it("a test set with a class the training set lacks", async () => {
    const train = csv("train01.csv", [0, 1, 0, 1, 0, 1, 0, 1]);
    await expectUsageError(
      ["train", "--data", train, "--test", csv("test012.csv", [0, 1, 2, 0]), ...fast],
      /test012\.csv: test set: line 3, label is class 2, which the training set lacks \(its classes are 0…1\)$/,
    );
    const names = csv("names.csv", ["cat", "dog", "cat", "dog", "cat", "dog", "cat", "dog"]);
    await expectUsageError(
      ["train", "--data", names, "--test", csv("bird.csv", ["cat", "bird"]), ...fast],
      /bird\.csv: test set: line 2, label: class 'bird' is not one of the training set's classes \(cat, dog\)$/,
    );
    await expectUsageError(
      ["train", "--data", names, "--dev", csv("dev-numbers.csv", [0, 1]), ...fast],
      /dev-numbers\.csv: dev set: numbers its classes \(0\) but the training set names them \(cat, dog\); use the names$/,
    );
  });

  it("a picture folder's labels.csv follows the same rule", async () => {
    const pictures = join(dir, "pictures");
    mkdirSync(pictures);
    for (let k = 0; k < 4; k++)
      writeFileSync(
        join(pictures, `p${k}.png`),
        pngBytes(
          2,
          2,
          rgba(2, 2, () => 60 * k),
        ),
      );
    writeFileSync(join(pictures, "labels.csv"), "p0.png,1\np1.png,2\np2.png,1\np3.png,2\n");
    await expectUsageError(
      ["train", "--data", pictures, ...fast],
      /pictures: the pictures: labels run 1…2: class 0 has no example/,
    );
  });
});

describe("class names train, numbered in sorted order", () => {
  it("a CSV of names is a dataset; its test file is read by name", async () => {
    const train = csv("pets.csv", ["dog", "cat", "dog", "cat", "dog", "cat", "dog", "cat"]);
    const test = csv("pets-test.csv", ["cat", "cat", "cat"]);
    const r = await cli("train", "--data", train, "--test", test, ...fast);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.testAccuracy).toBeGreaterThanOrEqual(0);
    const text = await cli("train", "--data", train, "--layers", "3", "--iterations", "20");
    expect(text.out).toContain("(classes: cat, dog)");
  });

  it("a model trained on names scores a CSV labelled with them", async () => {
    const train = csv("pets2.csv", ["dog", "cat", "dog", "cat", "dog", "cat", "dog", "cat"]);
    const model = join(dir, "pets.json");
    const r = await cli("train", "--data", train, ...fast, "--save", model);
    expect(r.code, r.err).toBe(0);
    const scored = await cli(
      "predict",
      "--model",
      model,
      "--input",
      csv("pets-in.csv", ["cat", "dog"]),
      "--json",
    );
    expect(scored.code, scored.err).toBe(0);
    expect(JSON.parse(scored.out).accuracy).toBeGreaterThanOrEqual(0);
    await expectUsageError(
      ["predict", "--model", model, "--input", csv("pets-bird.csv", ["cat", "bird"])],
      /pets-bird\.csv: line 2: label 'bird' is not a class of the model \(cat, dog\) or its number$/,
    );
  });
});

describe("--help says the rule", () => {
  it("in every command that reads data", async () => {
    for (const command of ["train", "compare", "sweep"]) {
      const r = await cli(command, "--help");
      const help = r.out.replace(/\s+/g, " ");
      expect(help, command).toContain("label that reads as a number is a class number 0…K−1");
      expect(help, command).toContain("names are numbered in sorted order");
      expect(help, command).toContain("a class the training data lacks is refused");
    }
  });
});
