/**
 * What a CNN's first convolution computes, read off a trained network without retraining: its
 * filters (one f × f × C_in array each, HWC) and its activation maps on a few images (each filter's
 * output after the activation, H_out × W_out). The maps are computed here by a direct loop over the
 * kernel, the definition the layer's im2col implements, so they can be checked by hand.
 */
import { type Activation, activate } from "../core/activations.js";
import { LayeredNetwork } from "../core/layers/network.js";
import { axisGeometry, type Padding, type TensorShape } from "../core/layers/spec.js";
import type { Dataset } from "../data/dataset.js";

export interface FirstConv {
  input: TensorShape;
  filters: number;
  size: number;
  stride: number;
  padding: Padding;
  /** f × f × C_in × C_out row-major (the layer's own layout). */
  W: Float64Array;
  b: Float64Array;
  activation: Activation;
}

/** The first layer of a network when it is a convolution on the image, else undefined. */
export function firstConv(network: unknown): FirstConv | undefined {
  if (!(network instanceof LayeredNetwork)) return undefined;
  const s = network.layers[0];
  if (s?.type !== "conv") return undefined;
  return {
    input: network.input,
    filters: s.filters,
    size: s.size,
    stride: s.stride ?? 1,
    padding: s.padding ?? "valid",
    W: network.weights[0],
    b: network.biases[0],
    activation: network.activation,
  };
}

/** Filter o of the layer as an f × f × C_in image (HWC). */
export function filterWeights(conv: FirstConv, o: number): Float64Array {
  const { size: f, filters: C } = conv;
  const K = f * f * conv.input.channels;
  const out = new Float64Array(K);
  for (let k = 0; k < K; k++) out[k] = conv.W[k * C + o];
  return out;
}

/**
 * The layer's output on one image x (HWC, as a data column), per filter: activation(Σ W·x + b)
 * over each kernel position, zero outside the image where `same` pads. Returns the maps (each
 * H_out × W_out row-major) and their shape.
 */
export function activationMaps(
  conv: FirstConv,
  x: ArrayLike<number>,
): { maps: Float64Array[]; height: number; width: number } {
  const { height: H, width: Wd, channels: Cin } = conv.input;
  const { size: f, stride: s, filters: C, W, b } = conv;
  const v = axisGeometry(H, f, s, conv.padding);
  const h = axisGeometry(Wd, f, s, conv.padding);
  const maps = Array.from({ length: C }, () => new Float64Array(v.out * h.out));
  for (let o = 0; o < C; o++) {
    const map = maps[o];
    for (let oh = 0; oh < v.out; oh++) {
      for (let ow = 0; ow < h.out; ow++) {
        let z = b[o];
        for (let di = 0; di < f; di++) {
          const ih = oh * s + di - v.before;
          if (ih < 0 || ih >= H) continue;
          for (let dj = 0; dj < f; dj++) {
            const iw = ow * s + dj - h.before;
            if (iw < 0 || iw >= Wd) continue;
            for (let c = 0; c < Cin; c++)
              z += W[((di * f + dj) * Cin + c) * C + o] * x[(ih * Wd + iw) * Cin + c];
          }
        }
        map[oh * h.out + ow] = z;
      }
    }
    activate(conv.activation, map, map, map.length);
  }
  return { maps, height: v.out, width: h.out };
}

/**
 * Up to `count` test examples, the same for every model: the first of each class in class order,
 * then the second of each, and so on (digits: the first 0, 1, 2, 3; cats: the first non-cat and
 * cat, then the second of each). Returns column indices.
 */
export function exampleImages(test: Pick<Dataset, "y">, count: number): number[] {
  const byClass = new Map<number, number[]>();
  for (let j = 0; j < test.y.length; j++) {
    const c = test.y[j];
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c)!.push(j);
  }
  const classes = [...byClass.keys()].sort((a, z) => a - z);
  const out: number[] = [];
  for (let round = 0; out.length < count; round++) {
    const before = out.length;
    for (const c of classes) {
      const j = byClass.get(c)![round];
      if (j !== undefined && out.length < count) out.push(j);
    }
    if (out.length === before) break;
  }
  return out;
}
