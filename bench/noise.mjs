// Times Gaussian noise: RandomState.randn in the trainer's batch size (football's Gaussian-dropout
// row draws (20 + 3) × 211 = 4 853 normals per step) and in one large call, then the football
// Gaussian-dropout row itself ([2, 20, 3, 1], rate 0.14, --iterations per round; the row runs
// 30 000) beside the same run without noise. With --baseline DIR (the dist/ of another build, e.g.
// the commit before a change, built with `npm run build`), every measurement also runs on that
// build, rounds alternated (ABBA); prints medians and the median of the per-round ratios.
// Usage: node bench/noise.mjs [--rounds 5 --iterations 3000 --baseline /tmp/old/dist]
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    iterations: { type: "string", default: "3000" },
    data: { type: "string", default: resolve(root, "../shared/datasets/football.mat") },
    baseline: { type: "string" },
  },
});
const rounds = Number(values.rounds);
const iterations = Number(values.iterations);

async function build(dir, name) {
  const at = (p) => pathToFileURL(resolve(dir, p)).href;
  const { RandomState } = await import(at("core/random.js"));
  const { fit } = await import(at("training/train.js"));
  return { name, RandomState, fit };
}
const builds = [await build(resolve(root, "dist"), "this build")];
if (values.baseline) builds.push(await build(resolve(values.baseline), "baseline"));

const { loadDataFile } = await import("../dist/node/load-data.js");
const football = existsSync(values.data) ? (await loadDataFile(values.data)).train : undefined;
if (!football) console.log(`${values.data} not found: timing the draws only.`);

const BATCH = 4853;
const LARGE = 2_000_000;
const batchOut = new Float64Array(BATCH);
const largeOut = new Float64Array(LARGE);

/** This process's CPU time in ms (all threads): steadier than the clock on a loaded machine. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Nanoseconds per normal draw: randn(4 853) repeated (by the clock and in CPU time), then one randn(2 000 000). */
function drawTimes(b) {
  const rs = new b.RandomState(3);
  let t = performance.now();
  const cpu = cpuMs();
  const reps = Math.ceil(LARGE / BATCH);
  for (let k = 0; k < reps; k++) rs.randn(BATCH, batchOut);
  const batch = ((performance.now() - t) * 1e6) / (reps * BATCH);
  const batchCpu = ((cpuMs() - cpu) * 1e6) / (reps * BATCH);
  t = performance.now();
  rs.randn(LARGE, largeOut);
  return { batch, batchCpu, large: ((performance.now() - t) * 1e6) / LARGE };
}

const GAUSSIAN_DROPOUT = { regularizers: [{ kind: "gaussian-dropout", rate: 0.14 }] };

/** Seconds of `iterations` steps of the football run, with Gaussian dropout or without noise. */
async function fitSeconds(b, overrides) {
  const config = { iterations, ...overrides };
  return (await b.fit(football, config, { now: () => performance.now() })).seconds;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const cols = ["batch", "batchCpu", "large", "gd", "plain"];
const times = builds.map(() => Object.fromEntries(cols.map((c) => [c, []])));
for (const b of builds) drawTimes(b); // compiled before the first timed round
console.log(
  `Gaussian noise: ${rounds} rounds${builds.length > 1 ? ", builds alternated" : ""}; football runs of ${iterations} iterations`,
);
for (let r = 0; r < rounds; r++) {
  // ABBA: the order of the builds flips every round, so neither always runs first.
  const order = r % 2 === 0 ? [...builds.entries()] : [...builds.entries()].reverse();
  for (const [i, b] of order) {
    const d = drawTimes(b);
    times[i].batch.push(d.batch);
    times[i].batchCpu.push(d.batchCpu);
    times[i].large.push(d.large);
    if (football) {
      times[i].gd.push(await fitSeconds(b, GAUSSIAN_DROPOUT));
      times[i].plain.push(await fitSeconds(b, {}));
    }
  }
}
for (const [i, b] of builds.entries()) {
  const t = times[i];
  let line = `${b.name.padEnd(10)}  randn(${BATCH}) ${median(t.batch).toFixed(1)} ns/draw (${(1e3 / median(t.batch)).toFixed(1)} M/s; CPU time ${median(t.batchCpu).toFixed(1)} ns)   randn(${LARGE}) ${median(t.large).toFixed(1)} ns/draw`;
  if (football) {
    const gd = median(t.gd);
    const plain = median(t.plain);
    const perDraw = (median(t.gd.map((g, k) => g - t.plain[k])) * 1e9) / (iterations * BATCH);
    line += `\n            football Gaussian dropout ${gd.toFixed(2)} s, no noise ${plain.toFixed(2)} s (${iterations} iterations; ×${30000 / iterations} for the row: ${((gd * 30000) / iterations).toFixed(0)} s); the noise's cost ${perDraw.toFixed(0)} ns per draw`;
  }
  console.log(line);
}
if (builds.length > 1) {
  const ratio = (c) => median(times[1][c].map((t, k) => t / times[0][c][k])).toFixed(2);
  let line = `baseline / this build (median per round): randn(${BATCH}) ${ratio("batch")}× (CPU time ${ratio("batchCpu")}×), randn(${LARGE}) ${ratio("large")}×`;
  if (football) line += `, football Gaussian dropout ${ratio("gd")}×, no noise ${ratio("plain")}×`;
  console.log(line);
}
