import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/io.js";
import { matFixture } from "../support/mat-fixtures.js";
import { CLI, FOOTBALL_MAT, HAS_FOOTBALL, NO_FOOTBALL_REASON } from "../support/paths.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-bad-"));
const file = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const matBytes = matFixture("small.mat");

// Each case: argv after "train", and what the one line on stderr must say.
const CASES: Array<[string, string[], RegExp]> = [
  ["missing file", ["--data", join(dir, "nope.csv")], /nope\.csv: file not found/],
  [
    "missing football.mat: says where it comes from",
    ["--data", join(dir, "football.mat")],
    /football\.mat: file not found; it is data\.mat from the deep-learning course's regularization assignment \(course 2, week 1\); without --data, a built-in stand-in is used$/,
  ],
  ["truncated .mat", ["--data", file("cut.mat", matBytes.subarray(0, 200))], /cut\.mat: .*truncated/i],
  [
    "garbage .mat",
    ["--data", file("garbage.mat", "this is not a MAT-file at all, just text ".repeat(10))],
    /garbage\.mat: .*MAT-file/,
  ],
  ["NaN in a CSV", ["--data", file("nan.csv", "x1,x2,y\n0.1,0.2,0\n0.3,NaN,1\n")], /nan\.csv: .*line 3/],
  [
    "ragged rows",
    ["--data", file("ragged.csv", "0.1,0.2,0\n0.3,1\n0.5,0.6,1\n")],
    /ragged\.csv: .*line 2 has 2 fields, expected 3/,
  ],
  [
    "label 2.5",
    ["--data", file("label2.csv", "0.1,0.2,0\n0.3,0.4,2.5\n")],
    /label2\.csv: .*2\.5.*last column.*whole number 0…K−1/,
  ],
  ["one class only", ["--data", file("oneclass.csv", "0.1,0.2,1\n0.3,0.4,1\n")], /oneclass\.csv: .*class/],
  ["empty file", ["--data", file("empty.csv", "")], /empty\.csv: .*(empty|no examples)/],
  ["bad JSON", ["--data", file("bad.json", "{ X: [")], /bad\.json: /],
  ["unsupported type", ["--data", file("data.txt", "1,2,0")], /unsupported file type '\.txt'/],
  ["keepProb 0", ["--keep-prob", "0"], /--keep-prob.*\(0, 1\]/],
  ["precision f16", ["--precision", "f16"], /--precision.*expected one of f64, f32, f32-fma, got 'f16'/],
  ["keepProb 1.5", ["--keep-prob", "1.5"], /--keep-prob.*\(0, 1\]/],
  [
    "keepProb per layer, wrong count",
    ["--keep-prob", "0.5,0.5,0.5"],
    /keepProb lists 3 values but the network has 2 hidden layers/,
  ],
  ["negative lambda", ["--lambda", "-0.1"], /--lambda.*≥ 0/],
  ["lambda not a number", ["--lambda", "abc"], /--lambda.*'abc'/],
  ["zero learning rate", ["--learning-rate", "0"], /--learning-rate.*> 0/],
  ["negative learning rate", ["--learning-rate", "-0.3"], /--learning-rate/],
  ["zero iterations", ["--iterations", "0"], /--iterations.*\[1, 10000000\]/],
  ["too many iterations", ["--iterations", "1e12"], /--iterations.*\[1, 10000000\].*1e12/],
  ["fractional iterations", ["--iterations", "2.5"], /--iterations/],
  ["malformed layers", ["--layers", "20,,3"], /--layers/],
  ["zero-width layer", ["--layers", "20,0"], /--layers/],
  ["unknown option", ["--lamda", "0.7"], /unknown option '--lamda'/],
  ["unknown dataset", ["--dataset", "mnist"], /unknown dataset 'mnist'/],
  ["bad plot extension", ["--plot", join(dir, "plot.gif")], /--plot .*\.svg or \.png/],
  [
    "diverging run",
    ["--activation", "tanh", "--learning-rate", "5000", "--iterations", "3000"],
    /diverged.*learning rate 5000/,
  ],
];

describe("bad input: exit code 2, one clear line, no stack trace", () => {
  for (const [name, args, message] of CASES) {
    it(name, async () => {
      const r = await cli("train", "--quiet", ...args);
      expect(r.code).toBe(2);
      const lines = r.err.trim().split("\n");
      expect(lines.at(-1)).toMatch(/^reglab: /);
      expect(lines.at(-1)).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /);
    });
  }

  it("an unknown command", async () => {
    const r = await cli("trian");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^reglab: unknown command 'trian'/);
  });

  it("never clobbers an existing output file", async () => {
    const save = file("keep.json", "precious");
    const plot = file("keep.svg", "precious");
    for (const args of [
      ["--data", join(dir, "nope.csv")],
      ["--activation", "tanh", "--learning-rate", "5000", "--iterations", "3000"],
      ["--keep-prob", "2"],
    ]) {
      const r = await cli("train", "--quiet", "--save", save, "--plot", plot, ...args);
      expect(r.code).toBe(2);
      expect(readFileSync(save, "utf8")).toBe("precious");
      expect(readFileSync(plot, "utf8")).toBe("precious");
    }
  });

  it.skipIf(!HAS_FOOTBALL)(
    `a truncated football.mat names the variable that is cut${HAS_FOOTBALL ? "" : ` — skipped: ${NO_FOOTBALL_REASON}`}`,
    async () => {
      const cut = file("football-cut.mat", readFileSync(FOOTBALL_MAT).subarray(0, 1500));
      const r = await cli("train", "--data", cut);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/football-cut\.mat: .*'X'/);
    },
  );
});

describe("the installed binary", () => {
  it("exits 2 without a stack trace, and --debug shows one", () => {
    const plain = spawnSync(process.execPath, [CLI, "train", "--data", join(dir, "nope.mat")], {
      encoding: "utf8",
    });
    expect(plain.status).toBe(2);
    expect(plain.stderr.trim()).toBe(`reglab: ${join(dir, "nope.mat")}: file not found`);
    const debug = spawnSync(process.execPath, [CLI, "--debug", "train", "--data", join(dir, "nope.mat")], {
      encoding: "utf8",
    });
    expect(debug.status).toBe(2);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
