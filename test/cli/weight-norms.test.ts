/**
 * The weight norms `train --json` reports are the squared norms of the very weights a saved model
 * holds, and `--norm-plot` draws them (log scale, early stopping's kept iteration marked).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseXml } from "../plot/xml.js";
import { cli } from "../support/io.js";

const ARGS = [
  "--dataset",
  "moons",
  "--layers",
  "10,4",
  "--lambda",
  "0.2",
  "--seed",
  "6",
  "--cost-every",
  "100",
];

describe("weight norms through the CLI", () => {
  it("train --json's weightNorms[k] equal ‖W_l‖² of the model saved after k·100 iterations", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reglab-norms-"));
    const long = await cli("train", ...ARGS, "--iterations", "1000", "--json", "--quiet");
    expect(long.code, long.err).toBe(0);
    // --json --quiet: stdout is the JSON and stderr stays silent (no cost lines).
    expect(long.err).toBe("");
    const norms = JSON.parse(long.out).weightNorms as number[][];
    expect(norms).toHaveLength(10);
    expect(norms[0]).toHaveLength(3);
    for (const k of [3, 7]) {
      const file = join(dir, `m${k}.json`);
      const short = await cli(
        "train",
        ...ARGS,
        "--iterations",
        String(k * 100),
        "--save",
        file,
        "--json",
        "--quiet",
      );
      expect(short.code, short.err).toBe(0);
      const saved = JSON.parse(readFileSync(file, "utf8"));
      const weights = (saved.weights ?? saved.network?.weights) as number[][];
      const direct = weights.map((W) => W.reduce((s, w) => s + w * w, 0));
      // Saved weights go through JSON's shortest round-trip decimals: equal to the last bit.
      expect(norms[k]).toEqual(direct);
    }
  });

  it("--norm-plot draws Σ‖W‖² and each layer on a log axis and marks the kept iteration", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "reglab-norm-plot-")), "norms.svg");
    const r = await cli(
      "train",
      ...ARGS,
      "--iterations",
      "2000",
      "--early-stopping",
      "--dev-fraction",
      "0.3",
      "--patience",
      "3",
      "--norm-plot",
      file,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`Wrote the weight norms to ${file}`);
    const svg = readFileSync(file, "utf8");
    expect(parseXml(svg).root).toBe("svg");
    expect(svg).toContain("Σ‖W‖² (log scale)");
    for (const l of ["‖W1‖²", "‖W2‖²", "‖W3‖²"]) expect(svg).toContain(l);
    expect(svg).toMatch(/weights kept at [\d,]+/);
  });
});

describe("plot titles print rounded numbers", () => {
  it("train --plot titles the boundary with the test accuracy as a percentage", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "reglab-title-")), "b.svg");
    const r = await cli("train", "--dataset", "moons", "--iterations", "300", "--plot", file, "--quiet");
    expect(r.code, r.err).toBe(0);
    const title = /<title>([^<]*)<\/title>/.exec(readFileSync(file, "utf8"))![1];
    expect(title).toMatch(/^Decision boundary — test accuracy \d{1,3}\.\d%$/);
  });
});
