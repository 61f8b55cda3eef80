import { makeTransform, type Transform } from "./transform.js";

/** Gaussian jitter for any features (images or plain vectors): x + σ·N(0, 1), independently. */
export function noise(sigma = 0.05): Transform {
  if (!(sigma >= 0)) throw new RangeError(`noise: sigma must be ≥ 0, got ${sigma}`);
  return makeTransform(`noise:sigma=${sigma}`, false, (x, out, _shape, rng) => {
    rng.randn(x.length, out);
    for (let i = 0; i < x.length; i++) out[i] = x[i] + sigma * out[i];
    return out;
  });
}
