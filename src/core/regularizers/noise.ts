import type { RandomState } from "../random.js";
import type { Regularizer, RegularizerClass } from "./registry.js";

/** Fills out[0..n) with 1 + s·ε, ε ~ N(0, 1) from `rng` (the factors of Gaussian dropout). */
export function drawGaussianFactors(rng: RandomState, out: Float64Array, n: number, s: number): void {
  rng.randn(n, out);
  for (let i = 0; i < n; i++) out[i] = 1 + s * out[i];
}

/**
 * Gaussian noise (Keras GaussianNoise(σ)): a ← a + σ·ε, ε ~ N(0, 1), while training only, on the
 * inputs (layer 0, the default) or hidden layers 1…H (`layers`).
 */
export function gaussianNoise(sigma: number, layers?: readonly number[]): Regularizer {
  if (!(sigma >= 0) || !Number.isFinite(sigma))
    throw new RangeError(`gaussian-noise sigma must be ≥ 0, got ${sigma}`);
  const on = layers ? [...layers] : [0];
  return {
    spec: layers ? { kind: "gaussian-noise", sigma, layers: on } : { kind: "gaussian-noise", sigma },
    name: `Gaussian noise, σ = ${sigma}${layers ? ` on layers ${on.join(", ")}` : " on the inputs"}`,
    noise: { type: "additive", scale: sigma, layers: () => on },
  };
}

/**
 * Gaussian dropout (Keras GaussianDropout(p)): hidden activations multiplied by 1 + s·ε,
 * ε ~ N(0, 1), s = √(p/(1−p)) — the same mean and variance as inverted dropout with keepProb 1−p —
 * while training only, on every hidden layer unless `layers` names some.
 */
export function gaussianDropout(rate: number, layers?: readonly number[]): Regularizer {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`gaussian-dropout rate must be in [0, 1), got ${rate}`);
  const s = Math.sqrt(rate / (1 - rate));
  return {
    spec: layers
      ? { kind: "gaussian-dropout", rate, layers: [...layers] }
      : { kind: "gaussian-dropout", rate },
    name: `Gaussian dropout, p = ${rate}`,
    noise: {
      type: "multiplicative",
      scale: s,
      layers: (hidden) => (layers ? [...layers] : Array.from({ length: hidden }, (_, h) => h + 1)),
    },
  };
}

export const GAUSSIAN_NOISE_CLASS: RegularizerClass = {
  kind: "gaussian-noise",
  help: "Gaussian noise: a ← a + σ·ε, ε ~ N(0, 1), training only; layers 0 = inputs (default), 1… hidden (Keras GaussianNoise(σ))",
  fields: { sigma: { type: "number", min: 0 }, layers: { type: "layers", optional: true } },
  build: (s) => gaussianNoise(s.sigma as number, s.layers as number[] | undefined),
};

export const GAUSSIAN_DROPOUT_CLASS: RegularizerClass = {
  kind: "gaussian-dropout",
  help: "Gaussian dropout: hidden a ← a·(1 + √(p/(1−p))·ε), training only (Keras GaussianDropout(p))",
  fields: {
    rate: { type: "number", min: 0, max: 1, maxExclusive: true },
    layers: { type: "layers", optional: true },
  },
  build: (s) => gaussianDropout(s.rate as number, s.layers as number[] | undefined),
};
