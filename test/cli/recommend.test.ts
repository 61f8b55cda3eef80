import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataFile } from "../../src/node/load-data.js";
import { cli } from "../support/io.js";
import { FOOTBALL_MAT, HAS_FOOTBALL, NO_FOOTBALL_REASON } from "../support/paths.js";

const dir = mkdtempSync(join(tmpdir(), "reglab-recommend-"));

interface ZoneJson {
  rank: number;
  score: number;
  centre: { x: number; y: number };
  target: { x: number; y: number };
  meanProbability: number;
  interval: { low: number; high: number };
  spread: { low: number; high: number };
  minLowerBound: number;
  examples: { count: number; class1: number };
}

/** Pixels in a box whose darkest channel is below `level` (text, lines). */
function darkPixels(png: PNG, x0: number, y0: number, x1: number, y1: number, level = 90): number {
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const k = (y * png.width + x) * 4;
      if (Math.max(png.data[k], png.data[k + 1], png.data[k + 2]) < level) n++;
    }
  }
  return n;
}

describe.skipIf(!HAS_FOOTBALL)(
  `reglab recommend on football.mat${HAS_FOOTBALL ? "" : ` — skipped: ${NO_FOOTBALL_REASON}`}`,
  () => {
    const model = join(dir, "dropout.json");
    beforeAll(async () => {
      // The seed's dropout model, saved as a user would.
      const r = await cli("train", "--data", FOOTBALL_MAT, "--keep-prob", "0.86", "--save", model, "--quiet");
      expect(r.code, r.err).toBe(0);
    });

    it("prints ranked zones on the French side of the diagonal and writes recommend.json and kick-map.png", async () => {
      const out = join(dir, "kick", "nested"); // created if missing
      const r = await cli("recommend", "--data", FOOTBALL_MAT, "--model", model, "--out", out);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(
        /Uncertainty: MC dropout, 100 passes with dropout kept on at prediction \(keepProb 0\.86\)/,
      );
      expect(r.out).toMatch(
        /Zones where the 5th percentile of P\(French player wins\) ≥ 0\.8, ranked by area × mean:/,
      );
      expect(r.out).toMatch(/^ +1 +\(-0\.\d\d, 0\.\d\d\)/m);
      expect(r.out).toMatch(/Aim the goalkeeper's kicks at \(x = −0\.\d\d, y = 0\.\d\d\)/);
      expect(readdirSync(out).sort()).toEqual(["kick-map.png", "recommend.json"]);

      const json = JSON.parse(readFileSync(join(out, "recommend.json"), "utf8"));
      expect(json.uncertainty).toMatchObject({ method: "mc-dropout", samples: 100, keepProb: [0.86, 0.86] });
      expect(json.view).toEqual({ xMin: -0.75, xMax: 0.4, yMin: -0.75, yMax: 0.65 });
      const zones: ZoneJson[] = json.zones;
      expect(zones.length).toBeGreaterThan(0);
      expect(zones.map((z) => z.rank)).toEqual(zones.map((_, k) => k + 1));
      for (let k = 1; k < zones.length; k++) expect(zones[k].score).toBeLessThanOrEqual(zones[k - 1].score);

      // Where the data's French wins cluster: the upper-left side of the diagonal, and in the
      // training data the zone's headers were (almost) all French.
      const data = await loadDataFile(FOOTBALL_MAT);
      const m = data.train.X.cols;
      const nearestClass1 = (x: number, y: number, k = 15) => {
        const d = Array.from({ length: m }, (_, j) => ({
          j,
          d: (data.train.X.data[j] - x) ** 2 + (data.train.X.data[m + j] - y) ** 2,
        })).sort((a, b) => a.d - b.d);
        return d.slice(0, k).filter((e) => data.train.y[e.j] === 1).length / k;
      };
      for (const z of zones) {
        expect(z.centre.y).toBeGreaterThan(z.centre.x);
        expect(z.target.y).toBeGreaterThan(z.target.x);
        expect(nearestClass1(z.target.x, z.target.y)).toBeGreaterThanOrEqual(0.8);
        expect(z.examples.count).toBeGreaterThan(10);
        expect(z.examples.class1 / z.examples.count).toBeGreaterThan(0.9);
        expect(z.minLowerBound).toBeGreaterThanOrEqual(0.8);
        expect(z.interval.low).toBeLessThanOrEqual(z.meanProbability);
        expect(z.interval.high).toBeGreaterThanOrEqual(z.meanProbability);
        expect(z.spread.low).toBeLessThanOrEqual(z.spread.high);
      }
      expect(json.sentence).toMatch(/^Aim the goalkeeper's kicks/);

      // The kick map: a real picture with text (title, legend) and the zone's black outline.
      const png = PNG.sync.read(readFileSync(join(out, "kick-map.png")));
      expect(png.width).toBeGreaterThan(800);
      expect(png.height).toBeGreaterThan(400);
      expect(darkPixels(png, 0, 0, png.width, 34)).toBeGreaterThan(300); // the title
      const colours = new Set<number>();
      let blue = 0;
      let orange = 0;
      for (let k = 0; k < png.data.length; k += 4) {
        const [r0, g0, b0] = [png.data[k], png.data[k + 1], png.data[k + 2]];
        colours.add((r0 << 16) | (g0 << 8) | b0);
        if (b0 > r0 + 40) blue++;
        if (r0 > b0 + 80) orange++;
      }
      expect(colours.size).toBeGreaterThan(200);
      expect(blue).toBeGreaterThan(20_000);
      expect(orange).toBeGreaterThan(20_000);
    });

    it("narrows a zone's interval on its mean as passes grow (200 → 800: about half)", async () => {
      // The 95% interval of a zone's mean is mean ± 1.96·sd/√T over the per-pass zone means; sd
      // settles as T grows, so the width falls like 1/√T: ×0.5 from 200 to 800 passes.
      const run = async (samples: number) => {
        const r = await cli(
          "recommend",
          "--data",
          FOOTBALL_MAT,
          "--model",
          model,
          "--samples",
          String(samples),
          "--grid",
          "60",
          "--json",
        );
        expect(r.code, r.err).toBe(0);
        const z: ZoneJson = JSON.parse(r.out).zones[0];
        return z.interval.high - z.interval.low;
      };
      const w200 = await run(200);
      const w800 = await run(800);
      expect(w800).toBeLessThan(0.75 * w200);
      expect(w800).toBeGreaterThan(0.3 * w200);
    });

    it("uses a seed ensemble for a model without dropout, and says so", async () => {
      const plain = join(dir, "plain.json");
      const t = await cli(
        "train",
        "--data",
        FOOTBALL_MAT,
        "--iterations",
        "3000",
        "--save",
        plain,
        "--quiet",
      );
      expect(t.code, t.err).toBe(0);
      const text = await cli(
        "recommend",
        "--data",
        FOOTBALL_MAT,
        "--model",
        plain,
        "--ensemble",
        "3",
        "--grid",
        "40",
        "--quiet",
      );
      expect(text.code, text.err).toBe(0);
      expect(text.out).toMatch(
        /the model has no dropout, so an ensemble of 3: the loaded model \(seed 3\) and 2 retrained with seeds 4…5/,
      );
      const r = await cli(
        "recommend",
        "--data",
        FOOTBALL_MAT,
        "--model",
        plain,
        "--ensemble",
        "3",
        "--grid",
        "40",
        "--json",
      );
      const json = JSON.parse(r.out);
      expect(json.uncertainty).toEqual({ method: "ensemble", samples: 3, seeds: [3, 4, 5] });
      expect(json.bounds).toBe("5th–95th percentile of 3 ensemble members");
    });

    it("trains the seed's dropout model when no --model is given", async () => {
      const r = await cli(
        "recommend",
        "--data",
        FOOTBALL_MAT,
        "--iterations",
        "3000",
        "--samples",
        "20",
        "--grid",
        "40",
        "--json",
      );
      expect(r.code, r.err).toBe(0);
      const json = JSON.parse(r.out);
      expect(json.model.source).toBe("trained");
      expect(json.model.config).toMatchObject({
        keepProb: 0.86,
        dropoutMasks: "fresh",
        seed: 3,
        iterations: 3000,
      });
      expect(json.uncertainty.method).toBe("mc-dropout");
      const text = await cli(
        "recommend",
        "--data",
        FOOTBALL_MAT,
        "--iterations",
        "3000",
        "--samples",
        "20",
        "--grid",
        "40",
        "--threshold",
        "0.999",
        "--quiet",
      );
      expect(text.code).toBe(0);
      expect(text.out).toMatch(/Note: with only 20 passes/);
      expect(text.out).toMatch(/No zone qualifies/);
    });
  },
);

describe("reglab recommend: bad input exits 2 before any training", () => {
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const threeInputs = file(
    "three.json",
    JSON.stringify({
      format: "reglab-model",
      version: 1,
      sizes: [3, 1],
      activation: "relu",
      weights: [[1, 2, 3]],
      biases: [[0]],
    }),
  );
  const cases: Array<[string, string[], RegExp]> = [
    ["threshold 1", ["--threshold", "1"], /--threshold.*strictly between 0 and 1/],
    ["threshold 0", ["--threshold", "0"], /--threshold/],
    ["threshold text", ["--threshold", "high"], /--threshold.*'high'/],
    ["one pass", ["--samples", "1"], /at least 2 passes/],
    ["ensemble of one", ["--ensemble", "1"], /at least 2 networks/],
    ["grid too fine", ["--grid", "5000"], /--grid/],
    ["--out is a file", ["--out", file("taken", "x")], /--out .*taken: exists and is not a directory/],
    ["model with 3 inputs", ["--model", threeInputs], /three\.json takes 3 features but football.* has 2/],
    [
      "3-feature data",
      ["--data", file("three.csv", "1,2,3,0\n4,5,6,1\n7,8,9,0\n")],
      /recommend: decision-boundary plots need 2 features/,
    ],
    ["missing model", ["--model", join(dir, "gone.json")], /gone\.json: file not found/],
  ];
  it.each(cases)("%s", async (_name, argv, message) => {
    const r = await cli("recommend", ...argv);
    expect(r.code, r.err).toBe(2);
    expect(r.err.trimEnd().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(message);
  });
});

describe("recommend prints rounded numbers", () => {
  it("the grid's window on data without a pitch has three significant digits, not 17", async () => {
    const r = await cli("recommend", "--dataset", "moons", "--samples", "10", "--grid", "20", "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Grid: 20×20 cells over x ∈ \[-?\d+\.\d{1,2}, -?\d+\.\d{1,2}\], y ∈ \[/m);
    expect(r.out).not.toMatch(/\d\.\d{7,}/);
  });
});
