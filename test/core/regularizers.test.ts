import { describe, expect, it } from "vitest";
import { sigmoidHead, smoothLabels, softmaxHead } from "../../src/core/heads.js";
import { jsKernels } from "../../src/core/kernels.js";
import { createOptimizer, withWeightDecay } from "../../src/core/optimizers.js";
import { RandomState } from "../../src/core/random.js";
import { drawGaussianFactors } from "../../src/core/regularizers/noise.js";
import {
  buildRegularizer,
  checkRegularizerSpec,
  l1,
  l2,
  maxNorm,
  regularizerKinds,
  zeroWeights,
} from "../../src/core/regularizers.js";
import { parseSchedule, scheduleFactor } from "../../src/core/schedules.js";

const rng = new RandomState(4);
const W = [rng.randn(12), rng.randn(6)];
const m = 50;
const sum = (ws: Float64Array[], f: (w: number) => number) =>
  ws.reduce((s, w) => s + w.reduce((t, v) => t + f(v), 0), 0);

describe("the registry: specs in, objects out (TF.js getConfig / registerClass)", () => {
  it("builds every built-in kind from its spec and gives the spec back", () => {
    expect(regularizerKinds().slice(0, 6)).toEqual([
      "l2",
      "l1",
      "elastic",
      "max-norm",
      "gaussian-noise",
      "gaussian-dropout",
    ]);
    const specs = [
      { kind: "l2", lambda: 0.7 },
      { kind: "l1", lambda: 0.01 },
      { kind: "elastic", l1: 0.01, l2: 0.5 },
      { kind: "max-norm", c: 3 },
      { kind: "gaussian-noise", sigma: 0.1 },
      { kind: "gaussian-noise", sigma: 0.1, layers: [0, 2] },
      { kind: "gaussian-dropout", rate: 0.3 },
    ];
    for (const s of specs) expect(buildRegularizer(JSON.parse(JSON.stringify(s))).spec).toEqual(s);
  });

  it("refuses a bad spec with a message naming the setting", () => {
    expect(() => checkRegularizerSpec({ kind: "l3" })).toThrow(
      /unknown regularizer kind 'l3' \(choose l2, l1/,
    );
    expect(() => checkRegularizerSpec({ kind: "l1" })).toThrow("l1 needs a setting 'lambda'");
    expect(() => checkRegularizerSpec({ kind: "l1", lambda: -1 })).toThrow(
      "l1 lambda must be a number in [0, ∞), got -1",
    );
    expect(() => checkRegularizerSpec({ kind: "l1", lambda: "1" })).toThrow(/got '1'/);
    expect(() => checkRegularizerSpec({ kind: "max-norm", c: 0 })).toThrow(
      "max-norm c must be a number in (0, ∞)",
    );
    expect(() => checkRegularizerSpec({ kind: "gaussian-dropout", rate: 1 })).toThrow(/in \[0, 1\)/);
    expect(() => checkRegularizerSpec({ kind: "l1", lambda: 1, code: "x" })).toThrow(
      "l1 has no setting 'code'",
    );
    expect(() => checkRegularizerSpec({ kind: "gaussian-noise", sigma: 1, layers: [-1] })).toThrow(
      /layer numbers/,
    );
    expect(() => checkRegularizerSpec(null)).toThrow(/an object with a kind/);
  });
});

describe("penalties against Keras's definitions (Keras adds l1·Σ|w| and l2·Σw² to the mean loss)", () => {
  it("L2: λ/(2m)·Σw² is Keras l2 = λ/(2m); its gradient λ/m·W is fused", () => {
    const lambda = 0.7;
    const kerasL2 = lambda / (2 * m);
    expect(l2(lambda).cost!(W, m)).toBeCloseTo(kerasL2 * sum(W, (w) => w * w), 14);
    expect(l2(lambda).fusedDecay!(m)).toBe(lambda / m);
  });

  it("L1: λ/m·Σ|w| is Keras l1 = λ/m; its gradient adds λ/m·sign(w)", () => {
    const lambda = 0.3;
    const kerasL1 = lambda / m;
    expect(l1(lambda).cost!(W, m)).toBeCloseTo(kerasL1 * sum(W, Math.abs), 14);
    const dW = new Float64Array(W[0].length).fill(0.5);
    l1(lambda).addGradient!(dW, W[0], 0, m);
    for (let i = 0; i < dW.length; i++) expect(dW[i]).toBe(0.5 + kerasL1 * Math.sign(W[0][i]));
  });

  it("L1 at w = 0: stays while the rest of the gradient is weaker than λ/m, else that gradient shrinks by λ/m", () => {
    const c = 1 / m;
    const dW = Float64Array.from([0.5 * c, -0.9 * c, 3 * c, -2 * c]);
    l1(1).addGradient!(dW, new Float64Array(4), 0, m);
    expect(Array.from(dW)).toEqual([0, 0, 3 * c - c, -2 * c + c]);
  });

  it("L1 stops a weight that a step carries across zero at exactly 0 (TensorFlow Playground's rule)", () => {
    const before = Float64Array.from([0.01, -0.02, 0.5, 0]);
    const after = Float64Array.from([-0.001, 0.003, 0.4, 0.2]);
    l1(0.1).afterUpdate!(after, before, { units: 2, fanIn: 2 }, 0);
    expect(Array.from(after)).toEqual([0, 0, 0.4, 0.2]);
    expect(zeroWeights([after, Float64Array.from([0, 1])])).toEqual([2, 1]);
  });

  it("elastic net is L1 plus L2 (Keras L1L2 with l1 = λ₁/m, l2 = λ₂/(2m))", () => {
    const e = buildRegularizer({ kind: "elastic", l1: 0.2, l2: 0.4 });
    expect(e.cost!(W, m)).toBeCloseTo(
      (0.2 / m) * sum(W, Math.abs) + (0.4 / (2 * m)) * sum(W, (w) => w * w),
      14,
    );
    expect(e.fusedDecay!(m)).toBe(0.4 / m);
  });

  it("max-norm rescales each unit's incoming weights (a row of W) as Keras MaxNorm(c) on the kernel's axis 0", () => {
    const units = 4;
    const fanIn = 3;
    const w = new RandomState(9).randn(units * fanIn).map((v) => v * 2);
    const before = w.slice();
    maxNorm(1.5).afterUpdate!(w, before, { units, fanIn }, 0);
    for (let u = 0; u < units; u++) {
      const row = Array.from(before.subarray(u * fanIn, (u + 1) * fanIn));
      const norm = Math.hypot(...row);
      // Keras: w · clip(‖w‖, 0, c) / (ε + ‖w‖), ε = 1e-7 (it rescales rows below c by 1 − ε/‖w‖).
      const keras = row.map((v) => (v * Math.min(norm, 1.5)) / (1e-7 + norm));
      for (let i = 0; i < fanIn; i++) {
        const ours = w[u * fanIn + i];
        if (norm > 1.5) expect(ours).toBeCloseTo(keras[i], 6);
        else expect(ours).toBe(row[i]);
      }
      expect(Math.hypot(...Array.from(w.subarray(u * fanIn, (u + 1) * fanIn)))).toBeLessThanOrEqual(
        1.5 * (1 + 1e-15),
      );
    }
  });

  it("Gaussian dropout's factors have Keras's mean 1 and variance p/(1−p)", () => {
    const p = 0.3;
    const n = 200_000;
    const f = new Float64Array(n);
    drawGaussianFactors(new RandomState(5), f, n, Math.sqrt(p / (1 - p)));
    const mean = f.reduce((s, v) => s + v, 0) / n;
    const variance = f.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
    const sd = Math.sqrt(p / (1 - p));
    expect(Math.abs(mean - 1)).toBeLessThan((4 * sd) / Math.sqrt(n));
    // The variance of a sample variance is 2σ⁴/(n − 1) for a normal sample.
    expect(Math.abs(variance - p / (1 - p))).toBeLessThan(4 * Math.sqrt(2 / (n - 1)) * sd * sd);
  });
});

describe("label smoothing as Keras's cross-entropies define it", () => {
  const Z = new RandomState(3).randn(3 * 5).map((v) => v * 3);
  const eps = 0.2;

  it("binary: the cost and gradient of targets y·(1−ε) + ε/2", () => {
    const y = Float64Array.from([1, 0, 1, 1, 0]);
    const head = smoothLabels(sigmoidHead, eps);
    let expected = 0;
    const dZ = new Float64Array(5);
    head.gradient(dZ, Z, y, 5, 1, jsKernels);
    for (let j = 0; j < 5; j++) {
      const t = y[j] * (1 - eps) + eps / 2;
      const p = 1 / (1 + Math.exp(-Z[j]));
      expected += -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
      expect(dZ[j]).toBeCloseTo(p - t, 14);
    }
    expect(head.cost(Z, y, 5, 1)).toBeCloseTo(expected / 5, 13);
    expect(head.bound(Z, y, 5, 1).bound).toBeLessThanOrEqual(head.cost(Z, y, 5, 1));
  });

  it("categorical: the cost and gradient of targets onehot·(1−ε) + ε/K", () => {
    const K = 3;
    const m5 = 5;
    const y = Float64Array.from([2, 0, 1, 1, 0]);
    const head = smoothLabels(softmaxHead, eps);
    const dZ = new Float64Array(K * m5);
    head.gradient(dZ, Z, y, m5, K, jsKernels);
    let expected = 0;
    for (let j = 0; j < m5; j++) {
      const e = [0, 1, 2].map((k) => Math.exp(Z[k * m5 + j]));
      const s = e.reduce((a, b) => a + b, 0);
      for (let k = 0; k < K; k++) {
        const t = (k === y[j] ? 1 - eps : 0) + eps / K;
        expected -= t * Math.log(e[k] / s);
        expect(dZ[k * m5 + j]).toBeCloseTo(e[k] / s - t, 14);
      }
    }
    expect(head.cost(Z, y, m5, K)).toBeCloseTo(expected / m5, 13);
    expect(head.bound(Z, y, m5, K).bound).toBeLessThanOrEqual(head.cost(Z, y, m5, K));
  });

  it("ε = 0 is the head itself", () => {
    expect(smoothLabels(sigmoidHead, 0)).toBe(sigmoidHead);
    expect(() => smoothLabels(sigmoidHead, 1)).toThrow(/\[0, 1\)/);
  });
});

describe("decoupled weight decay as Keras's AdamW (Loshchilov & Hutter)", () => {
  it("one step: w ← w − α·wd·w − α·m̂/(√v̂ + ε), biases untouched", () => {
    const w = Float64Array.from([0.5, -1.2]);
    const b = Float64Array.from([0.3]);
    const g = [Float64Array.from([0.1, -0.4]), Float64Array.from([0.2])];
    const params = [w.slice(), b.slice()];
    const lr = 0.01;
    const wd = 0.1;
    withWeightDecay(createOptimizer({ name: "adam" }, params), wd, [true, false]).update(params, g, lr);
    // After one Adam step m̂ = g and v̂ = g², so the Adam part is α·g/(|g| + ε).
    const adam = (gi: number) => (lr * gi) / (Math.abs(gi) + 1e-8);
    for (let i = 0; i < 2; i++) expect(params[0][i]).toBeCloseTo(w[i] - lr * wd * w[i] - adam(g[0][i]), 15);
    expect(params[1][0]).toBeCloseTo(b[0] - adam(g[1][0]), 15);
  });

  it("with plain gradient descent it is L2 with λ = wd·m", () => {
    const w = Float64Array.from([0.5, -1.2]);
    const g = Float64Array.from([0.1, -0.4]);
    const decoupled = [w.slice()];
    withWeightDecay(createOptimizer({ name: "gd" }, decoupled), 0.1, [true]).update(decoupled, [g], 0.3);
    const coupled = [w.slice()];
    const lambda = 0.1 * m;
    const withL2 = g.map((gi, i) => gi + (lambda / m) * w[i]);
    createOptimizer({ name: "gd" }, coupled).update(coupled, [withL2], 0.3);
    for (let i = 0; i < 2; i++) expect(decoupled[0][i]).toBeCloseTo(coupled[0][i], 15);
  });
});

describe("learning-rate schedules as Keras's", () => {
  it("step:EVERY:FACTOR is ExponentialDecay with staircase", () => {
    const s = parseSchedule("step:100:0.5");
    for (const t of [0, 99, 100, 250, 1000])
      expect(scheduleFactor(s, t, 1000)).toBe(0.5 ** Math.floor(t / 100));
  });

  it("exp:RATE is ExponentialDecay with decay_steps 1", () => {
    const s = parseSchedule("exp:0.999");
    for (const t of [0, 1, 10, 777]) expect(scheduleFactor(s, t, 1000)).toBeCloseTo(0.999 ** t, 14);
  });

  it("cosine:WARMUP is CosineDecay from 0 with warmup_target α", () => {
    const T = 1000;
    const W = 100;
    const s = parseSchedule(`cosine:${W}`);
    // Keras: warmup lr = initial + (target − initial)·step/warmup_steps; then
    // target·(½(1 + cos(π·min(step − W, D)/D))) with D = decay_steps.
    const keras = (t: number) =>
      t < W ? t / W : 0.5 * (1 + Math.cos((Math.PI * Math.min(t - W, T - W)) / (T - W)));
    for (const t of [0, 50, 99, 100, 400, 999, 1000])
      expect(scheduleFactor(s, t, T)).toBeCloseTo(keras(t), 14);
    expect(scheduleFactor(parseSchedule("cosine"), 0, T)).toBe(1);
  });

  it("refuses what it cannot read, naming the forms", () => {
    for (const bad of ["step:0:0.5", "step:10", "exp:2", "cosine:-1", "linear", "step:10:0.5:3", "exp:"]) {
      expect(() => parseSchedule(bad)).toThrow(/learning-rate schedule .*\(write none, step:EVERY:FACTOR/);
    }
    expect(parseSchedule("none")).toEqual({ kind: "none" });
  });
});
