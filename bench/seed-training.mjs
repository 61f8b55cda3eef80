// Times the seed's 30 000-iteration runs on football.mat for each model, alternating reglab
// (in this process, on its WebAssembly SIMD kernels and on its JavaScript kernels) with the numpy
// reference (scripts/reference/numpy_reference.py, when python3 with numpy and scipy is present),
// and prints per-model times and the median speed-ups.
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

// Some machines set OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE, which slow a current numpy. numpy runs
// as the machine has it and, when they are set, once more with both unset (numpy at its best);
// the speed-up is taken against the faster of the two.
const bestEnv = { ...process.env };
delete bestEnv.OPENBLAS_CORETYPE;
delete bestEnv.OPENBLAS_L2_SIZE;
const overridden = "OPENBLAS_CORETYPE" in process.env || "OPENBLAS_L2_SIZE" in process.env;
const script = resolve(root, "scripts/reference/numpy_reference.py");
const haveNumpy = spawnSync("python3", ["-c", "import numpy, scipy"]).status === 0;
if (!haveNumpy) console.log("python3 with numpy and scipy not found: timing reglab only.");

function numpySeconds(k, env) {
  const r = spawnSync("python3", [script, "bench", values.data, String(k)], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`numpy reference failed: ${r.stderr}`);
  return JSON.parse(r.stdout)[0].seconds;
}

async function reglabSeconds(model, kernels) {
  return (await fit(data.train, model.overrides, { kernels, now: () => performance.now() })).seconds;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

console.log(`Seed's 30 000-iteration runs on ${values.data}, ${rounds} rounds, reglab and numpy alternated`);
if (!wasmKernelsAvailable())
  console.log("No WebAssembly SIMD here: both reglab columns run the JavaScript kernels.");
console.log("");
const ratios = [];
const overJs = [];
for (const [k, model] of models.entries()) {
  const ours = [];
  const js = [];
  const asIs = [];
  const best = [];
  for (let r = 0; r < rounds; r++) {
    ours.push(await reglabSeconds(model, "wasm"));
    js.push(await reglabSeconds(model, "js"));
    overJs.push(js[r] / ours[r]);
    if (!haveNumpy) continue;
    const plain = numpySeconds(k, process.env);
    asIs.push(plain);
    best.push(overridden ? Math.min(plain, numpySeconds(k, bestEnv)) : plain);
  }
  let line = `${model.name.padEnd(28)} reglab ${median(ours).toFixed(2)} s (JavaScript kernels ${median(js).toFixed(2)} s)`;
  if (haveNumpy) {
    // Ratio per round (same conditions), then the median.
    for (let r = 0; r < rounds; r++) ratios.push(best[r] / ours[r]);
    line += `   numpy ${median(asIs).toFixed(2)} s`;
    if (overridden) line += ` (${median(best).toFixed(2)} s without the OpenBLAS overrides)`;
    line += `   speed-up ${median(best.map((t, r) => t / ours[r])).toFixed(2)}×`;
  }
  console.log(line);
}
const mem = process.memoryUsage();
console.log(
  `\nreglab heap used ${(mem.heapUsed / 2 ** 20).toFixed(1)} MiB, rss ${(mem.rss / 2 ** 20).toFixed(1)} MiB`,
);
console.log(
  `median speed-up of the WebAssembly kernels over the JavaScript ones: ${median(overJs).toFixed(2)}×`,
);
if (haveNumpy)
  console.log(
    `median speed-up over numpy at its best, across models and rounds: ${median(ratios).toFixed(2)}×`,
  );
