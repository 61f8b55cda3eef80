// `node bench/cnn.mjs [--rounds 3 --steps 3 --threads 1,2]` (after `npm run build`): one training
// step of the cats CNN, conv:8:5,maxpool:4,conv:16:3,maxpool:2 and one sigmoid output, on
// 209 images of 64 × 64 × 3 (the cats' size; uniform random pixels and labels from RandomState(1),
// the same numbers on both sides), full batch, gradient descent, f64. reglab's layered trainer on
// the JavaScript kernels (the reference) and on the WebAssembly kernels per thread count, against
// numpy with im2col (scripts/reference/numpy_cnn_bench.py) on one BLAS thread and as installed.
// Rounds alternate the contenders; each reports the median step of its own steps; the table gives
// medians over rounds. The machine may be shared: read ratios, not single times.
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
    js: { type: "boolean", default: true },
  },
});
const rounds = Number(values.rounds);
const steps = Number(values.steps);
const threadCounts = values.threads.split(",").map(Number);
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
function reglab(kernels, threads) {
  const config = resolveRunConfig({ hidden: [], learningRate: 0.01, iterations: steps + 1, seed: 1 });
  const rng = new RandomState(1);
  const layers = resolveLayers(parseLayerSpecs(SPEC), DATA.shape, 1);
  const net = LayeredNetwork.initialize(layers, DATA.shape, rng);
  const trainer = new LayerTrainer(net, DATA, config, rng, {
    kernels,
    threads,
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

function numpy(oneThread) {
  const env = { ...process.env };
  if (oneThread)
    Object.assign(env, { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" });
  else for (const k of ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"]) delete env[k];
  const args = [m, H, W, C, 8, 5, 4, 16, 3, 2, steps, SEED].map(String);
  const r = spawnSync("python3", [resolve(here, "../scripts/reference/numpy_cnn_bench.py"), ...args], {
    env,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`numpy bench failed: ${r.stderr}`);
  return JSON.parse(r.stdout).seconds;
}

const contenders = [
  ...(values.js ? [{ name: "reglab f64, JavaScript kernels (reference)", run: () => reglab("js", 1) }] : []),
  ...threadCounts.map((t) => ({
    name: `reglab f64, WebAssembly, ${t} thread${t > 1 ? "s" : ""}`,
    run: () => reglab("wasm", t),
  })),
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
const base = median(results[contenders.length - 1]);
const one = median(results[contenders.length - 2]);
for (const [i, c] of contenders.entries()) {
  const s = median(results[i]);
  console.log(
    `${c.name.padEnd(46)} ${s.toFixed(3)} s/step   ${(one / s).toFixed(2)}× numpy 1 thread   ${(base / s).toFixed(2)}× numpy as installed`,
  );
}
