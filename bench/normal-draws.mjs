// Times the numpy-compatible normal draw: RandomState(3).randn(n), as a [n / 20, 20, …] network's
// first layer draws its weights (20 M for a million features), against numpy's legacy
// RandomState(3).randn(n) timed inside python3 (its start-up not counted), rounds alternated;
// prints the medians and the median of the per-round ratios. The draws are the same bits
// (scripts/reference/randn_identity.mjs checks that).
// Usage: node bench/normal-draws.mjs [--rounds 5 --draws 20000000]
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { RandomState } from "../dist/core/random.js";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "5" }, draws: { type: "string", default: "20000000" } },
});
const rounds = Number(values.rounds);
const n = Number(values.draws);
const PYTHON = `
import sys, time, numpy as np
n = int(sys.argv[1])
t = time.perf_counter(); np.random.RandomState(3).randn(n); print(time.perf_counter() - t)
`;
const haveNumpy = spawnSync("python3", ["-c", "import numpy"]).status === 0;
const out = new Float64Array(n);

function reglabSeconds() {
  const t = performance.now();
  new RandomState(3).randn(n, out);
  return (performance.now() - t) / 1000;
}
function numpySeconds() {
  const r = spawnSync("python3", ["-c", PYTHON, String(n)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`numpy failed: ${r.stderr}`);
  return Number(r.stdout);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(`Normal draws, randn(${n}), ${rounds} rounds, reglab and numpy alternated`);
if (!haveNumpy) console.log("python3 with numpy not found: timing reglab only.");
reglabSeconds(); // compiled before the first timed round
const ours = [];
const theirs = [];
for (let r = 0; r < rounds; r++) {
  ours.push(reglabSeconds());
  if (haveNumpy) theirs.push(numpySeconds());
}
let line = `reglab ${median(ours).toFixed(3)} s`;
if (haveNumpy) {
  const ratio = median(ours.map((t, r) => theirs[r] / t));
  line += `   numpy ${median(theirs).toFixed(3)} s   numpy / reglab (median per round) ${ratio.toFixed(2)}×`;
}
console.log(line);
