import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RandomState } from "../../src/core/random.js";
import { generateDataset } from "../../src/data/generators.js";
import { trainDevSplit } from "../../src/data/split.js";
import { FOOTBALL_VIEW } from "../../src/plot/view.js";
import { buildRunData, parseDataFile, pitchAspect, viewFor, withPoints } from "../../web/data.js";
import { parseSettings } from "../../web/state.js";
import {
  CAT_TEST_H5,
  FOOTBALL_MAT,
  HAS_CATS,
  HAS_FOOTBALL,
  NO_CATS_REASON,
  NO_FOOTBALL_REASON,
} from "../support/paths.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("the playground's data", () => {
  it("is the generator's data for a preset, exactly as reglab train --dataset makes it", () => {
    const run = buildRunData(parseSettings("data=moons").settings);
    const cli = generateDataset("moons");
    expect(run.train).toEqual(cli.train);
    expect(run.test).toEqual(cli.test);
    expect(run.dev).toBeUndefined();
    expect(run.pitch).toBe(false);
    expect(buildRunData(parseSettings("").settings).pitch).toBe(true);
  });

  it("passes noise, points, test share and data seed to the generator", () => {
    const run = buildRunData(parseSettings("data=xor&n=101&noise=0.3&test=0.2&dseed=9").settings);
    const direct = generateDataset("xor", { n: 101, noise: 0.3, testFraction: 0.2, seed: 9 });
    expect(run.train).toEqual(direct.train);
    expect(run.test).toEqual(direct.test);
  });

  it("appends clicked points to the training set, then splits the dev set as --dev-fraction does", () => {
    const s = parseSettings("data=circles&add=0.5,0.5,1;-0.25,0,0&dev=0.25&sseed=7").settings;
    const run = buildRunData(s);
    const base = generateDataset("circles");
    const withAdded = withPoints(base.train, s.added);
    expect(withAdded.X.cols).toBe(base.train.X.cols + 2);
    expect(withAdded.X.data[base.train.X.cols]).toBe(0.5);
    expect(withAdded.X.data[withAdded.X.cols + base.train.X.cols + 1]).toBe(0);
    expect(Array.from(withAdded.y.slice(-2))).toEqual([1, 0]);
    const split = trainDevSplit(withAdded, 0.25, new RandomState(7));
    expect(run.train).toEqual(split.train);
    expect(run.dev).toEqual(split.dev);
  });

  it("reads CSV and JSON files, and says what is wrong with a bad one", async () => {
    const csv = await parseDataFile("points.csv", bytes("x1,x2,label\n0,1,1\n1,0,0\n0.5,0.5,1\n"));
    expect(csv.train.X.cols).toBe(3);
    const json = await parseDataFile(
      "p.json",
      bytes(
        JSON.stringify({
          X: [
            [0, 1],
            [1, 0],
          ],
          y: [1, 0],
          Xtest: [
            [2, 2],
            [3, 3],
          ],
          ytest: [1, 0],
        }),
      ),
    );
    expect(json.test?.X.cols).toBe(2);
    await expect(parseDataFile("bad.csv", bytes("0,1,2.5\n"))).rejects.toThrow(
      /bad\.csv: line 1, label is 2\.5/,
    );
    await expect(parseDataFile("data.xlsx", bytes(""))).rejects.toThrow(/unsupported file type '\.xlsx'/);
    await expect(parseDataFile("three.csv", bytes("0,1,0\n1,0,1\n1,1,2\n"))).rejects.toThrow(
      /three\.csv: has 2 features and more than two classes; the plane draws two \(use reglab train for K classes\)/,
    );
    // Beyond the plane, K classes train (curves and a confusion matrix, no boundary).
    const wide = await parseDataFile("wide.csv", bytes("0,1,2,0\n1,0,1,1\n1,1,0,2\n"));
    expect([wide.train.X.rows, Math.max(...wide.train.y)]).toEqual([3, 2]);
  });

  const withCats = HAS_CATS ? it : it.skip;
  const cats = "reads the course's test_catvnoncat.h5 as 64 × 64 colour pictures, classes named";
  withCats(HAS_CATS ? cats : `${cats} — skipped: ${NO_CATS_REASON}`, async () => {
    const bundle = await parseDataFile("test_catvnoncat.h5", new Uint8Array(readFileSync(CAT_TEST_H5)));
    expect(bundle.train.X.rows).toBe(64 * 64 * 3);
    expect(bundle.train.X.cols).toBe(50);
    expect(bundle.train.shape).toEqual({ height: 64, width: 64, channels: 3 });
    expect(bundle.classes).toEqual(["non-cat", "cat"]);
  });

  const withFootball = HAS_FOOTBALL ? it : it.skip;
  const football = "reads the seed's football.mat and draws it on the whole pitch";
  withFootball(HAS_FOOTBALL ? football : `${football} — skipped: ${NO_FOOTBALL_REASON}`, async () => {
    const bundle = await parseDataFile("football.mat", new Uint8Array(readFileSync(FOOTBALL_MAT)));
    expect(bundle.train.X.cols).toBe(211);
    expect(bundle.test?.X.cols).toBe(200);
    const run = buildRunData(
      { ...parseSettings("").settings, dataset: "file", fileName: "football.mat" },
      bundle,
    );
    expect(run.pitch).toBe(true);
    // A few positions lie just off the seed's plot box: the view takes them in, the pitch keeps its shape.
    const v = viewFor(run, 1);
    expect(v.xMin).toBeLessThanOrEqual(FOOTBALL_VIEW.xMin);
    expect(v.yMin).toBeLessThan(FOOTBALL_VIEW.yMin);
    expect(pitchAspect(FOOTBALL_VIEW)).toBeCloseTo(105 / 68, 12);
    expect(pitchAspect(v)).toBeLessThan(105 / 68);
  });

  it("widens the view so x and y share a scale", () => {
    const run = buildRunData(parseSettings("data=gaussians").settings);
    const v = viewFor(run, 1);
    expect((v.xMax - v.xMin) / (v.yMax - v.yMin)).toBeCloseTo(1, 12);
    const wide = viewFor(run, 2);
    expect((wide.xMax - wide.xMin) / (wide.yMax - wide.yMin)).toBeCloseTo(2, 12);
  });
});
