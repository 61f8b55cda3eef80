// Measures what augmentation buys on scarce digits: a 4-vs-9 task from 200 MNIST training images,
// scored on every 4 and 9 of the 10 000-image test set, for several seeds. Expand mode (four
// transformed copies drawn once) keeps the run cheap. Prints test accuracy with Wilson intervals
// and McNemar's test against no augmentation, seed by seed.
// Usage: npm run build && node bench/augment-gains.mjs [--seeds 3] [--train-size 200]
import { parseArgs } from "node:util";
import { RandomState } from "../dist/core/random.js";
import { expandDataset, parseAugmentation } from "../dist/data/augment/index.js";
import { formatInterval, mcnemar, wilsonInterval } from "../dist/experiments/stats.js";
import { loadDigits } from "../dist/node/digits.js";
import { fit } from "../dist/training/train.js";

const { values } = parseArgs({
  options: { seeds: { type: "string", default: "3" }, "train-size": { type: "string", default: "200" } },
});
const bundle = await loadDigits({ pair: [4, 9], trainSize: Number(values["train-size"]) }, 0);
const test = bundle.test;
const config = { hidden: [32], learningRate: 0.2, iterations: 1000, costEvery: 1000 };
const ARMS = [
  ["none", undefined],
  ["elastic", "elastic:alpha=34,sigma=4"],
  ["affine", "affine:shift=2,rotate=15,scale=0.1"],
  ["elastic+affine", "affine:shift=2,rotate=15,scale=0.1,elastic:alpha=34,sigma=4"],
];
console.log(
  `${bundle.source}: ${bundle.train.X.cols} training, ${test.X.cols} test; [784, 32, 1], 1000 iterations`,
);
for (let seed = 1; seed <= Number(values.seeds); seed++) {
  let baseline;
  for (const [name, spec] of ARMS) {
    const train = spec
      ? expandDataset(bundle.train, parseAugmentation(spec), 4, new RandomState(seed))
      : bundle.train;
    const { network, seconds } = await fit(train, { ...config, seed });
    const predicted = network.predict(test.X);
    const correct = Array.from(predicted, (p, j) => p === test.y[j]);
    const hits = correct.filter(Boolean).length;
    baseline ??= correct;
    const vs =
      name === "none"
        ? ""
        : (() => {
            const t = mcnemar(baseline, correct);
            return `  McNemar vs none: ${t.b} vs ${t.c} discordant, p = ${t.pValue.toPrecision(2)}`;
          })();
    console.log(
      `seed ${seed} ${name.padEnd(15)} test ` +
        `${formatInterval(wilsonInterval(hits, test.X.cols))} (${seconds.toFixed(0)} s)${vs}`,
    );
  }
}
