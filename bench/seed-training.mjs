// Times the article's 30 000-iteration runs on football.mat for each model, alternating reglab
// (in this process, on its WebAssembly SIMD kernels and on its JavaScript kernels) with the numpy
// reference (scripts/reference/numpy_reference.py, when python3 with numpy and scipy is present),
// and prints per-model times and the median speed-ups.
//
// numpy runs two loops: the article's own (the cost every iteration, fixed masks reseeded and redrawn
// every iteration) and a lean one with reglab's shortcuts (the cost only when recorded, fixed
// masks drawn once), which computes the same costs and weights; the lean loop is the like-for-like
// baseline. Some machines set OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE, which slow a current numpy, so
// each loop runs as the machine has it and, when they are set, with both unset: the faster counts.
// Usage: npm run bench [-- --rounds 3 --data ../shared/datasets/football.mat --fresh]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { wasmKernelsAvailable } from "../dist/core/wasm-kernels.js";
import { SEED_MODELS } from "../dist/experiments/compare.js";
import { loadDataFile } from "../dist/node/load-data.js";
import { fit } from "../dist/training/train.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    data: { type: "string", default: resolve(root, "../shared/datasets/football.mat") },
    fresh: { type: "boolean", default: false },
  },
});
const rounds = Number(values.rounds);
if (!existsSync(values.data)) {
  console.error(`bench: ${values.data} not found (pass --data FILE)`);
  process.exit(2);
}
const data = await loadDataFile(values.data);
// The seed's three models; --fresh adds real dropout.
const models = SEED_MODELS.slice(0, values.fresh ? 4 : 3);

const bestEnv = { ...process.env };
delete bestEnv.OPENBLAS_CORETYPE;
delete bestEnv.OPENBLAS_L2_SIZE;
const overridden = "OPENBLAS_CORETYPE" in process.env || "OPENBLAS_L2_SIZE" in process.env;
const script = resolve(root, "scripts/reference/numpy_reference.py");
const haveNumpy = spawnSync("python3", ["-c", "import numpy, scipy"]).status === 0;

/** Seconds of numpy's loop (`bench` or `bench-lean`) for model k, the faster OpenBLAS setting. */
function numpySeconds(mode, k) {
  const run = (env) => {
    const r = spawnSync("python3", [script, mode, values.data, String(k)], { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`numpy reference failed: ${r.stderr}`);
    return JSON.parse(r.stdout)[0].seconds;
  };
  const asSet = run(process.env);
  return overridden ? Math.min(asSet, run(bestEnv)) : asSet;
}

async function reglabSeconds(model, kernels) {
  return (await fit(data.train, model.overrides, { kernels, now: () => performance.now() })).seconds;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const s2 = (t) => `${t.toFixed(2)} s`;
const x2 = (r) => `${r.toFixed(2)}×`;

console.log(
  `The article's 30 000-iteration runs on ${values.data}, ${rounds} rounds, reglab and numpy alternated`,
);
if (!wasmKernelsAvailable())
  console.log("No WebAssembly SIMD here: both reglab columns run the JavaScript kernels.");
if (!haveNumpy) console.log("python3 with numpy and scipy not found: timing reglab only.");
else if (overridden)
  console.log("numpy: the faster of OpenBLAS as this machine sets it and without its overrides.");
console.log("");

const overLean = [];
const overSeed = [];
const overJs = [];
for (const [k, model] of models.entries()) {
  const ours = [];
  const js = [];
  const lean = [];
  const seedLoop = [];
  for (let r = 0; r < rounds; r++) {
    ours.push(await reglabSeconds(model, "wasm"));
    js.push(await reglabSeconds(model, "js"));
    overJs.push(js[r] / ours[r]);
    if (!haveNumpy) continue;
    lean.push(numpySeconds("bench-lean", k));
    seedLoop.push(numpySeconds("bench", k));
    // Ratios per round (same conditions), then medians.
    overLean.push(lean[r] / ours[r]);
    overSeed.push(seedLoop[r] / ours[r]);
  }
  let line = `${model.name.padEnd(26)} reglab ${s2(median(ours))} (JS kernels ${s2(median(js))})`;
  if (haveNumpy) {
    const ratio = (base) => median(base.map((t, r) => t / ours[r]));
    line += `   numpy lean ${s2(median(lean))}, article's loop ${s2(median(seedLoop))}`;
    line += `   speed-up ${x2(ratio(lean))} / ${x2(ratio(seedLoop))}`;
  }
  console.log(line);
}
const mem = process.memoryUsage();
console.log(
  `\nreglab heap used ${(mem.heapUsed / 2 ** 20).toFixed(1)} MiB, rss ${(mem.rss / 2 ** 20).toFixed(1)} MiB`,
);
console.log(`median speed-up of the WebAssembly kernels over the JavaScript ones: ${x2(median(overJs))}`);
if (haveNumpy) {
  console.log(
    `median speed-up over numpy's lean loop (like for like), models × rounds: ${x2(median(overLean))}`,
  );
  console.log(
    `median speed-up over numpy running the article's loop:                  ${x2(median(overSeed))}`,
  );
}
