import { describe, expect, it } from "vitest";
import { crossEntropyFromLogits } from "../../src/core/losses.js";
import { fromRows } from "../../src/core/matrix.js";
import { accuracy, Network } from "../../src/core/network.js";
import { RandomState } from "../../src/core/random.js";
import { modelFromJSON, modelToJSON, parseModel } from "../../src/core/serialize.js";

describe("Network", () => {
  it("initializes 'reference' as randn(n_l, n_{l-1}) / sqrt(n_{l-1}) in layer order", () => {
    const net = Network.initialize([2, 20, 3, 1], new RandomState(3));
    const z = new RandomState(3).randn(20 * 2 + 3 * 20 + 3);
    expect(net.weights[0][0]).toBe(z[0] / Math.sqrt(2));
    expect(net.weights[1][0]).toBe(z[40] / Math.sqrt(20));
    expect(net.weights[2][2]).toBe(z[102] / Math.sqrt(3));
    expect(net.biases.every((b) => b.every((v) => v === 0))).toBe(true);
  });

  it("scales he and xavier by their fan-in rules; zeros leaves every unit alike", () => {
    const big = [400, 300, 1];
    const he = Network.initialize(big, new RandomState(1), { init: "he" });
    const xa = Network.initialize(big, new RandomState(1), { init: "xavier" });
    const sd = (w: Float64Array) => Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(sd(he.weights[0]) / Math.sqrt(2 / 400)).toBeCloseTo(1, 1);
    expect(sd(xa.weights[0]) / Math.sqrt(2 / 700)).toBeCloseTo(1, 1);
    const zeros = Network.initialize([2, 4, 1], new RandomState(1), { init: "zeros" });
    expect(zeros.weights.every((w) => w.every((v) => v === 0))).toBe(true);
  });

  it("rejects impossible shapes", () => {
    expect(() => new Network([2])).toThrow(/at least/);
    expect(() => new Network([2, 0, 1])).toThrow(/positive integers/);
    expect(new Network([2, 3, 2]).head.name).toBe("softmax"); // K ≥ 2 outputs: a softmax
    const net = new Network([2, 3, 1]);
    expect(() => net.predict(fromRows([[1, 2]]))).toThrow(/2 features/);
  });

  it("predicts labels where P(y = 1) > 0.5 and counts accuracy", () => {
    const net = new Network([1, 1], "relu", [Float64Array.of(4)], [Float64Array.of(-2)]);
    const X = fromRows([[0, 0.4, 0.6, 1]]);
    expect(Array.from(net.predict(X))).toEqual([0, 0, 1, 1]);
    expect(accuracy(net, { X, y: Uint8Array.of(0, 1, 1, 1) })).toBe(0.75);
  });

  it("round-trips through the model file format and rejects broken files", () => {
    const net = Network.initialize([2, 5, 3, 1], new RandomState(7), { activation: "tanh" });
    const back = parseModel(JSON.stringify(modelToJSON(net)));
    expect(back.sizes).toEqual(net.sizes);
    expect(back.activation).toBe("tanh");
    for (const [k, p] of back.parameters().entries()) expect(p).toEqual(net.parameters()[k]);
    const good = modelToJSON(net);
    expect(() => parseModel("{")).toThrow(/not valid JSON/);
    expect(() => modelFromJSON({ ...good, version: 99 })).toThrow(/version 99/);
    expect(() => modelFromJSON({ ...good, format: "keras" })).toThrow(/not a reglab model/);
    expect(() => modelFromJSON({ ...good, weights: good.weights.slice(1) })).toThrow(/3 layers/);
    expect(() => modelFromJSON({ ...good, weights: [[1, 2], ...good.weights.slice(1)] })).toThrow(
      /weights\[0\] has 2 values, expected 10/,
    );
    const nan = structuredClone(good);
    nan.biases[1][0] = null as unknown as number;
    expect(() => modelFromJSON(nan)).toThrow(/biases\[1\]\[0\] is null/);
  });
});

describe("cross-entropy from logits", () => {
  it("equals the seed's formula where that is finite and stays finite where it is not", () => {
    const z = Float64Array.of(-3, -0.5, 0, 0.5, 3);
    const y = Uint8Array.of(0, 1, 1, 0, 1);
    let want = 0;
    z.forEach((v, j) => {
      const a = 1 / (1 + Math.exp(-v));
      want += -(y[j] * Math.log(a) + (1 - y[j]) * Math.log(1 - a));
    });
    expect(crossEntropyFromLogits(z, y, 5)).toBeCloseTo(want / 5, 14);
    const extreme = crossEntropyFromLogits(Float64Array.of(800, -800, 800), Uint8Array.of(0, 1, 1), 3);
    expect(extreme).toBeCloseTo(1600 / 3, 9);
    expect(Number.isFinite(extreme)).toBe(true);
  });
});
