// Times reglab against numpy on the image-scale workloads of issue 15: wide data on the article's
// network, square hidden layers of 64, 256 and 1024 units, and the cat model [12288,20,7,5,1].
// Each workload trains the same network on the same numbers on both sides: X = rand(n_x, m) and
// y = rand(m) < 0.5 from RandomState(2026) (numpy-compatible, so the data is bit-identical), and
// the weights from the reference initialization with seed 3. The cat model runs on random data
// of the cat set's shape (12 288 × 209): timing depends on the shape, not on the pixels.
//
// numpy (scripts/reference/numpy_image_bench.py, its lean loop) runs twice per round: as
// installed (OpenBLAS on every core) and with OPENBLAS_NUM_THREADS=1; OPENBLAS_CORETYPE and
// OPENBLAS_L2_SIZE, which some machines set and which slow a current numpy, are unset in the
// numpy commands only. reglab and numpy alternate within each round; each ratio is taken per
// round (numpy's time / reglab's, so > 1 means reglab is faster) and the median is printed.
// On a shared machine wall-clock times swing with the load; CPU seconds (reglab's process, numpy's
// with one thread) swing less, so a CPU-time ratio against numpy on one thread is printed too.
// GFLOP/s counts real work: 2·m·n_l·n_{l−1} per iteration for each forward product, each dW and
// each dA below the top layer (the input layer needs no dA).
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { RandomState } from "../dist/core/random.js";
import { fit } from "../dist/training/train.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const script = resolve(root, "scripts/reference/numpy_image_bench.py");
const DATA_SEED = 2026;

/** name → sizes (input, hidden…, output), examples, iterations, learning rate. */
export const WORKLOADS = {
  wide: { sizes: [2, 20, 3, 1], m: 200_000, iterations: 30, learningRate: 0.1 },
  h64: { sizes: [2, 64, 64, 1], m: 2000, iterations: 200, learningRate: 0.1 },
  h256: { sizes: [2, 256, 256, 1], m: 2000, iterations: 20, learningRate: 0.1 },
  h1024: { sizes: [2, 1024, 1024, 1], m: 2000, iterations: 2, learningRate: 0.1 },
  cats: { sizes: [12288, 20, 7, 5, 1], m: 209, iterations: 100, learningRate: 0.0075 },
};

/** Floating-point operations of one iteration's products (see the header). */
export function flopsPerIteration(sizes, m) {
  let flops = 0;
  for (let l = 1; l < sizes.length; l++) {
    const product = 2 * m * sizes[l] * sizes[l - 1];
    flops += l >= 2 ? 3 * product : 2 * product;
  }
  return flops;
}

function dataset(n, m) {
  const rng = new RandomState(DATA_SEED);
  const X = rng.rand(n * m);
  const u = rng.rand(m);
  const y = new Uint8Array(m);
  for (let j = 0; j < m; j++) y[j] = u[j] < 0.5 ? 1 : 0;
  return { X: { rows: n, cols: m, data: X }, y };
}

const numpyEnv = (oneThread) => {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (oneThread) env.OPENBLAS_NUM_THREADS = "1";
  else delete env.OPENBLAS_NUM_THREADS;
  return env;
};

function numpyRun(w, oneThread) {
  const spec = `${w.sizes[0]}:${w.sizes.slice(1, -1).join(",")}`;
  const args = [script, spec, String(w.m), String(w.iterations), String(w.learningRate), String(DATA_SEED)];
  const r = spawnSync("python3", args, { env: numpyEnv(oneThread), encoding: "utf8" });
  if (r.status !== 0) throw new Error(`numpy bench failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

/**
 * Runs the named workloads for `rounds` rounds and prints one line per workload, precision and
 * thread count; `options` are passed to fit (kernels, spawnHelper), `threadCounts` and
 * `precisions` ("f64", "f32", "f32-fma") are what to time (each every round). Returns the medians.
 */
export async function benchImageScale(names, rounds, options = {}, threadCounts = [1], precisions = ["f64"]) {
  const variants = precisions.flatMap((precision) => threadCounts.map((threads) => ({ precision, threads })));
  const haveNumpy = spawnSync("python3", ["-c", "import numpy"]).status === 0;
  if (!haveNumpy) console.log("python3 with numpy not found: timing reglab only.");
  const rows = [];
  let blasShown = false;
  for (const name of names) {
    const w = WORKLOADS[name];
    const data = dataset(w.sizes[0], w.m);
    const gflop = (flopsPerIteration(w.sizes, w.m) * w.iterations) / 1e9;
    const config = {
      hidden: w.sizes.slice(1, -1),
      iterations: w.iterations,
      learningRate: w.learningRate,
      costEvery: Math.max(1, Math.floor(w.iterations / 4)),
    };
    const ours = variants.map(() => []);
    const oursCpu = variants.map(() => []);
    const all = [];
    const one = [];
    const oneCpu = [];
    // Per variant: the largest gap to numpy's costs; per precision: whether thread counts agree.
    const costGap = variants.map(() => 0);
    const sameForThreads = new Map(precisions.map((p) => [p, true]));
    for (let r = 0; r < rounds; r++) {
      const costs = [];
      const byPrecision = new Map();
      for (const [k, { precision, threads }] of variants.entries()) {
        const cpu0 = process.cpuUsage();
        const fitted = await fit(data, config, {
          ...options,
          threads,
          precision,
          now: () => performance.now(),
        });
        const cpu = process.cpuUsage(cpu0);
        ours[k].push(fitted.seconds);
        oursCpu[k].push((cpu.user + cpu.system) / 1e6);
        const seen = byPrecision.get(precision);
        if (seen && fitted.history.costs.some((c, i) => !Object.is(c, seen[i])))
          sameForThreads.set(precision, false);
        byPrecision.set(precision, fitted.history.costs);
        costs[k] = fitted.history.costs;
      }
      if (!haveNumpy) continue;
      const a = numpyRun(w, false);
      const b = numpyRun(w, true);
      all.push(a.seconds);
      one.push(b.seconds);
      oneCpu.push(b.cpuSeconds);
      for (const k of variants.keys())
        for (const [i, c] of a.costs.entries()) costGap[k] = Math.max(costGap[k], Math.abs(c - costs[k][i]));
      if (!blasShown) {
        console.log(`numpy BLAS: ${a.blas} (as installed), ${b.blas} (one thread)`);
        blasShown = true;
      }
    }
    for (const [k, { precision, threads }] of variants.entries()) {
      const row = {
        name,
        precision,
        threads,
        seconds: median(ours[k]),
        gflops: gflop / median(ours[k]),
        cpuGflops: gflop / median(oursCpu[k]),
      };
      let line = `${`${name} [${w.sizes}] m=${w.m} ×${w.iterations}, ${precision}, ${threads} thr`.padEnd(54)}`;
      line += ` reglab ${row.seconds.toFixed(3)} s ${row.gflops.toFixed(1).padStart(5)} GFLOP/s`;
      line += ` (${row.cpuGflops.toFixed(1)} per CPU second)`;
      if (haveNumpy) {
        row.numpyAll = median(all);
        row.numpyOne = median(one);
        row.overAll = median(all.map((t, r) => t / ours[k][r]));
        row.overOne = median(one.map((t, r) => t / ours[k][r]));
        row.overOneCpu = median(oneCpu.map((t, r) => t / oursCpu[k][r]));
        row.costGap = costGap[k];
        line += ` | numpy ${row.numpyAll.toFixed(3)} s ${(gflop / row.numpyAll).toFixed(1).padStart(5)} GFLOP/s`;
        line += `, 1 thread ${row.numpyOne.toFixed(3)} s ${(gflop / row.numpyOne).toFixed(1).padStart(5)} GFLOP/s`;
        line += ` | numpy/reglab ${row.overAll.toFixed(2)}×, 1 thread ${row.overOne.toFixed(2)}×`;
        line += ` (CPU time ${row.overOneCpu.toFixed(2)}×)`;
        line += ` | max cost gap ${costGap[k].toExponential(1)}`;
      }
      console.log(line);
      rows.push(row);
    }
    if (threadCounts.length > 1) {
      for (const [precision, same] of sameForThreads) {
        console.log(
          `  ${precision}: same costs, bit for bit, for ${threadCounts.join(" and ")} threads: ${same ? "yes" : "NO"}`,
        );
      }
    }
  }
  return rows;
}
