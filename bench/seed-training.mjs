// Times the seed's 30 000-iteration runs on football.mat for each model, alternating reglab
// (in this process) with the numpy reference (scripts/reference/numpy_reference.py, when python3
// with numpy and scipy is present), and prints per-model times and the median speed-up.
// Usage: npm run bench [-- --rounds 3 --data ../shared/datasets/football.mat]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { accuracy } from "../dist/core/network.js";
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

// numpy's OpenBLAS is slowed by the machine's OPENBLAS_CORETYPE/L2_SIZE overrides: unset both
// for its run, so we compare against numpy at its best.
const numpyEnv = { ...process.env };
delete numpyEnv.OPENBLAS_CORETYPE;
delete numpyEnv.OPENBLAS_L2_SIZE;
const script = resolve(root, "scripts/reference/numpy_reference.py");
const probe = spawnSync("python3", ["-c", "import numpy, scipy"], { env: numpyEnv });
const haveNumpy = probe.status === 0;
if (!haveNumpy) console.log("python3 with numpy and scipy not found: timing reglab only.");

function numpySeconds(k) {
  const r = spawnSync("python3", [script, "bench", values.data, String(k)], {
    env: numpyEnv,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`numpy reference failed: ${r.stderr}`);
  return JSON.parse(r.stdout)[0].seconds;
}

async function reglabSeconds(model) {
  const r = await fit(data.train, model.overrides, { now: () => performance.now() });
  return { seconds: r.seconds, train: accuracy(r.network, data.train) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

console.log(
  `Seed's 30 000-iteration runs on ${values.data}, ${rounds} rounds, reglab and numpy alternated\n`,
);
const ratios = [];
const rows = [];
for (const [k, model] of models.entries()) {
  const ours = [];
  const theirs = [];
  for (let r = 0; r < rounds; r++) {
    ours.push((await reglabSeconds(model)).seconds);
    if (haveNumpy) theirs.push(numpySeconds(k));
  }
  const row = { model: model.name, reglab: median(ours), numpy: haveNumpy ? median(theirs) : null };
  if (haveNumpy) {
    // Ratio per round (same conditions), then the median.
    for (let r = 0; r < rounds; r++) ratios.push(theirs[r] / ours[r]);
    row.ratio = median(theirs.map((t, r) => t / ours[r]));
  }
  rows.push(row);
  console.log(
    `${model.name.padEnd(28)} reglab ${row.reglab.toFixed(2)} s` +
      (haveNumpy ? `   numpy ${row.numpy.toFixed(2)} s   numpy/reglab ${row.ratio.toFixed(2)}×` : ""),
  );
}
const mem = process.memoryUsage();
console.log(
  `\nreglab heap used ${(mem.heapUsed / 2 ** 20).toFixed(1)} MiB, rss ${(mem.rss / 2 ** 20).toFixed(1)} MiB`,
);
if (haveNumpy)
  console.log(`median speed-up over numpy across models and rounds: ${median(ratios).toFixed(2)}×`);
