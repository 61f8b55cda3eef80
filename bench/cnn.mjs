// `node bench/cnn.mjs [--rounds 3 --steps 3 --threads 1,2 --precisions f64,f32 --skip-js --tfjs-cpu]`
// (after `npm run build`): one training step of the cats CNN,
// conv:8:5,maxpool:4,conv:16:3,maxpool:2 and one sigmoid output, on 209 images of 64 × 64 × 3 (the
// cats' size; uniform random pixels and labels from RandomState(1), the same numbers on every
// side), full batch, gradient descent. reglab's layered trainer on the JavaScript kernels (the f64
// reference) and on the WebAssembly kernels per precision and thread count, against numpy with
// im2col (scripts/reference/numpy_cnn_bench.py, f64) on one BLAS thread and as installed, and
// TensorFlow.js (bench/tfjs_cnn_step.mjs: f32, @tensorflow/tfjs-backend-wasm's XNNPACK; with
// --tfjs-cpu also @tensorflow/tfjs-backend-cpu). Rounds alternate the contenders; each reports the
// median step of its own steps; the table gives medians over rounds. The machine may be shared:
// read ratios, not single times.
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { LayeredNetwork, resolveLayers } from "../dist/core/layers/network.js";
import { parseLayerSpecs } from "../dist/core/layers/spec.js";
import { matrix } from "../dist/core/matrix.js";
import { RandomState } from "../dist/core/random.js";
import { nodeHelperSpawner } from "../dist/node/kernel-threads.js";
import { resolveRunConfig } from "../dist/training/config.js";
import { LayerTrainer } from "../dist/training/layer-trainer.js";

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    steps: { type: "string", default: "3" },
    threads: { type: "string", default: "1,2" },
    precisions: { type: "string", default: "f64,f32" },
    "skip-js": { type: "boolean", default: false },
    "tfjs-cpu": { type: "boolean", default: false },
  },
});
const rounds = Number(values.rounds);
const steps = Number(values.steps);
const threadCounts = values.threads.split(",").map(Number);
const precisions = values.precisions.split(",");
const [m, H, W, C] = [209, 64, 64, 3];
const SPEC = "conv:8:5,maxpool:4,conv:16:3,maxpool:2";
const SEED = 1;

function data() {
  const rng = new RandomState(SEED);
  const n = H * W * C;
  const r = rng.rand(m * n);
  const X = matrix(n, m);
  for (let j = 0; j < m; j++) for (let f = 0; f < n; f++) X.data[f * m + j] = r[j * n + f];
  const y = Uint8Array.from(rng.rand(m), (v) => (v < 0.5 ? 1 : 0));
  return { X, y, shape: { height: H, width: W, channels: C } };
}

const DATA = data();

function median(a) {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Seconds per reglab step (median of `steps` after a warm-up step). */
function reglab(kernels, threads, precision = "f64") {
  const config = resolveRunConfig({ hidden: [], learningRate: 0.01, iterations: steps + 1, seed: 1 });
  const rng = new RandomState(1);
  const layers = resolveLayers(parseLayerSpecs(SPEC), DATA.shape, 1);
  const net = LayeredNetwork.initialize(layers, DATA.shape, rng);
  const trainer = new LayerTrainer(net, DATA, config, rng, {
    kernels,
    threads,
    precision,
    ...(threads > 1 ? { spawnHelper: nodeHelperSpawner } : {}),
  });
  trainer.step(true);
  const times = [];
  for (let s = 0; s < steps; s++) {
    const t0 = performance.now();
    trainer.step(true);
    times.push((performance.now() - t0) / 1000);
  }
  trainer.kernels.close?.();
  return median(times);
}

function child(args, env = process.env) {
  const r = spawnSync(args[0], args.slice(1), { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1));
}

const SHAPE_ARGS = [m, H, W, C, 8, 5, 4, 16, 3, 2, steps, SEED].map(String);

function numpy(oneThread) {
  const env = { ...process.env };
  if (oneThread)
    Object.assign(env, { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" });
  else for (const k of ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"]) delete env[k];
  return child(["python3", resolve(here, "../scripts/reference/numpy_cnn_bench.py"), ...SHAPE_ARGS], env)
    .seconds;
}

let tfjsThreads;
function tfjs(backend) {
  const r = child([process.execPath, resolve(here, "tfjs_cnn_step.mjs"), backend, ...SHAPE_ARGS]);
  if (backend === "wasm") tfjsThreads = r.threads;
  return r.seconds;
}

const thread = (t) => `${t} thread${t > 1 ? "s" : ""}`;
const contenders = [
  ...(values["skip-js"]
    ? []
    : [{ name: "reglab f64, JavaScript kernels (reference)", run: () => reglab("js", 1) }]),
  ...precisions.flatMap((p) =>
    threadCounts.map((t) => ({
      name: `reglab ${p}, WebAssembly, ${thread(t)}`,
      run: () => reglab("wasm", t, p),
    })),
  ),
  ...(values["tfjs-cpu"] ? [{ name: "TensorFlow.js cpu backend (f32)", run: () => tfjs("cpu") }] : []),
  { name: "TensorFlow.js wasm (XNNPACK, f32)", run: () => tfjs("wasm") },
  { name: "numpy im2col, 1 BLAS thread", run: () => numpy(true) },
  { name: "numpy im2col, as installed", run: () => numpy(false) },
];

console.log(
  `CNN ${SPEC} + sigmoid on ${m} × ${H}×${W}×${C}, one full-batch step, ${rounds} rounds × ${steps} steps`,
);
const results = contenders.map(() => []);
for (let r = 0; r < rounds; r++) {
  // Alternate: each round runs the contenders in turn, the order reversed every other round.
  const order = contenders.map((_, i) => i);
  if (r % 2 === 1) order.reverse();
  for (const i of order) results[i].push(contenders[i].run());
}
const n = contenders.length;
const base = median(results[n - 1]);
const one = median(results[n - 2]);
const tf = median(results[n - 3]);
console.log(`(TensorFlow.js wasm ran on ${thread(tfjsThreads)}: its Node build has no threads)`);
for (const [i, c] of contenders.entries()) {
  const s = median(results[i]);
  console.log(
    `${c.name.padEnd(44)} ${s.toFixed(3)} s/step   ${(tf / s).toFixed(2)}× tfjs wasm   ${(one / s).toFixed(2)}× numpy 1 thread   ${(base / s).toFixed(2)}× numpy as installed`,
  );
}
