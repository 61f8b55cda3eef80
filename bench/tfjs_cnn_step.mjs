// Times one training step of bench/cnn.mjs's CNN in TensorFlow.js, for that bench (run as a child
// process so each contender starts clean): conv(F1, f1) → ReLU → maxpool(p1) → conv(F2, f2) →
// ReLU → maxpool(p2) → flatten → one sigmoid output, `valid` padding, stride 1, full batch, f32,
// the mean sigmoid cross-entropy, gradient descent (forward, backward, v ← v − α·g). The same
// images and initial weights as reglab's contender (RandomState(DATA_SEED) pixels and labels,
// LayeredNetwork.initialize from RandomState(1)), NHWC as reglab's HWC.
//
// Backends: `wasm` (@tensorflow/tfjs-backend-wasm: XNNPACK, f32, SIMD; one thread in Node, which
// its threaded build does not support) and `cpu` (@tensorflow/tfjs-backend-cpu, JavaScript).
// tfjs-core alone registers no gradients (@tensorflow/tfjs, the union package, does), so the
// backward pass is written here in tf ops, running the kernels tf's gradients would. The wasm
// backend has no Conv2DBackpropFilter kernel (4.22.0): there the filter gradient, for stride 1 and
// `valid` padding dW[a, b, i, o] = Σ_{n,h,w} x[n, h+a, w+b, i]·dy[n, h, w, o], is itself a valid
// convolution of x as [C_in, H, W, m] with dy as an [H_o, W_o, m, C_out] filter (Conv2D on
// XNNPACK), transposed back; `cpu` runs Conv2DBackpropFilter. The input gradient is
// Conv2DBackpropInput (both have it), taken for the second convolution only (the first one's input
// is data). `--check` compares the gradients of both backends with reglab's (f64).
//
// Usage: node bench/tfjs_cnn_step.mjs BACKEND M H W C F1 f1 p1 F2 f2 p2 STEPS DATA_SEED [--check]
// Prints one JSON object: seconds per step (median of STEPS after one warm-up step), the cost of
// the first step, the backend and its threads.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfWasm from "@tensorflow/tfjs-backend-wasm";
import { LayeredNetwork, resolveLayers } from "../dist/core/layers/network.js";
import { parseLayerSpecs } from "../dist/core/layers/spec.js";
import { matrix } from "../dist/core/matrix.js";
import { RandomState } from "../dist/core/random.js";
import { resolveRunConfig } from "../dist/training/config.js";
import { LayerTrainer } from "../dist/training/layer-trainer.js";

const [backend, ...rest] = process.argv.slice(2).filter((a) => a !== "--check");
const check = process.argv.includes("--check");
const [m, H, W, C, F1, f1, p1, F2, f2, p2, steps, seed] = rest.map(Number);
const LEARNING_RATE = 0.01;

function median(a) {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** bench/cnn.mjs's images (m × H × W × C, NHWC) and labels, from the same generator. */
function data() {
  const rng = new RandomState(seed);
  const n = H * W * C;
  const x = Float32Array.from(rng.rand(m * n));
  const y = Float32Array.from(rng.rand(m), (v) => (v < 0.5 ? 1 : 0));
  return { x: tf.tensor4d(x, [m, H, W, C]), y: tf.tensor2d(y, [m, 1]) };
}

/** reglab's initial weights: conv kernels f × f × C_in × C_out (tf's HWIO), the dense row as n × 1. */
function weights() {
  const shape = { height: H, width: W, channels: C };
  const spec = `conv:${F1}:${f1},maxpool:${p1},conv:${F2}:${f2},maxpool:${p2}`;
  const net = LayeredNetwork.initialize(
    resolveLayers(parseLayerSpecs(spec), shape, 1),
    shape,
    new RandomState(1),
  );
  const [w1, w2, w3] = net.weights;
  const [b1, b2, b3] = net.biases;
  return [
    tf.variable(tf.tensor4d(Float32Array.from(w1), [f1, f1, C, F1])),
    tf.variable(tf.tensor1d(Float32Array.from(b1))),
    tf.variable(tf.tensor4d(Float32Array.from(w2), [f2, f2, F1, F2])),
    tf.variable(tf.tensor1d(Float32Array.from(b2))),
    tf.variable(tf.tensor2d(Float32Array.from(w3), [w3.length, 1])),
    tf.variable(tf.tensor1d(Float32Array.from(b3))),
  ];
}

/** ∂loss/∂W of a stride-1 `valid` convolution as a Conv2D (see the header). */
function filterGradientAsConv(x, dy) {
  const xT = tf.transpose(x, [3, 1, 2, 0]);
  const dyT = tf.transpose(dy, [1, 2, 0, 3]);
  return tf.transpose(tf.conv2d(xT, dyT, 1, "valid"), [1, 2, 0, 3]);
}

/** ∂loss/∂W by tf's own kernel (Conv2DBackpropFilter: the cpu backend has it). */
function filterGradientByKernel(x, dy, shape) {
  return tf
    .engine()
    .runKernel(
      "Conv2DBackpropFilter",
      { x, dy },
      { strides: [1, 1], pad: "valid", dataFormat: "NHWC", dimRoundingMode: undefined, filterShape: shape },
    );
}

/** MaxPool's gradient kernel (both backends have it). */
function maxPoolGradient(dy, input, output, size) {
  return tf
    .engine()
    .runKernel(
      "MaxPoolGrad",
      { dy, input, output },
      { filterSize: size, strides: size, pad: "valid", dimRoundingMode: undefined },
    );
}

/**
 * Forward and backward by hand, in tf ops (tfjs-core alone registers no gradients: those come
 * with the union package, @tensorflow/tfjs): the kernels tf's gradients would run, the filter
 * gradient as above. Returns the cost and the gradients in the variables' order.
 */
function gradients(vars, x, y, byKernel) {
  const [w1, b1, w2, b2, w3, b3] = vars;
  const filterGradient = byKernel ? filterGradientByKernel : filterGradientAsConv;
  const z1 = tf.add(tf.conv2d(x, w1, 1, "valid"), b1);
  const r1 = tf.relu(z1);
  const a1 = tf.maxPool(r1, p1, p1, "valid");
  const z2 = tf.add(tf.conv2d(a1, w2, 1, "valid"), b2);
  const r2 = tf.relu(z2);
  const a2 = tf.maxPool(r2, p2, p2, "valid");
  const flat = tf.reshape(a2, [m, -1]);
  const z3 = tf.add(tf.matMul(flat, w3), b3);
  const cost = tf.losses.sigmoidCrossEntropy(y, z3);
  // Mean sigmoid cross-entropy: ∂/∂z = (σ(z) − y)/m.
  const dz3 = tf.div(tf.sub(tf.sigmoid(z3), y), m);
  const dw3 = tf.matMul(flat, dz3, true, false);
  const db3 = tf.sum(dz3, 0);
  const da2 = tf.reshape(tf.matMul(dz3, w3, false, true), a2.shape);
  const dz2 = tf.mul(maxPoolGradient(da2, r2, a2, p2), tf.step(z2));
  const dw2 = filterGradient(a1, dz2, w2.shape);
  const db2 = tf.sum(dz2, [0, 1, 2]);
  const da1 = tf.conv2dTranspose(dz2, w2, a1.shape, 1, "valid");
  const dz1 = tf.mul(maxPoolGradient(da1, r1, a1, p1), tf.step(z1));
  const dw1 = filterGradient(x, dz1, w1.shape);
  const db1 = tf.sum(dz1, [0, 1, 2]);
  return { cost, grads: [dw1, db1, dw2, db2, dw3, db3] };
}

/** One step: the cost, gradients of every variable, the update v ← v − α·g. */
function step(vars, x, y, byKernel) {
  return tf.tidy(() => {
    const { cost, grads } = gradients(vars, x, y, byKernel);
    for (const [k, v] of vars.entries()) v.assign(tf.sub(v, tf.mul(grads[k], LEARNING_RATE)));
    return cost.dataSync()[0];
  });
}

async function use(name) {
  if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js backend ${name} did not start`);
  await tf.ready();
}

if (check) {
  // Each backend's gradients against reglab's at the same weights (f64, JavaScript kernels).
  const shape = { height: H, width: W, channels: C };
  const spec = `conv:${F1}:${f1},maxpool:${p1},conv:${F2}:${f2},maxpool:${p2}`;
  const net = LayeredNetwork.initialize(
    resolveLayers(parseLayerSpecs(spec), shape, 1),
    shape,
    new RandomState(1),
  );
  const rng = new RandomState(seed);
  const n = H * W * C;
  const r = rng.rand(m * n);
  const X = matrix(n, m);
  for (let j = 0; j < m; j++) for (let f = 0; f < n; f++) X.data[f * m + j] = r[j * n + f];
  const labels = Uint8Array.from(rng.rand(m), (v) => (v < 0.5 ? 1 : 0));
  const config = resolveRunConfig({ hidden: [], learningRate: LEARNING_RATE, seed: 1 });
  const trainer = new LayerTrainer(net, { X, y: labels, shape }, config, new RandomState(1), {
    kernels: "js",
  });
  trainer.computeGradients();
  const result = {};
  for (const name of ["cpu", "wasm"]) {
    await use(name);
    const { x, y } = data();
    const vars = weights();
    const grads = tf.tidy(() => gradients(vars, x, y, name !== "wasm").grads.map((g) => g.dataSync()));
    result[name] = trainer.gradients.map((g, k) => {
      let diff = 0;
      let scale = 0;
      for (let i = 0; i < g.length; i++) {
        diff = Math.max(diff, Math.abs(g[i] - grads[k][i]));
        scale = Math.max(scale, Math.abs(g[i]));
      }
      return diff / scale;
    });
  }
  console.log(JSON.stringify({ relativeDifferenceFromReglab: result }));
} else {
  await use(backend);
  const byKernel = backend !== "wasm";
  const { x, y } = data();
  const vars = weights();
  const cost = step(vars, x, y, byKernel);
  const times = [];
  for (let s = 0; s < steps; s++) {
    const t0 = performance.now();
    step(vars, x, y, byKernel);
    times.push((performance.now() - t0) / 1000);
  }
  const threads = backend === "wasm" ? tfWasm.getThreadsCount() : 1;
  console.log(JSON.stringify({ seconds: median(times), cost, backend, threads, version: tf.version_core }));
}
