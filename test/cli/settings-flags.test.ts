import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseModel } from "../../src/core/serialize.js";
import { cli } from "../support/io.js";
import { CLI, FOOTBALL_MAT, HAS_FOOTBALL } from "../support/paths.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-settings-"));

// Every row of the settings table, on at once.
const ALL = [
  "--l1",
  "0.01",
  "--lambda",
  "0.3",
  "--max-norm",
  "3",
  "--gaussian-noise",
  "0.05",
  "--gaussian-dropout",
  "0.1",
  "--label-smoothing",
  "0.05",
  "--weight-decay",
  "0.001",
  "--lr-schedule",
  "cosine:100",
  "--keep-prob",
  "0.9",
];

describe("the settings table's flags", () => {
  it("train --l1 --json reports how many weights are exactly zero; the human output says it", async () => {
    const r = await cli("train", "--iterations", "3000", "--l1", "0.1", "--json", "--quiet");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.config.regularizers).toEqual([{ kind: "l1", lambda: 0.1 }]);
    expect(j.zeroWeights.perLayer).toHaveLength(3);
    expect(j.zeroWeights.total).toBeGreaterThan(0);
    expect(j.zeroWeights.total).toBe(j.zeroWeights.perLayer.reduce((a: number, b: number) => a + b, 0));
    const human = await cli("train", "--iterations", "3000", "--l1", "0.1", "--quiet");
    expect(human.out).toMatch(new RegExp(`Weights exactly zero: ${j.zeroWeights.total} of 103 \\(per layer`));
  });

  it.skipIf(!HAS_FOOTBALL)("train --data football.mat --l1 0.01 --json counts zeros", async () => {
    const r = await cli("train", "--data", FOOTBALL_MAT, "--l1", "0.01", "--json", "--quiet");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).zeroWeights.total).toBeGreaterThan(0);
  });

  it("train takes every flag at once; the config and the model file (version 2) carry them", async () => {
    const save = join(dir, "all.json");
    const r = await cli("train", "--iterations", "300", ...ALL, "--save", save, "--json", "--quiet");
    expect(r.code).toBe(0);
    const c = JSON.parse(r.out).config;
    expect(c.regularizers).toEqual([
      { kind: "l1", lambda: 0.01 },
      { kind: "max-norm", c: 3 },
      { kind: "gaussian-noise", sigma: 0.05 },
      { kind: "gaussian-dropout", rate: 0.1 },
    ]);
    expect([c.labelSmoothing, c.weightDecay, c.lrSchedule, c.lambda]).toEqual([
      0.05,
      0.001,
      "cosine:100",
      0.3,
    ]);
    const text = readFileSync(save, "utf8");
    expect(parseModel(text).sizes).toEqual([2, 20, 3, 1]);
    const file = JSON.parse(text);
    expect(file.version).toBe(2);
    expect(file.config.regularizers).toEqual(c.regularizers);
    const plain = join(dir, "plain.json");
    expect((await cli("train", "--iterations", "10", "--save", plain, "--quiet")).code).toBe(0);
    expect(JSON.parse(readFileSync(plain, "utf8")).version).toBe(1);
  });

  it("refuses a bad value with one line and exit code 2", async () => {
    for (const [flag, value, message] of [
      ["--l1", "-1", /--l1 <value>' argument '-1' is invalid. expected a number ≥ 0, got '-1'/],
      ["--gaussian-dropout", "1", /expected a number in \[0, 1\)/],
      ["--label-smoothing", "x", /expected a number in \[0, 1\), got 'x'/],
      ["--lr-schedule", "step:0:1", /EVERY must be a whole number/],
    ] as const) {
      const r = await cli("train", flag, value);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split("\n")).toHaveLength(1);
    }
  });

  it("a checkpoint with every flag resumes to the same result; other settings are refused by name", () => {
    const ck = join(dir, "ck.json");
    const flags = ["train", "--iterations", "600", ...ALL, "--batch-size", "64", "--json", "--quiet"];
    const run = (...extra: string[]) =>
      spawnSync(process.execPath, [CLI, ...flags, ...extra], { encoding: "utf8" });
    const whole = run("--checkpoint", ck, "--checkpoint-every", "250");
    expect(whole.status).toBe(0);
    const resumed = run("--resume", ck);
    expect(resumed.status).toBe(0);
    expect(JSON.parse(resumed.stdout).costs).toEqual(JSON.parse(whole.stdout).costs);
    expect(JSON.parse(resumed.stdout).trainAccuracy).toBe(JSON.parse(whole.stdout).trainAccuracy);
    const other = spawnSync(process.execPath, [CLI, ...flags, "--l1", "0.02", "--resume", ck], {
      encoding: "utf8",
    });
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/the checkpoint has regularizers = \[\{"kind":"l1","lambda":0.01\}/);
  });
});
