import type { Regularizer, RegularizerClass } from "./registry.js";

/**
 * Max-norm (Srebro & Shraibman; Srivastava, Hinton et al. pair it with dropout): after every
 * update each unit's incoming weight vector — a row of W_l (n_l × n_{l−1}) — is rescaled to norm
 * ≤ c. Keras's MaxNorm(c) with its default axis = 0 on a Dense kernel (inputs × units) is the
 * same vectors; Keras scales every vector by clip(‖w‖, 0, c)/(ε + ‖w‖) with ε = 10⁻⁷, which also
 * shrinks vectors below c by a factor 1 − 10⁻⁷/‖w‖; reglab leaves those alone.
 */
export function maxNorm(c: number): Regularizer {
  if (!(c > 0) || !Number.isFinite(c)) throw new RangeError(`max-norm c must be > 0, got ${c}`);
  return {
    spec: { kind: "max-norm", c },
    name: `max-norm, c = ${c}`,
    afterUpdate(W, _before, { units, fanIn }) {
      for (let u = 0; u < units; u++) {
        const row = u * fanIn;
        let s = 0;
        for (let i = row; i < row + fanIn; i++) s += W[i] * W[i];
        const norm = Math.sqrt(s);
        if (norm <= c) continue;
        const scale = c / norm;
        for (let i = row; i < row + fanIn; i++) W[i] *= scale;
      }
    },
  };
}

export const MAX_NORM_CLASS: RegularizerClass = {
  kind: "max-norm",
  help: "max-norm: after each update every unit's incoming weights w ← w·min(1, c/‖w‖) (Keras MaxNorm(c))",
  fields: { c: { type: "number", min: 0, minExclusive: true } },
  build: (s) => maxNorm(s.c as number),
};
