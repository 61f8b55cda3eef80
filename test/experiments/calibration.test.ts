import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Network } from "../../src/core/network.js";
import {
  binOf,
  calibrate,
  calibration,
  confidences,
  ECE_BINS,
  expectedCalibrationError,
} from "../../src/experiments/calibration.js";

const fixture = JSON.parse(readFileSync(new URL("../fixtures/ece.json", import.meta.url), "utf8")) as {
  bins: number;
  cases: { name: string; proba: number[]; labels: number[]; ece: number }[];
};

describe("expected calibration error", () => {
  it("agrees with numpy's on a sigmoid and a 10-class softmax head (scripts/fixtures/ece.py)", () => {
    expect(fixture.bins).toBe(ECE_BINS);
    for (const c of fixture.cases) {
      const ece = expectedCalibrationError(confidences(c.proba, c.labels));
      expect(ece, c.name).toBeCloseTo(c.ece, 12);
    }
  });

  it("matches a hand count: two bins off by 0.2 and 0.1", () => {
    // Sigmoid P(y=1): 0.9, 0.9 (bin 13: (0.867, 0.933]), 0.7, 0.7, 0.7 (bin 10: (0.667, 0.733]).
    // Bin 13: confidence 0.9, one of two right → |0.5 − 0.9| = 0.4, weight 2/5.
    // Bin 10: confidence 0.7 (p = 0.3 → predicts 0 at 0.7), two of three right → |2/3 − 0.7|, weight 3/5.
    const c = confidences([0.9, 0.9, 0.7, 0.3, 0.7], [1, 0, 1, 0, 0]);
    expect(Array.from(c.confidence)).toEqual([0.9, 0.9, 0.7, 0.7, 0.7]);
    expect(Array.from(c.correct)).toEqual([1, 0, 1, 1, 0]);
    const cal = calibrate(c);
    expect(cal.ece).toBeCloseTo((2 / 5) * 0.4 + (3 / 5) * Math.abs(2 / 3 - 0.7), 14);
    expect(cal.mce).toBeCloseTo(0.4, 14);
    expect(cal.bins[13].count).toBe(2);
    expect(cal.bins[10].count).toBe(3);
    expect(cal.bins.reduce((s, b) => s + b.count, 0)).toBe(5);
    expect(cal.accuracy).toBeCloseTo(3 / 5, 14);
    expect(Number.isNaN(cal.bins[0].accuracy)).toBe(true);
  });

  it("is zero for a perfectly calibrated model and bins at (lower, upper]", () => {
    // Confidence 0.75 (bin 11: (0.733, 0.8]), three of four right.
    const c = {
      confidence: new Float64Array([0.75, 0.75, 0.75, 0.75]),
      correct: new Uint8Array([1, 1, 1, 0]),
    };
    expect(expectedCalibrationError(c)).toBeCloseTo(0, 14);
    expect(binOf(1)).toBe(14);
    expect(binOf(0)).toBe(0);
    expect(binOf(0.5, 2)).toBe(0);
    expect(binOf(0.5000001, 2)).toBe(1);
  });

  it("takes the first largest class on ties, as predict does, and refuses a ragged layout", () => {
    // K = 2 softmax rows, m = 1: [0.5, 0.5] → class 0.
    expect(Array.from(confidences([0.5, 0.5], [0]).correct)).toEqual([1]);
    expect(() => confidences([0.2, 0.3, 0.5], [0, 1])).toThrow(RangeError);
    expect(() => calibrate({ confidence: new Float64Array(1), correct: new Uint8Array(1) }, 0)).toThrow(
      RangeError,
    );
  });
});

describe("expected calibration error (Guo et al., 15 bins)", () => {
  it("is Σ (n_b/N)·|accuracy_b − confidence_b| over the confidence bins", () => {
    // z = x: P(y = 1) = σ(x). Confidences σ(2) ≈ 0.881 (three examples) and σ(0.2) ≈ 0.550 (two).
    const net = new Network([1, 1], "relu", [Float64Array.of(1)], [Float64Array.of(0)]);
    const x = Float64Array.of(2, 2, -2, 0.2, -0.2);
    const y = Uint8Array.of(1, 0, 0, 1, 1);
    const c = calibration(net, { X: { rows: 1, cols: 5, data: x }, y });
    const s = (z: number) => 1 / (1 + Math.exp(-z));
    // Bin of σ(2): predictions 1, 1, 0 against labels 1, 0, 0 → 2 of 3 right.
    // Bin of σ(0.2): predictions 1, 0 against labels 1, 1 → 1 of 2 right.
    const expected = (3 / 5) * Math.abs(2 / 3 - s(2)) + (2 / 5) * Math.abs(1 / 2 - s(0.2));
    expect(c.ece).toBeCloseTo(expected, 12);
    expect(c.bins.reduce((n, b) => n + b.count, 0)).toBe(5);
    expect(c.bins[Math.floor(s(2) * 15)]).toMatchObject({ count: 3, accuracy: 2 / 3 });
  });

  it("a softmax's confidence is its largest probability", () => {
    // Three classes, logits (0, 0, 0): confidence 1/3, the argmax class 0.
    const net = new Network([1, 3], "relu", [new Float64Array(3)], [new Float64Array(3)]);
    const c = calibration(net, {
      X: { rows: 1, cols: 2, data: Float64Array.of(1, 2) },
      y: Uint8Array.of(0, 2),
    });
    expect(c.ece).toBeCloseTo(Math.abs(0.5 - 1 / 3), 12);
  });
});
