// What staying interruptible costs. (1) The seed's 30 000-iteration runs on football.mat trained as
// the CLI trains them (an abort signal checked every step, a yield to the event loop every 50 ms
// of work) against the same runs with neither; (2) a CLI command's start with and without the
// supervising process the compute commands run under (src/cli/supervisor.ts). Rounds alternate;
// ratios per round, then medians.
// Usage: npm run build && node bench/interrupt-overhead.mjs [--rounds 5 --data ../shared/datasets/football.mat]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SEED_MODELS } from "../dist/experiments/compare.js";
import { loadDataFile } from "../dist/node/load-data.js";
import { fit } from "../dist/training/train.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    data: { type: "string", default: resolve(root, "../shared/datasets/football.mat") },
  },
});
const rounds = Number(values.rounds);
if (!existsSync(values.data)) {
  console.error(`bench: ${values.data} not found (pass --data FILE)`);
  process.exit(2);
}
const data = await loadDataFile(values.data);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const now = () => performance.now();
const paced = () => ({
  signal: new AbortController().signal,
  yieldControl: () => new Promise((r) => setImmediate(r)),
  now,
});

console.log(
  `The article's 30 000-iteration runs on ${values.data}, ${rounds} rounds, plain and paced alternated`,
);
const ratios = [];
for (const model of SEED_MODELS.slice(0, 3)) {
  const plain = [];
  const withPace = [];
  for (let r = 0; r < rounds; r++) {
    plain.push((await fit(data.train, model.overrides, { now })).seconds);
    withPace.push((await fit(data.train, model.overrides, paced())).seconds);
    ratios.push(withPace[r] / plain[r]);
  }
  const steps = 30_000 / median(withPace);
  console.log(
    `${model.name.padEnd(26)} plain ${median(plain).toFixed(2)} s, paced ${median(withPace).toFixed(2)} s (${Math.round(steps)} steps/s)`,
  );
}
console.log(`median paced / plain over models × rounds: ${median(ratios).toFixed(3)}×`);

const cli = resolve(root, "dist/cli/main.js");
const start = (env) => {
  const t0 = now();
  const r = spawnSync(process.execPath, [cli, "train", "--iterations", "1", "--quiet"], { env });
  if (r.status !== 0) throw new Error(String(r.stderr));
  return now() - t0;
};
const direct = [];
const supervised = [];
for (let r = 0; r < rounds; r++) {
  direct.push(start({ ...process.env, REGLAB_SUPERVISED: "1" }));
  supervised.push(start(process.env));
}
console.log(
  `\nreglab train --iterations 1: ${median(direct).toFixed(0)} ms in one process, ${median(supervised).toFixed(0)} ms supervised (+${(median(supervised) - median(direct)).toFixed(0)} ms)`,
);
