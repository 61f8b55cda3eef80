/**
 * CONTRIBUTING's worked example: a new penalty in one file. Soft orthogonality (Bansal, Chen &
 * Wang 2018) pulls each layer's units toward orthonormal incoming weight vectors:
 * cost λ/(4m)·Σ_l ‖W_l W_lᵀ − I‖²_F, gradient λ/m·(W_l W_lᵀ − I)·W_l (W_l is n_l × n_{l−1}).
 * It registers itself; the settings table's "orthogonality" row gives it a flag, a sweep axis, a
 * place in jobs, model files and checkpoints; test/core/orthogonality.test.ts checks it.
 */
import { type Regularizer, registerRegularizer, type WeightShape } from "../regularizers.js";

/** G = W Wᵀ − I (units × units) for a row-major W of `units` rows of `fanIn`. */
function gramMinusIdentity(W: Float64Array, { units, fanIn }: WeightShape): Float64Array {
  const G = new Float64Array(units * units);
  for (let a = 0; a < units; a++) {
    for (let b = 0; b < units; b++) {
      let s = 0;
      for (let k = 0; k < fanIn; k++) s += W[a * fanIn + k] * W[b * fanIn + k];
      G[a * units + b] = s - (a === b ? 1 : 0);
    }
  }
  return G;
}

export function orthogonality(lambda: number): Regularizer {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`lambda must be ≥ 0, got ${lambda}`);
  return {
    spec: { kind: "orthogonality", lambda },
    name: `orthogonality, λ = ${lambda}`,
    cost(weights, m, shapes) {
      if (lambda === 0) return 0;
      if (!shapes) throw new RangeError("the orthogonality penalty needs each weight matrix's shape");
      let s = 0;
      weights.forEach((W, l) => {
        const G = gramMinusIdentity(W, shapes[l]);
        for (let i = 0; i < G.length; i++) s += G[i] * G[i];
      });
      return (lambda / (4 * m)) * s;
    },
    addGradient(dW, W, _layer, m, shape) {
      if (lambda === 0) return;
      if (!shape) throw new RangeError("the orthogonality penalty needs each weight matrix's shape");
      const { units, fanIn } = shape;
      const G = gramMinusIdentity(W, shape);
      const c = lambda / m;
      for (let a = 0; a < units; a++) {
        for (let k = 0; k < fanIn; k++) {
          let s = 0;
          for (let b = 0; b < units; b++) s += G[a * units + b] * W[b * fanIn + k];
          dW[a * fanIn + k] += c * s;
        }
      }
    },
  };
}

registerRegularizer({
  kind: "orthogonality",
  help: "soft orthogonality: cost λ/(4m)·Σ‖W Wᵀ − I‖², gradient λ/m·(W Wᵀ − I)·W",
  fields: { lambda: { type: "number", min: 0 } },
  build: (s) => orthogonality(s.lambda as number),
});
