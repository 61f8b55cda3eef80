// How compare's image model sets were chosen: candidates scored on a dev split of the TRAINING
// data (stratified 20 %, split seed 0), never on the test set. Digits: the 1 000 training digits
// `compare --dataset digits` uses; cats: the 209 training cats (skipped when the .h5 is absent).
// Usage: npm run build && nice node bench/image-model-choice.mjs [digits|cats]
import { existsSync } from "node:fs";
import { RandomState } from "../dist/core/random.js";
import { trainDevSplit } from "../dist/data/split.js";
import { runComparison } from "../dist/experiments/compare.js";
import { CAT_BASE, DIGIT_BASE } from "../dist/experiments/model-sets.js";
import { wilsonInterval } from "../dist/experiments/stats.js";
import { loadDigits } from "../dist/node/digits.js";
import { loadDataFile } from "../dist/node/load-data.js";

const ELASTIC = "elastic:alpha=34,sigma=4";
const expand = (spec) => ({ spec, mode: "expand", copies: 4 });
const online = (spec) => ({ spec, mode: "online" });
const SETS = {
  digits: {
    load: () => loadDigits({ trainSize: 1000 }, 0),
    base: DIGIT_BASE,
    models: [
      { key: "none", overrides: {} },
      ...[0.5, 1, 2, 5].map((lambda) => ({ key: `l2-${lambda}`, overrides: { lambda } })),
      ...[0.5, 0.8].map((keepProb) => ({ key: `dropout-${keepProb}`, overrides: { keepProb } })),
      { key: "elastic-affine", overrides: {}, augment: expand(`${ELASTIC},affine`) },
      { key: "elastic-affine-l2-1", overrides: { lambda: 1 }, augment: expand(`${ELASTIC},affine`) },
      {
        key: "elastic-affine-dropout-0.8",
        overrides: { keepProb: 0.8 },
        augment: expand(`${ELASTIC},affine`),
      },
    ],
  },
  cats: {
    load: () => loadDataFile("../shared/datasets/train_catvnoncat.h5"),
    base: CAT_BASE,
    models: [
      { key: "none", overrides: {} },
      { key: "flip-crop", overrides: {}, augment: online("flip,crop:4") },
      { key: "l2-flip", overrides: { lambda: 0.7 }, augment: online("flip") },
      { key: "l2-flip-crop", overrides: { lambda: 0.7 }, augment: online("flip,crop:4") },
      { key: "dropout-flip-crop", overrides: { keepProb: 0.9 }, augment: online("flip,crop:4") },
    ],
  },
};

for (const [name, set] of Object.entries(SETS)) {
  if (process.argv[2] && process.argv[2] !== name) continue;
  if (name === "cats" && !existsSync("../shared/datasets/train_catvnoncat.h5")) {
    console.log("cats: skipped (../shared/datasets/train_catvnoncat.h5 is absent)");
    continue;
  }
  const bundle = await set.load();
  const split = trainDevSplit(bundle.train, 0.2, new RandomState(0));
  const t0 = Date.now();
  const rows = await runComparison(
    { ...bundle, train: split.train, test: split.dev, dev: undefined },
    { base: set.base, models: set.models.map((m) => ({ ...m, name: m.key })) },
  );
  console.log(
    `${name}: ${split.train.X.cols} training, ${split.dev.X.cols} dev (seed 3), ${set.base.iterations} iterations`,
  );
  for (const r of rows) {
    const n = r.testCorrect.length;
    const w = wilsonInterval(Math.round(r.testAccuracy * n), n);
    console.log(
      `  ${r.model.key.padEnd(28)} dev ${(100 * r.testAccuracy).toFixed(1)}% [${(100 * w.low).toFixed(1)}, ${(100 * w.high).toFixed(1)}]`,
    );
  }
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
