// The course's cat model in reglab, all 2 500 iterations, against the numpy fixture
// (test/fixtures/cat-reference.json, from scripts/reference/cat_reference.py): prints load time,
// training time, the largest cost difference and both accuracies. The test suite runs the first
// 100 iterations only. Usage: npm run build && node bench/cat-reproduction.mjs [f64|f32|f32-fma]
// (the precision of the large products; f32 shows its accuracy cost against numpy's f64 costs).
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { accuracy } from "../dist/core/network.js";
import { loadDataFile } from "../dist/node/load-data.js";
import { enableRelaxedSimd } from "../dist/node/relaxed-simd.js";
import { fit } from "../dist/training/train.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const data = resolve(root, "../shared/datasets");
const ref = JSON.parse(readFileSync(resolve(root, "test/fixtures/cat-reference.json"), "utf8"));
const t0 = performance.now();
const bundle = await loadDataFile(resolve(data, "train_catvnoncat.h5"), {
  testPath: resolve(data, "test_catvnoncat.h5"),
});
const loadMs = performance.now() - t0;
const precision = process.argv[2] ?? "f64";
if (precision === "f32-fma") enableRelaxedSimd();
const result = await fit(
  bundle.train,
  {
    hidden: ref.layers.slice(1, -1),
    learningRate: ref.learningRate,
    iterations: ref.full.iterations,
    costEvery: ref.full.costEvery,
    seed: ref.seed,
    init: "reference",
  },
  { precision },
);
const costs = result.history.costs;
const gaps = costs.map((c, k) => Math.abs(c - ref.full.costs[k]) / ref.full.costs[k]);
const worst = Math.max(...gaps);
const at100 = ref.full.costs.findIndex((_, k) => k * ref.full.costEvery >= 100);
console.log(`precision ${precision}`);
console.log(`load (train + test .h5): ${loadMs.toFixed(0)} ms`);
console.log(
  `training: ${result.seconds.toFixed(1)} s for ${ref.full.iterations} iterations (numpy: ${ref.numpySeconds} s)`,
);
console.log(
  `costs: ${costs[0]} → ${costs.at(-1)}; largest relative difference from numpy ${worst.toExponential(2)}` +
    ` (${Math.max(...gaps.slice(0, at100 + 1)).toExponential(2)} up to iteration 100; final cost's` +
    ` ${gaps.at(-1).toExponential(2)})`,
);
console.log(
  `train accuracy ${accuracy(result.network, bundle.train)} (numpy ${ref.full.trainAccuracy}), ` +
    `test ${accuracy(result.network, bundle.test)} (numpy ${ref.full.testAccuracy})`,
);
