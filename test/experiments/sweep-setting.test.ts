import { describe, expect, it } from "vitest";
import { generateDataset } from "../../src/data/generators.js";
import {
  resolveSweepSpec,
  runSweep,
  SweepError,
  sweepConfigs,
  sweepJobs,
} from "../../src/experiments/sweep.js";
import { cli } from "../support/io.js";

describe("a sweep over a settings-table row (the third axis)", () => {
  it("crosses the row's values with λ and keepProb; each job carries the row's spec", () => {
    const spec = resolveSweepSpec({
      base: { iterations: 10 },
      lambdas: [0, 0.5],
      keepProbs: [1],
      setting: { name: "l1", values: [0, 0.001, 0.01] },
      folds: 2,
    });
    const configs = sweepConfigs(spec);
    expect(configs.map((c) => [c.lambda, c.setting])).toEqual([
      [0, 0],
      [0.5, 0],
      [0, 0.001],
      [0.5, 0.001],
      [0, 0.01],
      [0.5, 0.01],
    ]);
    const jobs = sweepJobs(spec);
    expect(jobs).toHaveLength(12);
    expect(jobs[0].config.regularizers).toEqual([]);
    expect(jobs[11].config.regularizers).toEqual([{ kind: "l1", lambda: 0.01 }]);
    expect(jobs[11].config.lambda).toBe(0.5);
  });

  it("refuses an unknown row or a value out of its range", () => {
    const base = { iterations: 10 };
    expect(() => resolveSweepSpec({ base, setting: { name: "l3", values: [1] } })).toThrow(SweepError);
    expect(() => resolveSweepSpec({ base, setting: { name: "gaussian-dropout", values: [0, 1] } })).toThrow(
      /gaussian-dropout must be a number in \[0, 1\)/,
    );
  });

  it("runs and chooses among the row's values", async () => {
    const bundle = generateDataset("moons", { n: 120, seed: 2 });
    const r = await runSweep(bundle, {
      base: { hidden: [8], iterations: 200 },
      setting: { name: "max-norm", values: [0, 0.5, 2] },
      folds: 2,
    });
    expect(r.points.map((p) => p.setting)).toEqual([0, 0.5, 2]);
    expect([0, 0.5, 2]).toContain(r.points[r.winner].setting);
  });

  it("reglab sweep --l1 0,0.01 --json names the axis and the winner's value; two listed rows are refused", async () => {
    const r = await cli(
      "sweep",
      "--l1",
      "0,0.01",
      "--iterations",
      "200",
      "--folds",
      "2",
      "--json",
      "--quiet",
    );
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.setting).toEqual({ name: "l1", values: [0, 0.01] });
    expect(j.lambdas).toEqual([0]);
    expect(j.points).toHaveLength(2);
    expect([0, 0.01]).toContain(j.winner.l1);
    const two = await cli("sweep", "--l1", "0,0.01", "--max-norm", "0,3");
    expect(two.code).toBe(2);
    expect(two.err).toMatch(/sweep one setting at a time: --l1 and --max-norm/);
  });
});
