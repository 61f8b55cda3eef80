/**
 * Issue 9, items 3–6: input that is at fault gets exit 2 and one short, printable line — never
 * NaN printed as a result, never an internal error, never a hang — before any training.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { type CliResult, cli } from "../support/io.js";
import { SMALL_MODEL } from "../support/models.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-trust-"));
const file = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** Exit 2, one line on stderr of at most 200 characters with no control characters, matching `pattern`. */
function expectOneLine(r: CliResult, pattern: RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.err.endsWith("\n")).toBe(true);
  const line = r.err.slice(0, -1);
  expect(line.includes("\n"), r.err).toBe(false);
  expect(line.length, line).toBeLessThanOrEqual(200);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is that there are none
  expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  expect(line).toMatch(/^reglab: /);
  expect(line).toMatch(pattern);
}

const CSV = "x1,x2,label\n0.1,0.2,0\n0.3,0.4,1\n-0.2,0.5,0\n0.6,-0.1,1\n0.2,0.2,0\n-0.4,0.1,1\n";

describe("item 3: no NaN printed as a result", () => {
  const model = join(dir, "plain.json");
  beforeAll(async () => {
    const r = await cli("train", "--layers", "20", "--iterations", "300", "--save", model, "--json");
    expect(r.code, r.err).toBe(0);
  });

  it("predict on points whose output overflows exits 2 naming the point and the feature", async () => {
    for (const extra of [[], ["--json"]]) {
      const r = await cli("predict", "--model", model, "--points", "0.1,0.2;1e308,1e308", ...extra);
      expectOneLine(r, /point 2: feature 1 is 1e308, so far outside the training data.s range/);
      expect(r.out).not.toMatch(/NaN|null/);
    }
    const input = file("huge.csv", "x1,x2\n0.1,0.2\n-1e308,1e300\n");
    const out = join(dir, "huge-out.csv");
    const r = await cli("predict", "--model", model, "--input", input, "--output", out);
    expectOneLine(r, /huge\.csv: point 2: feature 1 is -1e308/);
    expect(existsSync(out)).toBe(false);
  });

  it("check on features near ±1e300 names them instead of printing a NaN relative difference", async () => {
    const huge = file(
      "huge-train.csv",
      "x1,x2,label\n1e300,0.1,0\n-1e300,0.2,1\n3e299,0.3,0\n-2e299,0.4,1\n",
    );
    const r = await cli("check", "--data", huge, "--check-iterations", "5", "--quiet");
    expectOneLine(r, /feature 1 reaches 1e300: values this large overflow/);
    expect(r.out).not.toMatch(/NaN/);
  });
});

describe("item 4: exit 2, not 1, where the input is at fault", () => {
  const data = file("small.csv", CSV);

  it.each([
    ["a path under /proc", "/proc/reglab-model.json", /cannot write there/],
    ["a read-only pseudo file system", "/sys/reglab-model.json", /cannot write there/],
    ["a missing folder", join(dir, "no/such/folder/m.json"), /does not exist/],
  ])("train --save to %s is refused before training", async (_what, path, pattern) => {
    const r = await cli("train", "--data", data, "--iterations", "5", "--save", path, "--quiet");
    expectOneLine(r, pattern);
    expect(r.out).toBe("");
  });

  it("every output of every command is checked: --plot, --cost-plot, --report, --out, --output", async () => {
    for (const args of [
      ["train", "--data", data, "--iterations", "5", "--plot", "/proc/p.png"],
      ["train", "--data", data, "--iterations", "5", "--cost-plot", "/sys/c.svg"],
      ["compare", "--iterations", "5", "--report", "/proc/report"],
      ["recommend", "--iterations", "5", "--out", "/sys/kick"],
      [
        "sweep",
        "--data",
        data,
        "--iterations",
        "5",
        "--lambda",
        "0,1",
        "--folds",
        "2",
        "--plot",
        "/proc/s.svg",
      ],
    ]) {
      const r = await cli(...args, "--quiet");
      expectOneLine(r, /cannot write there/);
    }
  });

  it("JSON nested 5000 deep is refused in one line without echoing the value", async () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const r = await cli("train", "--data", file("deep.json", `{"X": ${deep}, "y": [0, 1]}`));
    expectOneLine(r, /deep\.json: nests deeper than 64 levels/);
    const m = await cli(
      "predict",
      "--model",
      file("deep-model.json", `{"format": ${deep}}`),
      "--points",
      "0,0",
    );
    expectOneLine(m, /deep-model\.json: nests deeper than 64 levels/);
  });

  it("a data file over the size cap is refused by its size before it is read", async () => {
    const big = join(dir, "big.csv");
    writeFileSync(big, "");
    truncateSync(big, 300 * 1024 * 1024); // sparse: no disk used
    const r = await cli("train", "--data", big);
    expectOneLine(r, /big\.csv: is 300 MiB; files over 256 MiB are not read/);
  });

  it("--layers 100000,100000 is refused with the memory estimate, before allocating", async () => {
    const r = await cli("train", "--data", data, "--layers", "100000,100000", "--iterations", "5");
    expectOneLine(
      r,
      /\[2, 100000, 100000, 1\] has 10,000,500,001 weights; training it on \d+ examples needs about 24\d GB/,
    );
  });

  it("a compressed .mat element is inflated no further than its header declares", async () => {
    const header = Buffer.alloc(128, 0x20);
    header.write("MATLAB 5.0 MAT-file", 0, "latin1");
    header.writeUInt16LE(0x0100, 124);
    header.write("IM", 126, "latin1");
    const element = (inner: Buffer) => {
      const z = deflateSync(inner);
      const tag = Buffer.alloc(8);
      tag.writeUInt32LE(15, 0);
      tag.writeUInt32LE(z.length, 4);
      return Buffer.concat([tag, z]);
    };
    const matrixTag = (size: number) => {
      const t = Buffer.alloc(8);
      t.writeUInt32LE(14, 0);
      t.writeUInt32LE(size, 4);
      return t;
    };
    // Declares 64 bytes, inflates to 64 MB.
    const bomb = file(
      "bomb.mat",
      Buffer.concat([header, element(Buffer.concat([matrixTag(64), Buffer.alloc(64e6)]))]),
    );
    expectOneLine(
      await cli("train", "--data", bomb),
      /bomb\.mat: .*inflates to more than the 64 bytes it declares/,
    );
    // Declares 4 GB.
    const huge = file(
      "declares.mat",
      Buffer.concat([header, element(Buffer.concat([matrixTag(0xfffffff0), Buffer.alloc(16)]))]),
    );
    expectOneLine(
      await cli("train", "--data", huge),
      /declares\.mat: .*declares 4294967280 bytes once inflated/,
    );
  });

  it("compare --data on a two-row CSV says the data is too small to split, before training", async () => {
    const two = file("two.csv", "x1,x2,label\n0.1,0.2,0\n0.3,0.4,1\n");
    const r = await cli("compare", "--data", two, "--iterations", "5", "--quiet");
    expectOneLine(r, /two\.csv: cannot split: class 0 has only 1 example/);
  });

  it.skipIf(process.platform === "win32")(
    "a FIFO given as --model, --input or --data is refused, not read forever",
    async () => {
      const fifo = join(dir, "fifo.json");
      expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
      const fifoCsv = join(dir, "fifo.csv");
      expect(spawnSync("mkfifo", [fifoCsv]).status).toBe(0);
      const model = file(
        "m.json",
        JSON.stringify({
          format: "reglab-model",
          version: 1,
          sizes: [2, 1],
          activation: "relu",
          weights: [[1, 1]],
          biases: [[0]],
        }),
      );
      expectOneLine(
        await cli("predict", "--model", fifo, "--points", "0,0"),
        /fifo\.json: is not a regular file/,
      );
      expectOneLine(
        await cli("predict", "--model", model, "--input", fifoCsv),
        /fifo\.csv: is not a regular file/,
      );
      expectOneLine(await cli("train", "--data", fifoCsv), /fifo\.csv: is not a regular file/);
    },
  );
});

describe("item 5: error lines are short, on one line, and escape what they quote", () => {
  it("a 400-digit value is quoted in at most 40 characters", async () => {
    const long = "9".repeat(400);
    const r = await cli("train", "--data", file("long.csv", `x1,x2,label\n0.1,${long},0\n0.2,0.3,1\n`));
    expectOneLine(r, /line 2, column 2: '9{30,39}…' is not a finite number/);
    expectOneLine(await cli("train", "--lambda", long), /--lambda.*'9{30,39}…'/);
    expectOneLine(await cli("predict", "--model", "m.json", "--points", `${long},1`), /.*/);
  });

  it("newlines and terminal escapes inside input come out escaped", async () => {
    const evil = "\u001b]0;pwned\u0007\nreglab: all good";
    const title = "\u001b]0;pwned\u0007";
    const csv = await cli("train", "--data", file("evil.csv", `x1,x2,label\n0.1,"${title}",0\n0.2,0.3,1\n`));
    expectOneLine(csv, /column 2: '\\x1b\]0;pwned\\x07' is not a number/);
    const json = await cli(
      "train",
      "--data",
      file("evil.json", JSON.stringify({ X: [[0.1, evil]], y: [0] })),
    );
    expectOneLine(json, /value 2 is '\\x1b\]0;pwned\\x07\\nreglab: all good', not a number/);
    const model = file("evil-model.json", JSON.stringify({ format: evil }));
    expectOneLine(await cli("predict", "--model", model, "--points", "0,0"), /format is '\\x1b/);
    expectOneLine(await cli("train", "--dataset", evil), /unknown dataset '\\x1b\]0;pwned\\x07\\n/);
  });

  it("a long path still gives one line of at most 200 characters", async () => {
    const r = await cli("train", "--data", join(dir, `${"d".repeat(300)}.csv`));
    expectOneLine(r, /file not found|ENAMETOOLONG/);
  });
});

describe("item 6: a model file's config is checked as strictly as flags", () => {
  const model = (config: Record<string, unknown>) =>
    file(`cfg-${Object.keys(config).join("-")}.json`, JSON.stringify({ ...SMALL_MODEL, config }));

  it.each([
    [
      { hidden: [3], iterations: 1e12 },
      /config: iterations must be a whole number in \[1, 10000000\], got 1000000000000/,
    ],
    [{ hidden: [5], iterations: 100 }, /config\.hidden is \[5\] but the weights have hidden layers \[3\]/],
    [
      { hidden: [3], activation: "tanh" },
      /config\.activation is 'tanh' but the model's activation is 'relu'/,
    ],
    [{ hidden: [3], learningRate: -1 }, /config: learningRate must be a number > 0, got -1/],
    [
      { hidden: [3], optimizer: { name: "adam", beta1: 7 } },
      /config: optimizer beta1 must be in \[0, 1\), got 7/,
    ],
    [{ hidden: [3], seed: 2 ** 40 }, /config: seed must be a whole number in \[0, 2\^32\)/],
  ])("recommend and predict refuse config %j", async (config, pattern) => {
    const path = model(config);
    expectOneLine(await cli("recommend", "--model", path, "--quiet", "--ensemble", "2"), pattern);
    expectOneLine(await cli("predict", "--model", path, "--points", "0,0"), pattern);
  });
});
