import { describe, expect, it } from "vitest";
import { Network } from "../../src/core/network.js";
import { calibration } from "../../src/experiments/calibration.js";

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
