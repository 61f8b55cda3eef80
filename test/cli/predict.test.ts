import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fromRows } from "../../src/core/matrix.js";
import { loadModel, loadModelFile } from "../../src/node/load-model.js";
import { cli } from "../support/io.js";
import { SMALL_MODEL } from "../support/models.js";
import { FOOTBALL_MAT, HAS_FOOTBALL, NO_FOOTBALL_REASON } from "../support/paths.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-predict-"));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** A valid model file's JSON, to break in one place per test. */
const MODEL = { ...SMALL_MODEL, config: { hidden: [3], keepProb: 0.9 } };
const withChange = (change: (m: Record<string, unknown>) => void) => {
  const m = structuredClone(MODEL) as Record<string, unknown>;
  change(m);
  return JSON.stringify(m);
};

describe("reglab predict: round trip with a model saved by reglab train --save", () => {
  const data = HAS_FOOTBALL ? ["--data", FOOTBALL_MAT] : [];
  const model = join(dir, "model.json");
  let trained: { testAccuracy: number | null } = { testAccuracy: null };

  beforeAll(async () => {
    const r = await cli(
      "train",
      ...data,
      "--keep-prob",
      "0.86",
      "--iterations",
      "3000",
      "--save",
      model,
      "--json",
    );
    expect(r.code, r.err).toBe(0);
    trained = JSON.parse(r.out);
  });

  it("prints the saved network's probabilities and labels for --points", async () => {
    const r = await cli("predict", "--model", model, "--points", "-0.4,0.3; 0.2,-0.5", "--json");
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.features).toBe(2);
    const net = await loadModel(model);
    const p = net.predictProba(
      fromRows([
        [-0.4, 0.2],
        [0.3, -0.5],
      ]),
    );
    expect(out.predictions.map((q: { probability: number }) => q.probability)).toEqual(Array.from(p));
    expect(out.predictions.map((q: { label: number }) => q.label)).toEqual(
      Array.from(p, (v) => (v > 0.5 ? 1 : 0)),
    );
    // Upper left is where French players win; lower right where the other team does.
    expect(out.predictions[0].label).toBe(1);
    expect(out.predictions[1].label).toBe(0);
    const text = await cli("predict", "--model", model, "--points", "-0.4,0.3;0.2,-0.5");
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/P\(class 1\)/);
    expect(text.out).toContain(p[0].toFixed(4));
  });

  it.skipIf(!HAS_FOOTBALL)(
    `reproduces the saved model's test accuracy from a labelled CSV, and writes --output${HAS_FOOTBALL ? "" : ` — skipped: ${NO_FOOTBALL_REASON}`}`,
    async () => {
      // The test set of football.mat as x1,x2,label rows.
      const { loadDataFile } = await import("../../src/node/load-data.js");
      const bundle = await loadDataFile(FOOTBALL_MAT);
      const t = bundle.test!;
      const m = t.X.cols;
      const lines = ["x1,x2,label"];
      for (let j = 0; j < m; j++) lines.push(`${t.X.data[j]},${t.X.data[m + j]},${t.y[j]}`);
      const input = file("test.csv", `${lines.join("\n")}\n`);
      const output = join(dir, "predictions.csv");
      const r = await cli("predict", "--model", model, "--input", input, "--output", output, "--json");
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out).accuracy).toBe(trained.testAccuracy);
      const rows = readFileSync(output, "utf8").trim().split("\n");
      expect(rows[0]).toBe("x1,x2,probability,label");
      expect(rows).toHaveLength(m + 1);
      const net = await loadModel(model);
      const p = net.predictProba(t.X);
      rows.slice(1).forEach((row, j) => {
        const [x1, x2, prob, label] = row.split(",").map(Number);
        expect([x1, x2]).toEqual([t.X.data[j], t.X.data[m + j]]);
        expect(prob).toBe(p[j]); // written so it reads back exactly
        expect(label).toBe(p[j] > 0.5 ? 1 : 0);
      });
      const text = await cli("predict", "--model", model, "--input", input, "--output", join(dir, "p2.csv"));
      expect(text.out).toMatch(/Accuracy against the labels in .*test\.csv: \d+\.\d% \(\d+\/200\)/);
      expect(text.out).toMatch(/Wrote 200 predictions to/);
    },
  );

  it("adds an MC-dropout band with --samples around the passes' median, for every seed", async () => {
    const loaded = await loadModelFile(model);
    expect(loaded.keepProb).toEqual([0.86, 0.86]);
    expect(loaded.hasDropout).toBe(true);
    const args = ["predict", "--model", model, "--points", "-0.4,0.3;0,0;0.5,0.5", "--samples", "200"];
    const r = await cli(...args, "--json");
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.mcDropout.samples).toBe(200);
    // The value shown with the band is the median, inside it for every seed; the mean (the
    // MC-dropout average) may leave it when a few thinned networks disagree strongly.
    for (let seed = 0; seed < 20; seed++) {
      const s = await cli(...args, "--json", "--seed", String(seed));
      for (const q of JSON.parse(s.out).predictions) {
        expect(q.mc.low).toBeLessThanOrEqual(q.mc.median);
        expect(q.mc.median).toBeLessThanOrEqual(q.mc.high);
        expect(q.mc.low).toBeLessThanOrEqual(q.mc.high);
        expect(q.mc.mean).toBeGreaterThanOrEqual(0);
      }
    }
    const text = await cli(...args);
    expect(text.out).toMatch(/MC median/);
    expect(text.out).not.toMatch(/MC mean/);
    // Same seed, same passes.
    const again = await cli(...args, "--json");
    expect(again.out).toBe(r.out);
  });
});

describe("reglab predict: bad input exits 2 with one line naming the problem", () => {
  const good = file("good.json", JSON.stringify(MODEL));
  const noDropout = file(
    "plain.json",
    withChange((m) => {
      m.config = { hidden: [3], keepProb: 1 };
    }),
  );
  const cases: Array<[string, string[], RegExp]> = [
    [
      "too many features",
      ["--model", good, "--points", "0.1,0.2,0.3"],
      /point 1 .* has 3 values, but the model takes 2 features/,
    ],
    [
      "too few features",
      ["--model", good, "--points", "0.1,0.2;0.5"],
      /point 2 \('0\.5'\) has 1 value, but the model takes 2/,
    ],
    [
      "not a number",
      ["--model", good, "--points", "0.1,abc"],
      /point 1 .* 'abc', which is not a finite number/,
    ],
    ["empty value", ["--model", good, "--points", "0.1,"], /point 1 .* '', which is not a finite number/],
    ["Infinity", ["--model", good, "--points", "Infinity,0"], /not a finite number/],
    // The same plain decimals as the data loaders: no hexadecimal, no bare exponent.
    ["hexadecimal", ["--model", good, "--points", "0x10,0"], /'0x10', which is not a finite number/],
    [
      "hexadecimal in --input",
      ["--model", good, "--input", file("hex.csv", "0.1,0x1f\n")],
      /'0x1f' is not a finite number/,
    ],
    ["empty point", ["--model", good, "--points", "0.1,0.2;;0.3,0.4"], /point 2 is empty/],
    ["no points", ["--model", good, "--points", " "], /no points given/],
    ["neither --points nor --input", ["--model", good], /exactly one of --points or --input/],
    ["both", ["--model", good, "--points", "1,2", "--input", "x.csv"], /exactly one of --points or --input/],
    ["no --model", ["--points", "1,2"], /required option '--model/],
    [
      "CSV with 4 columns",
      ["--model", good, "--input", file("wide.csv", "1,2,3,4\n5,6,7,8\n")],
      /wide\.csv: line 1 has 4 columns, but the model takes 2 features \(or 2 features and a 0\/1 label\)/,
    ],
    [
      "ragged CSV",
      ["--model", good, "--input", file("ragged.csv", "x1,x2\n1,2\n3\n")],
      /ragged\.csv: line 3 has 1 columns, expected 2/,
    ],
    [
      "CSV with text",
      ["--model", good, "--input", file("text.csv", "1,2\n3,abc\n")],
      /text\.csv: line 2, column 2: 'abc'/,
    ],
    [
      "CSV label 2",
      ["--model", good, "--input", file("label.csv", "1,2,1\n3,4,2\n")],
      /label\.csv: line 2: label '2' is not 0 or 1/,
    ],
    ["empty CSV", ["--model", good, "--input", file("empty.csv", "x1,x2\n")], /empty\.csv: no positions/],
    ["missing CSV", ["--model", good, "--input", join(dir, "nope.csv")], /nope\.csv: file not found/],
    [
      "bad --output extension",
      ["--model", good, "--points", "1,2", "--output", join(dir, "out.txt")],
      /--output .*\.csv/,
    ],
    [
      "--samples on a model without dropout",
      ["--model", noDropout, "--points", "1,2", "--samples", "50"],
      /trained without dropout/,
    ],
    ["--samples 1", ["--model", good, "--points", "1,2", "--samples", "1"], /at least 2 passes/],
    ["missing model", ["--model", join(dir, "none.json"), "--points", "1,2"], /none\.json: file not found/],
    ["model is a directory", ["--model", dir, "--points", "1,2"], /is a directory/],
    [
      "not JSON",
      ["--model", file("text.json", "weights: 1"), "--points", "1,2"],
      /text\.json: not valid JSON/,
    ],
    [
      "wrong format",
      [
        "--model",
        file(
          "other.json",
          withChange((m) => {
            m.format = "keras";
          }),
        ),
        "--points",
        "1,2",
      ],
      /other\.json: not a reglab model/,
    ],
    [
      "wrong version",
      [
        "--model",
        file(
          "v4.json",
          withChange((m) => {
            m.version = 4;
          }),
        ),
        "--points",
        "1,2",
      ],
      /v4\.json: model format version 4 is not supported \(this reglab reads 1 and 2, and 3 for layered networks\)/,
    ],
    [
      "missing weights",
      [
        "--model",
        file(
          "noweights.json",
          withChange((m) => {
            delete m.weights;
          }),
        ),
        "--points",
        "1,2",
      ],
      /noweights\.json: weights must list 2 layers/,
    ],
    [
      "missing a layer's biases",
      [
        "--model",
        file(
          "nobias.json",
          withChange((m) => {
            m.biases = [[0, 0, 0]];
          }),
        ),
        "--points",
        "1,2",
      ],
      /nobias\.json: biases must list 2 layers/,
    ],
    [
      "wrong weight shape",
      [
        "--model",
        file(
          "shape.json",
          withChange((m) => {
            (m.weights as number[][])[0].pop();
          }),
        ),
        "--points",
        "1,2",
      ],
      /shape\.json: weights\[0\] has 5 values, expected 6/,
    ],
    [
      "sizes disagree with the weights",
      [
        "--model",
        file(
          "sizes.json",
          withChange((m) => {
            m.sizes = [2, 4, 1];
          }),
        ),
        "--points",
        "1,2",
      ],
      /sizes\.json: weights\[0\] has 6 values, expected 8/,
    ],
    [
      "non-finite weight (1e999 parses as Infinity)",
      [
        "--model",
        file("inf.json", JSON.stringify(MODEL).replace('"weights":[[1,', '"weights":[[1e999,')),
        "--points",
        "1,2",
      ],
      /inf\.json: weights\[0\]\[0\] is Infinity, not a finite number/,
    ],
    [
      "NaN written as null",
      [
        "--model",
        file(
          "null.json",
          withChange((m) => {
            (m.biases as unknown[][])[1][0] = null;
          }),
        ),
        "--points",
        "1,2",
      ],
      /null\.json: biases\[1\]\[0\] is null, not a finite number/,
    ],
    [
      "string weight",
      [
        "--model",
        file(
          "str.json",
          withChange((m) => {
            (m.weights as unknown[][])[1][2] = "0.5";
          }),
        ),
        "--points",
        "1,2",
      ],
      /str\.json: weights\[1\]\[2\] is '0\.5', not a finite number/,
    ],
    [
      "keepProb out of range",
      [
        "--model",
        file(
          "keep.json",
          withChange((m) => {
            m.config = { keepProb: 1.5 };
          }),
        ),
        "--points",
        "1,2",
      ],
      /keep\.json: config\.keepProb is 1\.5/,
    ],
    [
      "output layer of 300 units",
      [
        "--model",
        file(
          "out300.json",
          withChange((m) => {
            m.sizes = [2, 3, 300];
          }),
        ),
        "--points",
        "1,2",
      ],
      /out300\.json: the output layer has 300 units; at most 255 classes are supported/,
    ],
    [
      "class names that do not match the outputs",
      [
        "--model",
        file(
          "names.json",
          withChange((m) => {
            m.classes = ["only one"];
          }),
        ),
        "--points",
        "1,2",
      ],
      /names\.json: classes is .*; expected 2 distinct names, one per class of the output layer/,
    ],
    [
      "an image shape that is not the inputs",
      [
        "--model",
        file(
          "image.json",
          withChange((m) => {
            m.image = { height: 2, width: 2, channels: 1 };
          }),
        ),
        "--points",
        "1,2",
      ],
      /image\.json: image is .*; expected \{ height, width, channels \} whose product is the 2 inputs/,
    ],
  ];

  it.each(cases)("%s", async (_name, argv, message) => {
    const r = await cli("predict", ...argv);
    expect(r.code, r.err).toBe(2);
    expect(r.out).toBe("");
    const lines = r.err.trimEnd().split("\n");
    expect(lines, r.err).toHaveLength(1);
    expect(lines[0]).toMatch(/^reglab: /);
    expect(lines[0]).toMatch(message);
  });

  it("accepts the good model, a header line, blank lines and CRLF", async () => {
    const r = await cli(
      "predict",
      "--model",
      good,
      "--input",
      file("ok.csv", "x1,x2\r\n0.1,0.2\r\n\r\n-0.3,0.4\r\n"),
      "--json",
    );
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).predictions).toHaveLength(2);
  });
});

describe("predict --input: the format its help documents", () => {
  it("the help's example CSV runs as written, and a label column adds accuracy", async () => {
    const help = (await cli("predict", "--help")).out;
    const example = /For example:\n((?: {2}.*\n?)+)/.exec(help)![1].replace(/^ {2}/gm, "");
    expect(example.trim().split("\n")).toEqual(["x1,x2", "-0.4,0.3", "0.2,-0.5"]);
    const model = file("documented-model.json", JSON.stringify(MODEL));
    const r = await cli("predict", "--model", model, "--input", file("documented.csv", example));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/-0\.4 +0\.3 +\d\.\d{4} +[01]/);
    const labelled = await cli(
      "predict",
      "--model",
      model,
      "--input",
      file("labelled.csv", "x1,x2,y\n-0.4,0.3,1\n0.2,-0.5,0\n"),
    );
    expect(labelled.code, labelled.err).toBe(0);
    expect(labelled.out).toMatch(/^Accuracy against the labels in .*labelled\.csv: \d+\.\d% \(\d\/2\)$/m);
  });
});
