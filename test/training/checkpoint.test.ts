import { describe, expect, it } from "vitest";
import { decodeDoubles, encodeDoubles } from "../../src/core/doubles-codec.js";
import { generateDataset } from "../../src/data/generators.js";
import { CheckpointError, fingerprintData, parseCheckpoint } from "../../src/training/checkpoint.js";

describe("checkpoint files", () => {
  it("store doubles exactly, -0, subnormals, infinities and NaN included", () => {
    const a = Float64Array.from([
      0,
      -0,
      1 / 3,
      -5e-324,
      Number.MAX_VALUE,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      1,
    ]);
    for (let n = 0; n <= a.length; n++) {
      const back = decodeDoubles(encodeDoubles(a.subarray(0, n)));
      expect(back.length).toBe(n);
      for (let i = 0; i < n; i++) expect(Object.is(back[i], a[i])).toBe(true);
    }
    expect(() => decodeDoubles("abc")).toThrow(RangeError);
    expect(() => decodeDoubles("AAAA")).toThrow(/length/);
  });

  it("refuse anything that is not a checkpoint, with a reason", () => {
    expect(() => parseCheckpoint("{")).toThrow(CheckpointError);
    expect(() => parseCheckpoint('{"format":"reglab-model"}')).toThrow(/not a reglab checkpoint/);
    expect(() => parseCheckpoint('{"format":"reglab-checkpoint","version":9}')).toThrow(/version 9/);
    expect(() =>
      parseCheckpoint('{"format":"reglab-checkpoint","version":1,"config":{"lambda":-1},"data":"x"}'),
    ).toThrow(/config is invalid: lambda/);
  });

  it("fingerprint the data: one changed value or label changes it", () => {
    const d = generateDataset("moons", { n: 50, seed: 1, testFraction: 0 }).train;
    const f = fingerprintData(d);
    const X = d.X.data.slice();
    X[7] = Math.fround(X[7]);
    expect(fingerprintData({ X: { ...d.X, data: X }, y: d.y })).not.toBe(f);
    const y = d.y.slice();
    y[3] ^= 1;
    expect(fingerprintData({ X: d.X, y })).not.toBe(f);
    expect(fingerprintData(d)).toBe(f);
  });
});
