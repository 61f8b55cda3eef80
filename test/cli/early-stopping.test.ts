import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, expectUsageError } from "../support/io.js";
import { FOOTBALL_MAT, HAS_FOOTBALL, NO_FOOTBALL_REASON } from "../support/paths.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-es-"));

describe("reglab train --early-stopping", () => {
  it("stops, restores and reports the stopping and best iterations, with intervals", async () => {
    const r = await cli(
      "train",
      "--dataset",
      "moons",
      "--early-stopping",
      "--dev-fraction",
      "0.25",
      "--patience",
      "5",
      "--evaluate-every",
      "50",
      "--quiet",
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /Dev set: \d+ of the \d+ training examples held out, stratified by class \(fraction 0\.25, split seed 0\)/,
    );
    expect(r.out).toMatch(/Early stopping: (stopped at iteration \d+|ran all \d+ iterations)/);
    expect(r.out).toMatch(
      /best iteration \d+: dev cost \d\.\d{4}, dev accuracy \d+\.\d% \[\d+\.\d, \d+\.\d\]/,
    );
    expect(r.out).toMatch(/On the dev set: +accuracy 0?\.?\d* — \d+\.\d% \[/);
    expect(r.out).toMatch(/On the test set: +accuracy/);
  });

  it("--json carries the early-stopping summary and the evaluations", async () => {
    const r = await cli("train", "--early-stopping", "--patience", "3", "--evaluate-every", "200", "--json");
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.earlyStopping).toMatchObject({
      monitor: "devCost",
      mode: "min",
      patience: 3,
      evaluateEvery: 200,
    });
    expect(j.earlyStopping.bestIteration).toBeGreaterThanOrEqual(0);
    expect(j.earlyStopping.best.iteration).toBe(j.earlyStopping.bestIteration);
    // Without --dev or --dev-fraction, early stopping holds out 20 % of the training set.
    expect(j.devExamples).toBe(Math.round(0.2 * (j.devExamples + j.trainExamples)));
    expect(j.evaluations[0]).toMatchObject({ iteration: 0 });
    expect(j.evaluations.at(-1).iteration).toBe(j.iterationsRun);
    expect(typeof j.devAccuracy).toBe("number");
    if (j.earlyStopping.stoppedAt !== null) {
      expect(j.iterationsRun).toBe(j.earlyStopping.stoppedAt);
      expect(j.stopReason).toMatch(/^early stopping/);
    }
  });

  it("--monitor devAccuracy, --min-delta, --start-from and --no-restore-best are honoured", async () => {
    const r = await cli(
      "train",
      "--early-stopping",
      "--monitor",
      "devAccuracy",
      "--min-delta",
      "0.01",
      "--start-from",
      "500",
      "--no-restore-best",
      "--iterations",
      "3000",
      "--json",
    );
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.earlyStopping).toMatchObject({
      monitor: "devAccuracy",
      mode: "max",
      minDelta: 0.01,
      startFrom: 500,
    });
    expect(j.earlyStopping.restoreBest).toBe(false);
    expect(j.earlyStopping.restored).toBe(false);
    expect(j.earlyStopping.bestIteration).toBeGreaterThanOrEqual(500);
  });

  it("--dev FILE uses that file as the dev set", async () => {
    const dev = join(dir, "dev.csv");
    const rows = ["x1,x2,label"];
    for (let k = 0; k < 20; k++) rows.push(`${-0.5 + k * 0.04},${0.3 - k * 0.03},${k % 2}`);
    writeFileSync(dev, `${rows.join("\n")}\n`);
    const r = await cli("train", "--dev", dev, "--iterations", "400", "--evaluate-every", "100", "--json");
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.devExamples).toBe(20);
    expect(j.evaluations.map((e: { iteration: number }) => e.iteration)).toEqual([0, 100, 200, 300, 400]);
  });

  it("--cost-plot shows train and dev cost with the early-stopping point marked", async () => {
    const path = join(dir, "dev-curve.svg");
    const r = await cli("train", "--early-stopping", "--patience", "3", "--cost-plot", path, "--quiet");
    expect(r.code, r.err).toBe(0);
    const svg = readFileSync(path, "utf8");
    expect(svg).toContain("train cost");
    expect(svg).toContain("dev cost");
    expect(svg).toContain("stroke-dasharray");
    expect(svg).toMatch(/best dev \(\d+\)/);
    expect(svg).toContain('class="markers"');
  });

  it("rejects bad early-stopping and dev-set options with one line and exit 2", async () => {
    await expectUsageError(["train", "--patience", "3"], /--patience needs --early-stopping/);
    await expectUsageError(["train", "--no-restore-best"], /--no-restore-best needs --early-stopping/);
    await expectUsageError(["train", "--early-stopping", "--patience", "-1"], /--patience.*whole number ≥ 0/);
    await expectUsageError(["train", "--early-stopping", "--patience", "2.5"], /--patience/);
    await expectUsageError(["train", "--early-stopping", "--min-delta", "-0.1"], /--min-delta.*≥ 0/);
    await expectUsageError(
      ["train", "--early-stopping", "--monitor", "trainCost"],
      /--monitor.*devCost, devAccuracy/,
    );
    await expectUsageError(["train", "--evaluate-every", "0"], /--evaluate-every.*≥ 1/);
    await expectUsageError(["train", "--early-stopping", "--start-from", "x"], /--start-from/);
    await expectUsageError(["train", "--dev-fraction", "1"], /--dev-fraction.*strictly between 0 and 1/);
    await expectUsageError(["train", "--dev-fraction", "0"], /--dev-fraction/);
    await expectUsageError(["train", "--dev", "a.csv", "--dev-fraction", "0.2"], /--dev and --dev-fraction/);
    await expectUsageError(["train", "--dev", join(dir, "missing.csv")], /missing\.csv: file not found/);
    await expectUsageError(["train", "--split-seed", "-3"], /--split-seed/);
  });
});

describe.skipIf(!HAS_FOOTBALL)(
  `early stopping on football.mat${HAS_FOOTBALL ? "" : ` — skipped: ${NO_FOOTBALL_REASON}`}`,
  () => {
    it("stops well before 30 000 iterations and keeps an earlier best", async () => {
      const r = await cli(
        "train",
        "--data",
        FOOTBALL_MAT,
        "--early-stopping",
        "--dev-fraction",
        "0.2",
        "--json",
      );
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(r.out);
      // Measured: stops at 7300, best at 5300 (split seed 0, seed 3).
      expect(j.earlyStopping.stoppedAt).toBe(7300);
      expect(j.earlyStopping.bestIteration).toBe(5300);
      expect(j.earlyStopping.best.devCost).toBeCloseTo(0.1713, 4);
      expect(j.trainExamples).toBe(169);
      expect(j.devExamples).toBe(42);
      expect(j.testAccuracy).toBe(0.95);
    });
  },
);
