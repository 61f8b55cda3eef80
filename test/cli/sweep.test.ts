import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, expectUsageError } from "../support/io.js";

// The sweep runs on worker threads, which load the compiled dist/node/sweep-worker.js: `npm test`
// builds first; run `npm run build` before running this file on its own.
const dir = mkdtempSync(join(tmpdir(), "reglab-sweep-"));
const small = ["--iterations", "300", "--folds", "3"];

/** The curves of a --json sweep, without timings. */
function curves(out: string) {
  const j = JSON.parse(out);
  return {
    points: j.points.map(({ seconds: _, ...p }: { seconds: number }) => p),
    winner: j.winner,
    test: j.final.testAccuracy,
  };
}

describe("reglab sweep", () => {
  it("prints validation curves with intervals, the winner, and the test score once", async () => {
    const r = await cli(
      "sweep",
      "--lambda",
      "0,0.1,10",
      ...small,
      "--seeds",
      "2",
      "--workers",
      "2",
      "--quiet",
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(
      "Sweep: λ ∈ {0, 0.1, 10} × keepProb ∈ {1}; 3 stratified folds (split seed 0) × 2 seeds (3, 4) = 18 runs + 1 final, on 2 worker threads",
    );
    expect(r.out).toMatch(/Validation curves: mean ± sd over 3 folds × 2 seeds/);
    // One row per λ, with mean ± sd [Wilson interval] for both accuracies; the table is split in
    // two parts to fit 100 columns (accuracies, then costs and the mark), each with every λ.
    const rows = r.out.split("\n").filter((l) => /^\s*(0|0\.1|10)\s{2}/.test(l));
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(100);
    for (const row of rows.slice(0, 3)) {
      expect(row).toMatch(
        /\d+\.\d% ± \d+\.\d \[\d+\.\d, \d+\.\d\]\s+\d+\.\d% ± \d+\.\d \[\d+\.\d, \d+\.\d\]/,
      );
    }
    expect(rows.filter((l) => l.includes("◀ chosen"))).toHaveLength(1);
    expect(r.out).toMatch(/Chosen on validation: λ = [\d.]+ \(/);
    expect(r.out).toMatch(
      /Retrained on all \d+ training examples \(seed 3\): train \d+\.\d% \[[\d.]+, [\d.]+\], test \d+\.\d% \[[\d.]+, [\d.]+\] — the test set's only use\./,
    );
  });

  it("gives the same results on 1 and 2 workers", async () => {
    const args = ["sweep", "--lambda", "0,1", "--keep-prob", "0.8,1", ...small, "--json"];
    const one = await cli(...args, "--workers", "1");
    const two = await cli(...args, "--workers", "2");
    expect(one.code, one.err).toBe(0);
    expect(two.code, two.err).toBe(0);
    expect(curves(two.out)).toEqual(curves(one.out));
    const j = JSON.parse(two.out);
    expect(j.points).toHaveLength(4);
    expect(j.runs).toBe(12);
    expect(j.workers).toBe(2);
    expect(j.points[0].devAccuracy).toMatchObject({ n: 3 });
    expect(j.final.testInterval).toHaveLength(2);
    expect(two.out.trim().split("\n")).toHaveLength(1);
  });

  it("--rule 1se chooses a configuration at least as regularized, within 1 SE of the best", async () => {
    const args = ["sweep", "--lambda", "0,0.3,1,3,10", ...small, "--seeds", "2", "--json"];
    const best = JSON.parse((await cli(...args)).out);
    const r = await cli(...args, "--rule", "1se");
    expect(r.code, r.err).toBe(0);
    const oneSe = JSON.parse(r.out);
    expect(best.rule).toBe("best");
    expect(oneSe.rule).toBe("1se");
    expect(oneSe.points).toEqual(
      best.points.map((p: object) => expect.objectContaining({ ...p, seconds: expect.any(Number) })),
    );
    expect(oneSe.winner.lambda).toBeGreaterThanOrEqual(best.winner.lambda);
    expect(oneSe.winner.reason).toMatch(/^one-standard-error rule: /);
    const top = best.points.find((p: { lambda: number }) => p.lambda === best.winner.lambda).devAccuracy;
    const chosen = oneSe.points.find((p: { lambda: number }) => p.lambda === oneSe.winner.lambda).devAccuracy;
    expect(chosen.mean).toBeGreaterThanOrEqual(top.mean - top.sd / Math.sqrt(top.n) - 1e-9);
  });

  it("writes accuracy and cost validation-curve plots (log λ axis with λ = 0 placed)", async () => {
    const plot = join(dir, "acc.svg");
    const costPlot = join(dir, "cost.svg");
    const r = await cli(
      "sweep",
      "--lambda",
      "0,0.1,1,10",
      ...small,
      "--plot",
      plot,
      "--cost-plot",
      costPlot,
      "--quiet",
    );
    expect(r.code, r.err).toBe(0);
    const svg = readFileSync(plot, "utf8");
    expect(svg).toContain("Validation curves: accuracy against λ");
    expect(svg).toContain("λ = 0 drawn at 0.01");
    expect(svg).toContain("chosen: λ =");
    expect(svg).toContain('class="band"');
    expect(readFileSync(costPlot, "utf8")).toContain("cross-entropy (no L2 term)");
  });

  it("sweeps keepProb alone on a linear axis", async () => {
    const plot = join(dir, "keep.svg");
    const r = await cli("sweep", "--keep-prob", "0.6,0.8,1", ...small, "--plot", plot, "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^keepProb/m);
    expect(r.out).toContain("λ ∈ {0}");
    expect(readFileSync(plot, "utf8")).toContain("keepProb (probability of keeping a unit)");
  });

  it("sweeps keepProb per hidden layer (colons) and says whether the wide layer wanted the lower one", async () => {
    const plot = join(dir, "layers.svg");
    const grid = "0.5:1,0.7:1,0.86:1,0.86:0.86";
    const r = await cli("sweep", "--keep-prob", grid, ...small, "--plot", plot, "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("keepProb ∈ {0.5:1, 0.7:1, 0.86:1, 0.86:0.86} (fresh masks)");
    for (const k of grid.split(",")) expect(r.out).toMatch(new RegExp(`^${k} `, "m"));
    const chosen = /^(\S+) .*◀ chosen$/m.exec(r.out)![1];
    const [wide, narrow] = chosen.split(":").map(Number);
    expect(r.out).toContain(`Chosen on the dev folds: keepProb ${chosen} (dev `);
    expect(r.out).toContain(
      wide < narrow
        ? "the wide layer wanted the lower keepProb, as the article says."
        : "the wide layer did not want a lower keepProb than the others here.",
    );
    expect(readFileSync(plot, "utf8")).toContain("keepProb per hidden layer: 1 = 0.5:1, 2 = 0.7:1");
    const j = JSON.parse((await cli("sweep", "--keep-prob", grid, ...small, "--json")).out);
    expect(j.keepProbs).toEqual([
      [0.5, 1],
      [0.7, 1],
      [0.86, 1],
      [0.86, 0.86],
    ]);
    expect(j.claims.wideLayer).toMatch(/^Chosen on the dev folds: keepProb [\d.:]+ \(dev [\d.]+%\)/);
    expect(j.claims.overSmoothing).toBeNull();
    await expectUsageError(["sweep", "--keep-prob", "0.5:0"], /--keep-prob.*per hidden layer/);
    await expectUsageError(["sweep", "--keep-prob", "0.5:1,0.5:1"], /--keep-prob: a value is listed twice/);
  });

  it("marks the over-smoothed λ on the plot and reads bias and variance in words", async () => {
    const plot = join(dir, "smooth.svg");
    const r = await cli("sweep", "--lambda", "0,0.3,100", ...small, "--plot", plot, "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/At λ = 0 train accuracy is [\d.]+% and dev [\d.]+% \(a gap of/);
    expect(r.out).toMatch(/From λ = 100 train and dev accuracy both fall .*: high bias/);
    const svg = readFileSync(plot, "utf8");
    expect(svg).toContain('class="regions"');
    expect(svg).toContain("over-smoothed: high bias");
    // The table's rule has no dashes under the unlabelled "◀ chosen" column.
    const lines = r.out.split("\n");
    const rule = lines[lines.findIndex((l) => l.startsWith("λ ") || /^\s+λ /.test(l)) + 1];
    const heading = lines[lines.indexOf(rule) - 1];
    expect(rule.trimEnd().split(/\s{2,}/)).toHaveLength(heading.trim().split(/\s{2,}/).length);
  });

  it("reports a diverging run as bad input naming the run", async () => {
    const r = await cli(
      "sweep",
      "--lambda",
      "0",
      "--activation",
      "linear",
      "--learning-rate",
      "20",
      ...small,
      "--quiet",
    );
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(
      /^reglab: every configuration diverged; the first: training diverged at iteration \d+/,
    );
  });

  it("reports a diverged configuration as diverged and chooses among the others, never scoring it", async () => {
    const r = await cli("sweep", "--lambda", "0.1,1e9", ...small, "--quiet");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1000000000\s+diverged \(3 of 3 runs\)\s+not scored/);
    expect(r.out).toContain("Every larger λ tried diverged");
    expect(r.out).toMatch(/0\.1 .*◀ chosen/);
    expect(r.out).toMatch(/λ = 1e\+?9 is too strong/);
    const j = JSON.parse((await cli("sweep", "--lambda", "0.1,1e9", ...small, "--quiet", "--json")).out);
    expect(j.winner.lambda).toBe(0.1);
    expect(j.points[1].diverged.runs).toBeGreaterThan(0);
  });

  it("rejects bad options with one line and exit 2, and writes no plot", async () => {
    const plot = join(dir, "never.svg");
    await expectUsageError(["sweep", "--lambda", "-1", "--plot", plot], /--lambda.*λ values ≥ 0/);
    await expectUsageError(["sweep", "--lambda", "0,x"], /--lambda/);
    await expectUsageError(["sweep", "--lambda", ""], /--lambda.*empty/);
    await expectUsageError(["sweep", "--lambda", "0.1,0.1"], /--lambda: a value is listed twice/);
    await expectUsageError(["sweep", "--keep-prob", "0,1"], /--keep-prob.*\(0, 1\]/);
    await expectUsageError(["sweep", "--folds", "1"], /--folds.*≥ 2/);
    await expectUsageError(["sweep", "--folds", "500"], /--folds 500: .*needs at least 500 examples/);
    await expectUsageError(["sweep", "--seeds", "0"], /--seeds/);
    await expectUsageError(["sweep", "--workers", "0"], /--workers/);
    await expectUsageError(["sweep", "--rule", "2se"], /--rule.*best, 1se|--rule/);
    await expectUsageError(["sweep", "--plot", join(dir, "x.pdf")], /--plot .*\.svg or \.png/);
    expect(existsSync(plot)).toBe(false);
  });
});

describe("reglab sweep --help", () => {
  it("teaches with examples", async () => {
    const r = await cli("sweep", "--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Examples:");
    expect(r.out).toContain("$ reglab sweep");
  });
});
