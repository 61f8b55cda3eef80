import type { Kernels } from "../kernels.js";
import type { Layer, LayerContext } from "./layer.js";
import { axisGeometry, type TensorShape } from "./spec.js";

/**
 * Max or average pooling over size × size windows moved by `stride` (Keras's defaults: stride =
 * size, `valid` padding, so a ragged last row or column is left out), channel by channel. Max
 * pooling sends each gradient to the first maximum of its window in row-major order (as
 * TensorFlow; the course's mask `x == max(x)` agrees when the maximum is unique); average pooling
 * shares it equally among the size² values.
 */
export class Pool2D implements Layer {
  readonly output: TensorShape;
  readonly params: readonly Float64Array[] = [];
  readonly grads: readonly Float64Array[] = [];
  private readonly out: Float64Array;
  private readonly dx: Float64Array | undefined;
  // Max pooling: where each output's maximum came from (an index into the input batch).
  private readonly argmax: Int32Array | undefined;

  constructor(
    readonly input: TensorShape,
    readonly kind: "max" | "avg",
    readonly size: number,
    readonly stride: number,
    ctx: LayerContext,
  ) {
    this.output = {
      height: axisGeometry(input.height, size, stride, "valid").out,
      width: axisGeometry(input.width, size, stride, "valid").out,
      channels: input.channels,
    };
    const k: Kernels = ctx.kernels;
    const n = this.output.height * this.output.width * input.channels * ctx.batch;
    this.out = k.alloc(n);
    this.argmax = kind === "max" ? new Int32Array(n) : undefined;
    this.dx = ctx.needsInputGradient
      ? k.alloc(input.height * input.width * input.channels * ctx.batch)
      : undefined;
  }

  forward(x: Float64Array, m: number): Float64Array {
    const { width: W, channels: C } = this.input;
    const { height: Ho, width: Wo } = this.output;
    const { size: f, stride: s, out, argmax } = this;
    const inv = 1 / (f * f);
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        for (let c = 0; c < C; c++) {
          const o = ((oh * Wo + ow) * C + c) * m;
          const first = ((oh * s * W + ow * s) * C + c) * m;
          for (let j = 0; j < m; j++) out[o + j] = x[first + j];
          if (argmax) for (let j = 0; j < m; j++) argmax[o + j] = first + j;
          for (let di = 0; di < f; di++) {
            for (let dj = di === 0 ? 1 : 0; dj < f; dj++) {
              const at = (((oh * s + di) * W + ow * s + dj) * C + c) * m;
              if (argmax) {
                for (let j = 0; j < m; j++) {
                  if (x[at + j] > out[o + j]) {
                    out[o + j] = x[at + j];
                    argmax[o + j] = at + j;
                  }
                }
              } else {
                for (let j = 0; j < m; j++) out[o + j] += x[at + j];
              }
            }
          }
          if (!argmax) for (let j = 0; j < m; j++) out[o + j] *= inv;
        }
      }
    }
    return out;
  }

  backward(dy: Float64Array, m: number): Float64Array | undefined {
    const dx = this.dx;
    if (!dx) return undefined;
    const { width: W, channels: C } = this.input;
    const { height: Ho, width: Wo } = this.output;
    const { size: f, stride: s, argmax } = this;
    dx.fill(0, 0, this.input.height * W * C * m);
    const n = Ho * Wo * C * m;
    if (argmax) {
      for (let i = 0; i < n; i++) dx[argmax[i]] += dy[i];
      return dx;
    }
    const inv = 1 / (f * f);
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        for (let c = 0; c < C; c++) {
          const o = ((oh * Wo + ow) * C + c) * m;
          for (let di = 0; di < f; di++) {
            for (let dj = 0; dj < f; dj++) {
              const at = (((oh * s + di) * W + ow * s + dj) * C + c) * m;
              for (let j = 0; j < m; j++) dx[at + j] += dy[o + j] * inv;
            }
          }
        }
      }
    }
    return dx;
  }
}
