#!/usr/bin/env node
/**
 * Benchmark (not a test): the same sweep on 1 worker thread and on 2, alternated for a few rounds,
 * and the speed-up (median of the per-round ratios). The sweep is `reglab sweep`'s default over
 * λ ∈ {0, 0.01, 0.03, 0.1, 0.3, 0.7, 1, 3, 10} with 5 folds and 1 seed (45 runs + the final one)
 * on football.mat (or the built-in stand-in when the file is absent).
 *
 *   npm run build && node bench/sweep-parallel.mjs [--rounds 3] [--iterations 10000] [--workers 2]
 *
 * Results must not depend on the worker count: the bench checks that both give the same table.
 * "cores busy" is the process's CPU time over wall time: if it stays well below the worker count,
 * other programs are sharing the cores and the ratio understates the pool.
 */
import { existsSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { generateDataset } from "../dist/data/generators.js";
import { runSweep } from "../dist/experiments/sweep.js";
import { loadDataFile } from "../dist/node/load-data.js";
import { workerRunner } from "../dist/node/sweep-pool.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    iterations: { type: "string", default: "10000" },
    workers: { type: "string", default: "2" },
    data: { type: "string", default: resolve(import.meta.dirname, "../../shared/datasets/football.mat") },
  },
});
const rounds = Number(values.rounds);
const iterations = Number(values.iterations);
const many = Number(values.workers);
const bundle = existsSync(values.data) ? await loadDataFile(values.data) : generateDataset("football");
const spec = {
  base: { iterations },
  lambdas: [0, 0.01, 0.03, 0.1, 0.3, 0.7, 1, 3, 10],
  folds: 5,
  seeds: [3],
};

/**
 * Wall seconds, and the CPU seconds the process used (all threads): CPU/wall is the number of
 * cores the run actually got — below the worker count when other programs share the machine.
 */
async function timed(workers) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runSweep(bundle, spec, { runner: workerRunner(bundle, { workers }) });
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { seconds, cores: (c.user + c.system) / 1e6 / seconds, result: r };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(
  `sweep: ${bundle.source}, ${spec.lambdas.length} λ × ${spec.folds} folds × ${spec.seeds.length} seed = ` +
    `${spec.lambdas.length * spec.folds * spec.seeds.length} runs + 1 final, ${iterations} iterations each; ` +
    `${availableParallelism()} cores available, load average ${loadavg()[0].toFixed(2)}`,
);
const ratios = [];
const one = [];
const two = [];
let reference;
for (let k = 0; k < rounds; k++) {
  // Alternate the order so drift in machine load hits both sides alike.
  const order = k % 2 === 0 ? [1, many] : [many, 1];
  const t = {};
  const cores = {};
  for (const w of order) {
    const { seconds, cores: got, result } = await timed(w);
    t[w] = seconds;
    cores[w] = got;
    const table = JSON.stringify(result.points.map((p) => [p.devAccuracy, p.trainAccuracy, p.devCost]));
    reference ??= table;
    if (table !== reference) throw new Error(`the results with ${w} workers differ from the first run`);
  }
  one.push(t[1]);
  two.push(t[many]);
  ratios.push(t[1] / t[many]);
  console.log(
    `round ${k + 1}: 1 worker ${t[1].toFixed(2)} s (${cores[1].toFixed(2)} cores busy), ` +
      `${many} workers ${t[many].toFixed(2)} s (${cores[many].toFixed(2)} cores busy), ratio ${(t[1] / t[many]).toFixed(2)}`,
  );
}
console.log(
  `median: 1 worker ${median(one).toFixed(2)} s, ${many} workers ${median(two).toFixed(2)} s; ` +
    `speed-up ${median(ratios).toFixed(2)}× (median of ${rounds} rounds; identical results)`,
);
// The fastest run of each side is the one least disturbed by other programs.
console.log(
  `best: 1 worker ${Math.min(...one).toFixed(2)} s, ${many} workers ${Math.min(...two).toFixed(2)} s; ` +
    `speed-up ${(Math.min(...one) / Math.min(...two)).toFixed(2)}× (fastest of each; load average at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")})`,
);
