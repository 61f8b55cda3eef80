import type { Kernels } from "../kernels.js";
import type { RandomState } from "../random.js";
import type { Layer, LayerContext } from "./layer.js";
import type { TensorShape } from "./spec.js";

/**
 * Inverted dropout (`spatial` false: each value kept with probability keepProb) or spatial dropout
 * (Tompson et al. 2015: each feature map of each example kept or dropped whole), kept values
 * scaled by 1/keepProb so the expected output is the input; nothing happens outside training.
 * Masks are drawn from the run's generator, rand(n, m) < keepProb row-major: n = the layer's
 * values for dropout, its channels for spatial dropout.
 */
export class DropoutLayer implements Layer {
  readonly output: TensorShape;
  readonly params: readonly Float64Array[] = [];
  readonly grads: readonly Float64Array[] = [];
  private readonly k: Kernels;
  private readonly mask: Float64Array;
  private readonly out: Float64Array;
  private readonly dx: Float64Array;
  private active = false;

  constructor(
    readonly input: TensorShape,
    public keepProb: number,
    readonly spatial: boolean,
    ctx: LayerContext,
  ) {
    this.output = input;
    this.k = ctx.kernels;
    const n = input.height * input.width * input.channels * ctx.batch;
    this.mask = this.k.alloc((spatial ? input.channels : n / ctx.batch) * ctx.batch);
    this.out = this.k.alloc(n);
    this.dx = this.k.alloc(n);
  }

  forward(x: Float64Array, m: number, training: boolean, rng: RandomState): Float64Array {
    this.active = training && this.keepProb < 1;
    if (!this.active) return x;
    const { height, width, channels } = this.input;
    const n = height * width * channels * m;
    if (!this.spatial) {
      this.k.drawMask(rng, this.mask, n, this.keepProb);
      this.k.multiply(this.out, x, this.mask, n);
      return this.out;
    }
    this.k.drawMask(rng, this.mask, channels * m, this.keepProb);
    this.applySpatial(this.out, x, m);
    return this.out;
  }

  backward(dy: Float64Array, m: number): Float64Array {
    if (!this.active) return dy;
    const { height, width, channels } = this.input;
    if (!this.spatial) this.k.multiply(this.dx, dy, this.mask, height * width * channels * m);
    else this.applySpatial(this.dx, dy, m);
    return this.dx;
  }

  private applySpatial(out: Float64Array, x: Float64Array, m: number): void {
    const { height, width, channels: C } = this.input;
    const mask = this.mask;
    for (let p = 0; p < height * width; p++) {
      for (let c = 0; c < C; c++) {
        const at = (p * C + c) * m;
        const mc = c * m;
        for (let j = 0; j < m; j++) out[at + j] = x[at + j] * mask[mc + j];
      }
    }
  }
}

/** Flatten: the HWC values already lie in the order a dense layer reads; only the shape changes. */
export class Flatten implements Layer {
  readonly output: TensorShape;
  readonly params: readonly Float64Array[] = [];
  readonly grads: readonly Float64Array[] = [];
  constructor(readonly input: TensorShape) {
    this.output = { height: 1, width: 1, channels: input.height * input.width * input.channels };
  }
  forward(x: Float64Array): Float64Array {
    return x;
  }
  backward(dy: Float64Array): Float64Array {
    return dy;
  }
}
