import type { Kernels } from "../kernels.js";
import type { RandomState } from "../random.js";
import { drawGaussianFactors } from "../regularizers/noise.js";
import type { Layer } from "./layer.js";
import { shapeSize, type TensorShape } from "./spec.js";

/** A layer's training noise: the multiplicative factor's s (Gaussian dropout) and additive σ. */
export interface LayerNoiseSettings {
  scale: number;
  sigma: number;
}

/**
 * Training noise as a layer, for LayerTrainer: y = x·(1 + s·ε₁) + σ·ε₂, ε ~ N(0, 1) from the run's
 * generator, as the dense Trainer draws and applies them (ε₂ drawn first, then the factors; the
 * factor applied first). Identity outside training, so prediction never sees it; the gradient is
 * dy·(1 + s·ε₁).
 */
export class NoiseLayer implements Layer {
  readonly output: TensorShape;
  readonly params: readonly Float64Array[] = [];
  readonly grads: readonly Float64Array[] = [];
  private readonly factor: Float64Array | undefined;
  private readonly eps: Float64Array | undefined;
  private readonly out: Float64Array;
  private readonly dx: Float64Array | undefined;
  private active = false;

  constructor(
    readonly input: TensorShape,
    readonly noise: LayerNoiseSettings,
    private readonly k: Kernels,
    batch: number,
  ) {
    this.output = input;
    const n = shapeSize(input) * batch;
    this.factor = noise.scale > 0 ? k.alloc(n) : undefined;
    this.eps = noise.sigma > 0 ? k.alloc(n) : undefined;
    this.out = k.alloc(n);
    this.dx = this.factor ? k.alloc(n) : undefined;
  }

  forward(x: Float64Array, m: number, training: boolean, rng: RandomState): Float64Array {
    this.active = training && (this.factor !== undefined || this.eps !== undefined);
    if (!this.active) return x;
    const n = shapeSize(this.input) * m;
    if (this.eps) rng.randn(n, this.eps);
    if (this.factor) drawGaussianFactors(rng, this.factor, n, this.noise.scale);
    let src = x;
    if (this.factor) {
      this.k.multiply(this.out, x, this.factor, n);
      src = this.out;
    }
    if (this.eps) {
      const { sigma } = this.noise;
      const { out, eps } = this;
      for (let i = 0; i < n; i++) out[i] = src[i] + sigma * eps[i];
    }
    return this.out;
  }

  backward(dy: Float64Array, m: number): Float64Array {
    if (!this.active || !this.factor || !this.dx) return dy;
    this.k.multiply(this.dx, dy, this.factor, shapeSize(this.input) * m);
    return this.dx;
  }
}
