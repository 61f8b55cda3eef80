import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseModel } from "../../src/core/serialize.js";
import { generateDataset } from "../../src/data/generators.js";
import { cli } from "../support/io.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-train-"));

describe("reglab train", () => {
  it("prints the seed's cost lines and accuracies with intervals", async () => {
    const r = await cli("train", "--iterations", "20001", "--quiet");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Cost after iteration 0: 0.65");
    expect(r.out).toContain("Cost after iteration 10000:");
    expect(r.out).toContain("Cost after iteration 20000:");
    expect(r.out).toMatch(/On the training set: accuracy 0\.\d+ — \d+\.\d% \[\d+\.\d, \d+\.\d\]/);
    expect(r.out).toMatch(/On the test set: +accuracy/);
    expect(r.out).toContain("synthetic");
  });

  it("--json prints exactly one JSON object on stdout, progress on stderr", async () => {
    const r = await cli("train", "--iterations", "3000", "--json", "--lambda", "0.7");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(
      expect.arrayContaining(["trainAccuracy", "testAccuracy", "costs", "seconds", "config"]),
    );
    expect(j.costs).toHaveLength(3);
    expect(j.config.lambda).toBe(0.7);
    expect(r.out.trim().split("\n")).toHaveLength(1);
    expect(r.err).toContain("Cost after iteration 0");
  });

  it("--threads does not change a bit of the trained weights", async () => {
    // Hidden layers of 200 give products large enough to be split between threads.
    const weights = async (threads: string) => {
      const path = join(dir, `threads-${threads}.json`);
      const args = ["--layers", "200,200", "--iterations", "30", "--keep-prob", "0.9", "--quiet"];
      const r = await cli("train", ...args, "--threads", threads, "--save", path);
      expect(r.code).toBe(0);
      const model = JSON.parse(readFileSync(path, "utf8"));
      return [model.weights, model.biases];
    };
    const one = await weights("1");
    expect(await weights("2")).toEqual(one);
    expect(one[0]).toHaveLength(3);
  });

  it("--precision f32 trains to costs within 1e-6 of f64's, and says so in --json", async () => {
    // Hidden layers of 64 and 32 run their products in cache blocks, so f32 changes them.
    const costs = async (precision: string) => {
      const r = await cli(
        "train",
        "--layers",
        "64,32",
        "--iterations",
        "600",
        "--json",
        "--precision",
        precision,
      );
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.precision).toBe(precision === "f64" ? undefined : precision);
      return j.costs as number[];
    };
    const f64 = await costs("f64");
    const f32 = await costs("f32");
    expect(f32).toHaveLength(f64.length);
    for (const [i, c] of f32.entries()) expect(Math.abs(c - f64[i])).toBeLessThan(1e-6);
    expect(f32.some((c, i) => c !== f64[i])).toBe(true);
    const fma = await costs("f32-fma");
    for (const [i, c] of fma.entries()) expect(Math.abs(c - f64[i])).toBeLessThan(1e-6);
  });

  it("--save writes a model that loads back and predicts the same", async () => {
    const path = join(dir, "model.json");
    const r = await cli("train", "--iterations", "500", "--keep-prob", "0.9", "--save", path, "--quiet");
    expect(r.code).toBe(0);
    const file = JSON.parse(readFileSync(path, "utf8"));
    expect(file.format).toBe("reglab-model");
    expect(file.config.keepProb).toBe(0.9);
    expect(file.training.trainAccuracy).toBeGreaterThan(0.5);
    const net = parseModel(readFileSync(path, "utf8"));
    const test = generateDataset("football").test!;
    const correct = net.predict(test.X).filter((p, j) => p === test.y[j]).length;
    expect(file.training.testAccuracy).toBe(correct / test.X.cols);
  });

  it("writes the boundary and cost plots", async () => {
    const plot = join(dir, "b.svg");
    const cost = join(dir, "c.svg");
    const r = await cli("train", "--iterations", "300", "--plot", plot, "--cost-plot", cost, "--quiet");
    expect(r.code).toBe(0);
    expect(readFileSync(plot, "utf8")).toMatch(/^<svg[^>]*xmlns/);
    expect(readFileSync(cost, "utf8")).toContain("Cost during training");
  });

  it("trains on other built-in datasets and with other optimizers", async () => {
    const r = await cli(
      "train",
      "--dataset",
      "moons",
      "--layers",
      "8,8",
      "--optimizer",
      "adam",
      "--learning-rate",
      "0.01",
      "--batch-size",
      "64",
      "--iterations",
      "400",
      "--json",
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).trainAccuracy).toBeGreaterThan(0.8);
  });
});

describe("reglab compare", () => {
  it("prints the four models, early stopping and L2 to the end, with intervals and a line on each", async () => {
    const r = await cli("compare", "--iterations", "2000", "--quiet");
    expect(r.code).toBe(0);
    for (const name of [
      "no regularization",
      "L2, λ = 0.7",
      "dropout 0.86, fixed masks",
      "dropout 0.86, fresh masks",
      "early stopping, 20% dev",
      "L2, trained to the end",
    ]) {
      expect(r.out).toContain(name);
    }
    expect(r.out).toContain("test accuracy [95% CI]");
    expect(r.out.match(/^- /gm)).toHaveLength(6);
    // Which of the two won, by McNemar.
    expect(r.out).toMatch(
      /“L2, trained to the end” scores [\d.]+% on the test set, “early stopping, 20% dev” [\d.]+%; .*McNemar p = /,
    );
  });

  it("--json prints { models: [...] }", async () => {
    const r = await cli("compare", "--iterations", "1000", "--json");
    const j = JSON.parse(r.out);
    expect(j.models).toHaveLength(6);
    // L2 to the end trains on the same examples as early stopping, with the whole budget.
    const [es, l2End] = j.models.slice(4);
    expect(l2End.key).toBe("l2-to-end");
    expect(l2End.trainExamples).toBe(es.trainExamples);
    expect(l2End.config.iterations).toBe(es.config.iterations);
    expect(l2End.config.lambda).toBe(0.7);
    // One sentence per claim of the article, from this run's numbers, in the article's order.
    expect(j.claims.map((c: { id: string }) => c.id)).toEqual([
      "l2-shrinks",
      "dropout-shrinks",
      "check",
      "early-stopping-mid",
      "orthogonalization",
    ]);
    // The check command names the dropout row's own keepProb.
    expect(j.claims[2].sentence).toContain("reglab check --keep-prob 0.86 turns dropout off");
    for (const c of j.claims) expect(c.sentence.length).toBeGreaterThan(60);
    expect(j.models[1].config.lambda).toBe(0.7);
    expect(j.models[2].config.dropoutMasks).toBe("fixed");
  });
});

describe("help", () => {
  for (const cmd of ["train", "compare"]) {
    it(`${cmd} --help teaches with examples`, async () => {
      const r = await cli(cmd, "--help");
      expect(r.code).toBe(0);
      expect(r.out).toContain("Examples:");
    });
  }
  it("every help page fits 80 columns: examples break with a continuation, prose reflows", async () => {
    for (const cmd of [
      [],
      ...["train", "compare", "check", "sweep", "predict", "recommend", "playground", "augment"].map((c) => [
        c,
      ]),
    ]) {
      const r = await cli(...cmd, "--help");
      expect(r.code).toBe(0);
      const lines = r.out.split("\n");
      for (const line of lines)
        expect([...line].length, `${cmd[0] ?? "reglab"}: ${line}`).toBeLessThanOrEqual(80);
      // A prose line is never cut short while the next line of its paragraph would have fitted on it.
      lines.forEach((line, i) => {
        const next = lines[i + 1] ?? "";
        if (line === "" || /^\s/.test(line) || next === "" || /^\s/.test(next) || line.endsWith(":")) return;
        expect([...line].length + 1 + next.split(" ")[0].length, `${cmd[0]}: ${line}`).toBeGreaterThan(80);
      });
    }
    const train = (await cli("train", "--help")).out;
    expect(train).toMatch(/\$ reglab train --data train_catvnoncat\.h5 .* \\\n {6}\S/);
    expect(train).toMatch(/\n {6}# the course's cat model, augmented\n/);
  });

  it("the top-level help lists the commands", async () => {
    const r = await cli("--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/train.*\n.*compare/s);
  });
});
