/**
 * Monte Carlo dropout for a layered network: T passes with its dropout and spatial-dropout layers
 * kept on, as core/mc-dropout.ts does for the dense network. One pass is ONE thinned network: each
 * dropout layer draws one mask for the pass — rand(values) < keepProb for dropout, rand(channels)
 * < keepProb for spatial dropout (whole feature maps), layer by layer in order, kept values scaled
 * by 1/keepProb — shared by every point of the pass, so a pass is a coherent alternative model.
 * (Training draws a mask per example instead; per point the two give the same distribution.)
 */
import { checkNetworkInput } from "../data-error.js";
import { drawMask } from "../dropout.js";
import type { Matrix } from "../matrix.js";
import type { McDropoutOptions, Passes } from "../mc-dropout.js";
import { type Pace, runSteps, runStepsPaced, type Steps } from "../pace.js";
import { RandomState } from "../random.js";
import type { LayeredNetwork } from "./network.js";
import { shapeSize } from "./spec.js";

/** Examples per forward pass (bounds the buffers, not the result). */
const BATCH = 256;

export type LayeredMcOptions = Omit<McDropoutOptions, "keepProb">;

/** Whether MC dropout applies: some dropout or spatial-dropout layer keeps less than everything. */
export function hasDropoutLayers(net: LayeredNetwork): boolean {
  return net.layers.some((s) => (s.type === "dropout" || s.type === "spatial-dropout") && s.keepProb < 1);
}

/**
 * T MC-dropout passes of a layered network over the columns of X (class probabilities, pass-major).
 * Without dropout layers every pass is the network's own prediction (spread 0): callers that want
 * an uncertainty refuse such a network first (hasDropoutLayers).
 */
export function layeredMcDropoutPasses(
  net: LayeredNetwork,
  X: Matrix,
  options: LayeredMcOptions = {},
): Passes {
  return runSteps(layeredMcSteps(net, X, options));
}

/** The same passes, yielding to the caller's event loop between them and stopping when asked. */
export function layeredMcDropoutPassesPaced(
  net: LayeredNetwork,
  X: Matrix,
  options: LayeredMcOptions,
  pace: Pace,
): Promise<Passes> {
  const samples = options.samples ?? 100;
  return runStepsPaced(
    layeredMcSteps(net, X, options),
    pace,
    (t) => `interrupted at Monte Carlo dropout pass ${t} of ${samples}`,
  );
}

function* layeredMcSteps(net: LayeredNetwork, X: Matrix, options: LayeredMcOptions): Steps<Passes> {
  checkNetworkInput(net.inputSize, X, "layeredMcDropoutPasses");
  const samples = options.samples ?? 100;
  if (!Number.isInteger(samples) || samples < 2)
    throw new RangeError(`the number of passes must be a whole number ≥ 2, got ${samples}`);
  const rng = options.rng ?? new RandomState(options.seed ?? 0);
  const m = X.cols;
  const n = net.inputSize;
  const K = net.outputs;
  const B = Math.min(BATCH, Math.max(1, m));
  const { kernels: k, layers, xb } = net.inferenceLayers(B);
  // Per dropout layer: its pass mask (per value, or per channel when spatial) and an output buffer.
  const drops = net.layers.map((s, i) => {
    if (s.type !== "dropout" && s.type !== "spatial-dropout") return undefined;
    const shape = net.shapes[i];
    const spatial = s.type === "spatial-dropout";
    return {
      keepProb: s.keepProb,
      spatial,
      channels: shape.channels,
      mask: new Float64Array(spatial ? shape.channels : shapeSize(shape)),
      out: new Float64Array(shapeSize(shape) * B),
    };
  });
  const unused = new RandomState(0);
  const per = K * m;
  const values = new Float64Array(samples * per);
  const logits = new Float64Array(per);
  for (let t = 0; t < samples; t++) {
    for (const d of drops) if (d) drawMask(rng, d.mask, d.mask.length, d.keepProb);
    for (let j0 = 0; j0 < m; j0 += B) {
      const mb = Math.min(B, m - j0);
      for (let f = 0; f < n; f++) for (let c = 0; c < mb; c++) xb[f * mb + c] = X.data[f * m + j0 + c];
      let a: Float64Array = xb;
      layers.forEach((layer, i) => {
        const d = drops[i];
        if (!d) {
          a = layer.forward(a, mb, false, unused);
          return;
        }
        // Value v of the layer sits at v·mb + c (HWC order, so its channel is v mod C).
        const size = d.out.length / B;
        for (let v = 0; v < size; v++) {
          const keep = d.mask[d.spatial ? v % d.channels : v];
          for (let c = 0; c < mb; c++) d.out[v * mb + c] = a[v * mb + c] * keep;
        }
        a = d.out;
      });
      for (let u = 0; u < K; u++) for (let c = 0; c < mb; c++) logits[u * m + j0 + c] = a[u * mb + c];
    }
    values.set(net.head.probabilities(logits, m, K), t * per);
    yield;
  }
  k.close?.();
  return { method: "mc-dropout", samples, points: m, classes: K, values };
}
