/**
 * The article's claims about *why* its remedies work, each turned into one sentence written
 * from measured numbers: whether the claim held on this data, and by how much. Nothing here is
 * canned: when the numbers turn, the sentence turns with them (the tests feed hand-made runs).
 * "Held" needs a stated effect size (and, where the numbers are test-set counts, significance):
 * the thresholds are the constants below, and the report prints them.
 */
import { round3 } from "./format.js";
import { costStats } from "./report-diagnostics.js";
import { mcnemar } from "./stats.js";

export interface Claim {
  /** "l2-shrinks", "dropout-shrinks", "early-stopping-mid", "over-smoothing", "wide-layer", "check", "orthogonalization", "augmentation". */
  id: string;
  /** The article's words. */
  quote: string;
  /** Whether the numbers bear it out (undefined: nothing to decide it on). */
  held: boolean | undefined;
  /** Held in part: its first half holds, its second does not (e.g. mid-sized W, but not L2's). */
  partly?: boolean;
  sentence: string;
}

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;
const pText = (p: number) => `p = ${p >= 0.001 ? Number(p.toPrecision(2)) : p.toExponential(1)}`;

/** A remedy "shrinks the weights" when its Σ‖W‖² ends at most this share of no regularization's. */
export const SHRINK_RATIO = 0.8;
/** An augmentation "helps" when its test accuracy beats no regularization's by at least this… */
export const MIN_GAIN = 0.01;
/** …and McNemar's test, Holm-corrected over the report's pairs, gives p below this. */
export const ALPHA = 0.05;

/** The verdict rules in words, for the report. */
export function thresholdsText(): string {
  return (
    `How the verdicts are read. A remedy shrinks the weights when its Σ‖W‖² ends at most ${Math.round(100 * SHRINK_RATIO)}% of the unregularized model's ` +
    `(a smaller drop is not called a shrink; this is one run's measurement, with no test to make it significant). ` +
    `Early stopping's W is mid-sized when the unregularized Σ‖W‖² grows past the kept iteration and the kept one is smaller, and close to L2's within a factor of 2. ` +
    `Augmentation helps when an augmented model's test accuracy beats no regularization's by at least ${(100 * MIN_GAIN).toFixed(0)} point and McNemar's test, Holm-corrected over all the pairs, gives p < ${ALPHA}: ` +
    `held when every augmented model does, held in part when some do. ` +
    `Orthogonalization holds unless early stopping beats L2 trained to the end with McNemar p < ${ALPHA}.`
  );
}
const share = (a: number, b: number) => `${Math.round((100 * a) / b)}%`;

/** A model's squared weight norm over training, Σ_l ‖W_l‖²_F. */
export interface NormRun {
  name: string;
  /** Recorded iterations and Σ‖W‖² at each. */
  iterations: readonly number[];
  norms: readonly number[];
  /** Σ‖W‖² of the weights the model ended with (early stopping: the weights it kept). */
  final: number;
  /** Early stopping: the iteration whose weights were kept. */
  kept?: number;
}

/** Σ_l ‖W_l‖² at each recorded iteration, from `history.weightNorms`. */
export function summedNorms(weightNorms: readonly (readonly number[])[]): number[] {
  return weightNorms.map((layers) => layers.reduce((s, v) => s + v, 0));
}

/** The run's Σ‖W‖² at `iteration`, linearly interpolated between recorded iterations. */
export function normAt(run: NormRun, iteration: number): number {
  const { iterations: it, norms } = run;
  if (it.length === 0) return Number.NaN;
  if (iteration <= it[0]) return norms[0];
  for (let k = 1; k < it.length; k++) {
    if (iteration <= it[k]) {
      const t = (iteration - it[k - 1]) / (it[k] - it[k - 1]);
      return norms[k - 1] + t * (norms[k] - norms[k - 1]);
    }
  }
  return norms[norms.length - 1];
}

function shrinkClaim(id: string, quote: string, what: string, run: NormRun, none: NormRun): Claim {
  const ratio = run.final / none.final;
  const held = ratio <= SHRINK_RATIO;
  const numbers = `“${what}” ends with Σ‖W‖² = ${round3(run.final)}, ${share(run.final, none.final)} of the unregularized model's ${round3(none.final)}`;
  let sentence: string;
  if (held) sentence = `${numbers}: it shrank the weights, as the article says.`;
  else if (ratio < 1)
    sentence = `${numbers}: smaller, but by less than the ${Math.round(100 * (1 - SHRINK_RATIO))}% a shrink needs, so the claim does not hold here.`;
  else sentence = `${numbers}: on this data it did not shrink the weights, so the claim does not hold here.`;
  return { id, quote, held, sentence };
}

/**
 * Claim 1, in three parts: L2 and dropout end with smaller weights than no regularization; the
 * unregularized weights grow with iterations, so early stopping keeps a mid-sized W, close to
 * L2's (within a factor of 2 counts as close).
 */
export function weightNormClaims(runs: {
  none: NormRun;
  l2?: NormRun;
  dropout?: NormRun;
  earlyStopping?: NormRun;
}): Claim[] {
  const { none, l2, dropout, earlyStopping: es } = runs;
  const out: Claim[] = [];
  if (l2) {
    out.push(shrinkClaim("l2-shrinks", "L2 … drives all the weights to smaller values", l2.name, l2, none));
  }
  if (dropout) {
    out.push(
      shrinkClaim(
        "dropout-shrinks",
        "dropout … spreads out the weights and shrinks the squared norm of the weights",
        dropout.name,
        dropout,
        none,
      ),
    );
  }
  if (es && es.kept !== undefined) {
    const start = none.norms[0];
    const end = none.norms[none.norms.length - 1];
    const grows = end > start && end > normAt(none, es.kept);
    const smaller = es.final < none.final;
    const growth = `The unregularized model's Σ‖W‖² goes from ${round3(start)} at iteration 0 to ${round3(none.final)} at the end of training`;
    const at = `at its stop early stopping kept the weights of iteration ${es.kept.toLocaleString("en-US")}, Σ‖W‖² = ${round3(es.final)}, ${share(es.final, none.final)} of the unregularized model's`;
    let l2Part = "";
    let close = true;
    if (l2) {
      const r = es.final / l2.final;
      close = r <= 2 && r >= 0.5;
      l2Part = `; L2's is ${share(l2.final, none.final)}${close ? ", close to it" : `, so early stopping's is ${round3(r)} times L2's, not close`}`;
    }
    let sentence: string;
    if (!grows)
      sentence = `${growth}: it does not grow with iterations here, so stopping early cannot be what keeps it small; ${at}${l2Part}.`;
    else if (!smaller) sentence = `${growth}, but ${at}: no smaller${l2Part}.`;
    else sentence = `${growth}; ${at}: a mid-sized W${l2Part}.`;
    out.push({
      id: "early-stopping-mid",
      quote:
        "w … becomes bigger and bigger … early stopping has a mid-sized value of W, very similar to the L2 norm",
      held: grows && smaller && close,
      ...(grows && smaller && !close && { partly: true }),
      sentence,
    });
  }
  return out;
}

/** One point of a λ sweep: the mean train and dev accuracy over its folds and seeds. */
export interface LambdaPoint {
  value: number;
  trainAccuracy: number;
  devAccuracy: number;
}

export interface OverSmoothing extends Claim {
  /** The smallest λ of the over-smoothed region (it runs to the grid's end), if there is one. */
  from?: number;
}

/**
 * Claim 2: past the best λ, a λ whose train *and* dev accuracy are both lower than at the best by
 * more than `tolerance` is over-smoothed — high bias. The region runs from the first such λ on.
 */
export function overSmoothing(points: readonly LambdaPoint[], tolerance = 0.01): OverSmoothing {
  const quote = "If λ is too large, it is also possible to over-smooth, resulting in a model with high bias.";
  const ps = [...points].sort((a, b) => a.value - b.value);
  if (ps.length < 2) {
    return { id: "over-smoothing", quote, held: undefined, sentence: "One λ is no sweep: nothing to read." };
  }
  let b = 0;
  for (let k = 1; k < ps.length; k++) if (ps[k].devAccuracy > ps[b].devAccuracy) b = k;
  const best = ps[b];
  const gap0 = ps[0].trainAccuracy - ps[0].devAccuracy;
  const variance = `At λ = ${round3(ps[0].value)} train accuracy is ${pct(ps[0].trainAccuracy)} and dev ${pct(ps[0].devAccuracy)} (a gap of ${(100 * gap0).toFixed(1)} points: ${gap0 > 0.02 ? "variance" : "little variance"}); dev accuracy peaks at λ = ${round3(best.value)} (${pct(best.devAccuracy)}).`;
  const k = ps.findIndex(
    (p, i) =>
      i > b &&
      p.devAccuracy < best.devAccuracy - tolerance &&
      p.trainAccuracy < best.trainAccuracy - tolerance,
  );
  if (k < 0) {
    const top = ps[ps.length - 1];
    return {
      id: "over-smoothing",
      quote,
      held: false,
      sentence: `${variance} Up to λ = ${round3(top.value)} train and dev accuracy never both fall more than ${(100 * tolerance).toFixed(0)} point${tolerance === 0.01 ? "" : "s"} below that: no over-smoothing in this grid (try larger λ to see it).`,
    };
  }
  const p = ps[k];
  return {
    id: "over-smoothing",
    quote,
    held: true,
    from: p.value,
    sentence: `${variance} From λ = ${round3(p.value)} train and dev accuracy both fall (train ${pct(best.trainAccuracy)} → ${pct(p.trainAccuracy)}, dev ${pct(best.devAccuracy)} → ${pct(p.devAccuracy)}): high bias, the over-smoothing the article warns of.`,
  };
}

/** One point of a per-layer keepProb sweep. */
export interface KeepPoint {
  keepProb: readonly number[];
  devAccuracy: number;
}

/**
 * Claim 3: the setting best on the dev folds — does it drop more in the widest hidden layer than
 * in the narrower ones? Undefined when the grid never treats the layers differently.
 */
export function wideLayerClaim(
  points: readonly KeepPoint[],
  hidden: readonly number[],
  /** The index of the setting chosen (default: the highest dev accuracy, first on ties). */
  chosen?: number,
): Claim {
  const quote =
    "If any layer has many hidden nodes then keep-prob should be low … the layer where we don't think will overfit, keep_prob could be 1.";
  let wide = 0;
  for (let l = 1; l < hidden.length; l++) if (hidden[l] > hidden[wide]) wide = l;
  const differ = points.some((p) => p.keepProb.some((v) => v !== p.keepProb[wide]));
  if (hidden.length < 2 || points.length === 0 || !differ) {
    return {
      id: "wide-layer",
      quote,
      held: undefined,
      sentence:
        "The grid never gives the layers different keepProbs, so it cannot say which layer wanted more dropout (sweep e.g. --keep-prob 0.5:1,0.7:1,0.86:1,0.86:0.86).",
    };
  }
  let b = chosen ?? 0;
  if (chosen === undefined)
    for (let k = 1; k < points.length; k++) if (points[k].devAccuracy > points[b].devAccuracy) b = k;
  const keep = points[b].keepProb;
  const others = keep.filter((_, l) => l !== wide);
  const lower = keep[wide] < Math.max(...others);
  const layers = keep
    .map((v, l) => `the ${hidden[l]}-unit layer ${l === wide ? "(the widest) " : ""}keeps ${v}`)
    .join(", ");
  return {
    id: "wide-layer",
    quote,
    held: lower,
    sentence: `${chosen === undefined ? "Best on the dev folds" : "Chosen on the dev folds"}: keepProb ${keep.join(":")} (dev ${pct(points[b].devAccuracy)}), where ${layers}: ${
      lower
        ? "the wide layer wanted the lower keepProb, as the article says."
        : "the wide layer did not want a lower keepProb than the others here."
    }`,
  };
}

/**
 * Claim 4: with dropout on, J is not well defined, so its recorded cost need not fall steadily;
 * `reglab check` turns dropout off and checks that it does.
 */
export function dropoutCostClaim(
  name: string,
  costs: readonly number[],
  command: string,
  /** No regularization's recorded costs: with mini-batches its cost rises too, so dropout must rise more often. */
  baseline?: readonly number[],
): Claim {
  const c = costStats(costs);
  const b = baseline ? costStats(baseline) : undefined;
  const held = b ? c.rises > b.rises : c.rises > 0;
  const vs = b ? ` (no regularization's: ${b.rises})` : "";
  let what: string;
  if (held)
    what = `rises at ${c.rises} of its ${c.steps} recorded steps${vs}: with dropout on, J is not one function to watch`;
  else if (c.rises > 0)
    what = `rises at ${c.rises} of its ${c.steps} recorded steps, no more often than no regularization's (${b!.rises}): the batches, not dropout, make it wander here`;
  else
    what = `never rose between its ${c.steps} recorded step${c.steps === 1 ? "" : "s"}, but those are samples: J changes with every mask`;
  return {
    id: "check",
    quote:
      "Dropout … the cost function J is no more well defined … turn off dropout … and check that gradient descent is monotonically decreasing",
    held,
    sentence: `The recorded cost of “${name}” ${what}. ${command} turns dropout off and checks that the cost falls at every iteration, then checks the gradients.`,
  };
}

/** A model scored on the test set, example by example. */
export interface Scored {
  name: string;
  testAccuracy: number;
  /** 1 where the model classified the test example correctly. */
  testCorrect: Uint8Array;
}

/**
 * Claim 5 (orthogonalization): L2 trained to the end against early stopping on the same data and
 * budget, by McNemar's test. It holds unless early stopping wins significantly.
 */
export function orthogonalizationClaim(l2: Scored, es: Scored, alpha = 0.05): Claim {
  const t = mcnemar(l2.testCorrect, es.testCorrect);
  const significant = t.pValue < alpha;
  const leader = t.b > t.c ? l2.name : t.c > t.b ? es.name : undefined;
  const p = pText(t.pValue);
  const numbers = `“${l2.name}” scores ${pct(l2.testAccuracy)} on the test set, “${es.name}” ${pct(es.testAccuracy)}; ${t.b} test examples only the first got right, ${t.c} only the second (McNemar ${p})`;
  let verdict: string;
  if (!significant)
    verdict = `no significant difference at ${Math.round(alpha * 100)}%${leader ? `, though “${leader}” is ahead` : ""}: training L2 to the end lost nothing against stopping early here`;
  else if (leader === l2.name) verdict = `“${l2.name}” wins significantly, as the article's advice expects`;
  else verdict = `“${es.name}” wins significantly: here the article's advice cost accuracy`;
  return {
    id: "orthogonalization",
    quote: "Orthogonalization: … use L2 regularization and train as long as possible",
    held: !(significant && leader === es.name),
    sentence: `${numbers}: ${verdict}.`,
  };
}

/** An augmented model against no regularization on the same test examples (from the McNemar table). */
export interface AugmentedScore {
  name: string;
  testAccuracy: number;
  /** Test examples only this model got right, and only no regularization got right. */
  onlyThis: number;
  onlyNone: number;
  /** McNemar's p, and Holm-corrected over the report's pairs. */
  pValue: number;
  adjusted: number;
}

/**
 * The augmentation claim: every augmented model against no regularization, on test accuracy and
 * McNemar's test. Helps = at least `MIN_GAIN` better and Holm p < `ALPHA`; held when all help,
 * in part when some do.
 */
export function augmentationClaim(
  none: { name: string; testAccuracy: number },
  augmented: readonly AugmentedScore[],
  minGain = MIN_GAIN,
  alpha = ALPHA,
): Claim {
  const quote = "by synthesizing images like this you are making the training more generalized";
  if (augmented.length === 0)
    return {
      id: "augmentation",
      quote,
      held: undefined,
      sentence: "No model here augments its training images.",
    };
  // Accuracies are counts over n, so a gain of exactly minGain may round a hair below it.
  const gains = (a: AugmentedScore) => a.testAccuracy - none.testAccuracy >= minGain - 1e-12;
  const helps = (a: AugmentedScore) => gains(a) && a.adjusted < alpha;
  const each = augmented.map((a) => {
    const d = Number((100 * (a.testAccuracy - none.testAccuracy)).toFixed(1));
    const gain = d === 0 ? "the same" : `${d > 0 ? "+" : "−"}${Math.abs(d).toFixed(1)} points`;
    const why = helps(a)
      ? "better"
      : !gains(a)
        ? `not ${(100 * minGain).toFixed(0)} point better`
        : "better, but not significantly";
    return `“${a.name}” ${pct(a.testAccuracy)} (${gain}; ${a.onlyThis} vs ${a.onlyNone} test images only one of the two got right, McNemar ${pText(a.pValue)}, Holm ${pText(a.adjusted).slice(4)}): ${why}`;
  });
  const n = augmented.filter(helps).length;
  const head = `Against “${none.name}” at ${pct(none.testAccuracy)} on the test set: ${each.join("; ")}`;
  let verdict: string;
  if (n === augmented.length)
    verdict = `${n === 1 ? "the augmented model generalizes" : `all ${n} augmented models generalize`} significantly better, as the article says`;
  else if (n > 0)
    verdict = `${n} of the ${augmented.length} augmented models generalize significantly better; the others do not`;
  else verdict = "no augmented model generalizes significantly better here";
  return {
    id: "augmentation",
    quote,
    held: n === augmented.length,
    ...(n > 0 && n < augmented.length && { partly: true }),
    sentence: `${head}. ${verdict[0].toUpperCase()}${verdict.slice(1)}.`,
  };
}
