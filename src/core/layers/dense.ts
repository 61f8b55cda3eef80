import { activate, multiplyByDerivative } from "../activations.js";
import type { Layer, LayerContext } from "./layer.js";
import { shapeSize, type TensorShape } from "./spec.js";

/**
 * A fully connected layer on the flattened input (HWC order, as Keras's Flatten): W is units ×
 * inputs row-major, as the dense network's, b is units; then the activation (`linear` for the
 * output layer, whose head takes the pre-activations).
 */
export class Dense implements Layer {
  readonly output: TensorShape;
  readonly params: readonly Float64Array[];
  readonly grads: readonly Float64Array[];
  private readonly nIn: number;
  private readonly Wk: Float64Array;
  private readonly bk: Float64Array;
  private readonly out: Float64Array;
  private readonly dz: Float64Array;
  private readonly dx: Float64Array | undefined;
  private x: Float64Array = new Float64Array(0);

  constructor(
    readonly input: TensorShape,
    readonly units: number,
    W: Float64Array,
    b: Float64Array,
    private readonly ctx: LayerContext,
  ) {
    this.nIn = shapeSize(input);
    if (W.length !== units * this.nIn || b.length !== units)
      throw new RangeError(`dense: expected W ${units}×${this.nIn} and b ${units}`);
    this.output = { height: 1, width: 1, channels: units };
    const k = ctx.kernels;
    // The kernels compute on their own copies of W and b (their memory, for WebAssembly).
    this.Wk = k.alloc(W.length);
    this.bk = k.alloc(units);
    this.out = k.alloc(units * ctx.batch);
    this.dz = k.alloc(units * ctx.batch);
    this.dx = ctx.needsInputGradient ? k.alloc(this.nIn * ctx.batch) : undefined;
    this.params = [W, b];
    this.grads = [k.alloc(W.length), k.alloc(units)];
  }

  forward(x: Float64Array, m: number): Float64Array {
    this.Wk.set(this.params[0]);
    this.bk.set(this.params[1]);
    this.x = x;
    const relu = this.ctx.activation === "relu";
    this.ctx.kernels.denseForward(this.out, this.Wk, this.bk, x, this.units, this.nIn, m, relu);
    if (!relu) activate(this.ctx.activation, this.out, this.out, this.units * m);
    return this.out;
  }

  backward(dy: Float64Array, m: number, scale: number, decay: number): Float64Array | undefined {
    const n = this.units * m;
    const dz = this.dz;
    dz.set(dy.subarray(0, n));
    multiplyByDerivative(this.ctx.activation, dz, this.out, n);
    const k = this.ctx.kernels;
    const [dW, db] = this.grads;
    k.denseBackwardParams(dW, db, dz, this.x, this.Wk, this.units, this.nIn, m, scale, decay);
    if (this.dx) k.denseBackwardInput(this.dx, this.Wk, dz, this.units, this.nIn, m);
    return this.dx;
  }
}
