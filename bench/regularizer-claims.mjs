// The regularizers' claims measured (README "Regularizers: their claims, measured"): compare's
// machinery on football (the article's [n_x, 20, 3, 1], α = 0.3, 30 000 iterations) and on digits
// (compare's [784, 64, 10] Adam net, 1 000 training digits, 10 000 test digits), with the rows
// the claims need, the max-norm learning-rate sweep, and the claims' sentences.
// Usage: npm run build && nice -n 10 node bench/regularizer-claims.mjs [football|digits] [outdir]
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runComparison } from "../dist/experiments/compare.js";
import { inProcessRunner } from "../dist/experiments/jobs.js";
import { runLearningRateProbe } from "../dist/experiments/lr-probe.js";
import { modelSetFor } from "../dist/experiments/model-sets.js";
import {
  maxNormRow,
  regularizerClaims,
  regularizerClaimsSection,
} from "../dist/experiments/report-regularizer-claims.js";
import { loadDigits } from "../dist/node/digits.js";
import { loadDataFile } from "../dist/node/load-data.js";
import { svgToPng } from "../dist/node/png.js";

// compare's own rows (the settings rows, as `--models none,l1,max-norm-dropout,label-smoothing,adamw,adam-l2`
// runs them), plus L1 at the λ₁ = 0.01 on football.
const KEYS = ["l1", "max-norm-dropout", "label-smoothing", "adamw", "adam-l2"];
const SETS = {
  football: {
    load: () => loadDataFile("../shared/datasets/football.mat"),
    also: [
      { key: "l1-small", name: "L1, λ₁ = 0.01", overrides: { regularizers: [{ kind: "l1", lambda: 0.01 }] } },
    ],
  },
  digits: { load: () => loadDigits({ trainSize: 1000 }, 0), also: [] },
};

const which = process.argv[2] ?? "football";
const out = process.argv[3] ?? `/tmp/regularizer-claims-${which}`;
mkdirSync(out, { recursive: true });
const set = SETS[which];
const bundle = await set.load();
const t0 = Date.now();
const models = modelSetFor(bundle);
const picked = [models.models[0], ...KEYS.map((k) => models.extra.find((m) => m.key === k)), ...set.also];
const rows = await runComparison(bundle, { base: models.base, models: picked, testEvery: 1e9 });
for (const r of rows) {
  const pct = (x) => (x === null ? "—" : `${(100 * x).toFixed(1)}%`);
  console.log(
    `${r.model.name}: train ${pct(r.trainAccuracy)}, test ${pct(r.testAccuracy)}, ${r.result.seconds.toFixed(1)} s`,
  );
}
const mn = maxNormRow(rows);
const learningRates = await runLearningRateProbe(bundle, mn.result.config, {
  runner: inProcessRunner(bundle),
});
const found = regularizerClaims(rows, bundle, learningRates);
console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s in all)\n`);
for (const c of found.claims)
  console.log(`[${c.held === undefined ? "—" : c.held ? "held" : "not held"}] ${c.sentence}\n`);
writeFileSync(join(out, "claims.json"), `${JSON.stringify(found, null, 1)}\n`);
const section = regularizerClaimsSection(found);
for (const f of section?.figures ?? []) {
  writeFileSync(join(out, `${f.name}.svg`), f.svg);
  writeFileSync(join(out, `${f.name}.png`), await svgToPng(f.svg));
}
console.log(`Wrote ${out}`);
