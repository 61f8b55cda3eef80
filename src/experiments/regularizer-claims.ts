/**
 * What the frameworks' regularizers are said to do, each turned into one sentence written from
 * measured numbers, as claims.ts does for the article's: L1 makes weights exactly zero; max-norm
 * lets dropout train at a larger learning rate (Srivastava, Hinton et al. 2014); label smoothing
 * improves calibration (Müller, Kornblith & Hinton 2019); AdamW's decoupled weight decay does
 * better than Adam with L2 in the gradient (Loshchilov & Hutter 2019). "Held" needs the effect
 * size below, and a significance test wherever the numbers are per-example test results.
 */
import { RandomState } from "../core/random.js";
import { type Confidences, calibrate, ECE_BINS } from "./calibration.js";
import type { Claim } from "./claims.js";
import { round3 } from "./format.js";
import { mcnemar } from "./stats.js";

/** L1 is sparse when at least this share of its weights is exactly zero… */
export const MIN_ZERO_SHARE = 0.1;
/** …max-norm tolerates an α when its accuracy there is within this of the best of either arm… */
export const LR_TOLERANCE = 0.05;
/** …label smoothing calibrates when ECE falls by at least this (absolute)… */
export const MIN_ECE_DROP = 0.01;
/** …and a test where one applies gives p below this. */
export const CLAIM_ALPHA = 0.05;
/** Paired bootstrap resamples of the test set for the ECE difference. */
export const BOOTSTRAP_RESAMPLES = 1000;

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`;
const pText = (p: number) => `p = ${p >= 0.001 ? Number(p.toPrecision(2)) : p.toExponential(1)}`;
const count = (n: number) => n.toLocaleString("en-US");
/** ECE to three decimals: differences of 0.001 are below what a test set of thousands resolves. */
const ece3 = (x: number) => x.toFixed(3);

/** The verdict rules in words, for the report and the JSON. */
export function regularizerThresholdsText(): string {
  return (
    `L1 is sparse when at least ${pct(MIN_ZERO_SHARE, 0)} of its weights are exactly 0 (a count: no test applies). ` +
    `Max-norm tolerates a learning rate α when the run there does not diverge and its accuracy is within ${(100 * LR_TOLERANCE).toFixed(0)} points of the best of either arm; ` +
    `the claim holds when the largest such α with max-norm is larger than without, and at that α the run without max-norm diverged or lost by McNemar p < ${CLAIM_ALPHA}. ` +
    `Label smoothing calibrates when the test set's ECE (${ECE_BINS} equal-width bins) falls by at least ${MIN_ECE_DROP} and a paired bootstrap of the test set (${BOOTSTRAP_RESAMPLES} resamples) gives p < ${CLAIM_ALPHA}. ` +
    `AdamW beats Adam + L2 when McNemar's test on the test set gives p < ${CLAIM_ALPHA} in AdamW's favour.`
  );
}

/** A model's weights exactly zero, layer by layer. */
export interface SparsityRun {
  name: string;
  zeros: readonly number[];
  /** Weights per layer. */
  sizes: readonly number[];
}

const sum = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0);

/** L1 gives sparse weights: the share of weights exactly 0, per layer and in all. */
export function l1SparsityClaim(l1: SparsityRun, none?: SparsityRun): Claim {
  const zeros = sum(l1.zeros);
  const total = sum(l1.sizes);
  const share = total === 0 ? 0 : zeros / total;
  const base = none ? sum(none.zeros) : 0;
  const held = share >= MIN_ZERO_SHARE && zeros > base;
  const layers = l1.zeros.map((z, l) => `layer ${l + 1} ${count(z)} of ${count(l1.sizes[l])}`).join(", ");
  const against = none ? `; “${none.name}” has ${count(base)} of ${count(sum(none.sizes))}` : "";
  const numbers = `“${l1.name}” ends with ${count(zeros)} of its ${count(total)} weights exactly 0 (${pct(share)}: ${layers})${against}`;
  let verdict: string;
  if (held) verdict = "sparse weights, as L1 promises";
  else if (zeros > base)
    verdict = `some zeros, but fewer than the ${pct(MIN_ZERO_SHARE, 0)} that would make the weights sparse: try a larger λ`;
  else verdict = "no more zeros than without it: not sparse here (try a larger λ)";
  return {
    id: "l1-sparse",
    quote:
      "L1 drives weights to exactly zero: sparse weights (Tibshirani's lasso; TensorFlow Playground's L1)",
    held,
    sentence: `${numbers}: ${verdict}.`,
  };
}

/** One run of the learning-rate sweep: α, with or without max-norm (dropout in both). */
export interface LearningRatePoint {
  learningRate: number;
  maxNorm: boolean;
  /** Accuracy on the examples scored (undefined when the run diverged). */
  accuracy?: number;
  diverged: boolean;
  /** 1 where the scored example was right (for McNemar's test at the deciding α). */
  correct?: Uint8Array;
}

/** The largest α of an arm that trains to within LR_TOLERANCE of `best`, if any. */
function largestTolerated(points: readonly LearningRatePoint[], best: number): LearningRatePoint | undefined {
  let top: LearningRatePoint | undefined;
  for (const p of points) {
    if (p.diverged || p.accuracy === undefined || p.accuracy < best - LR_TOLERANCE) continue;
    if (!top || p.learningRate > top.learningRate) top = p;
  }
  return top;
}

/**
 * Max-norm with dropout tolerates a larger learning rate: each arm's largest α that neither
 * diverges nor falls more than LR_TOLERANCE below the best accuracy seen; at max-norm's largest,
 * the run without it must have diverged, or lost by McNemar's test.
 */
export function maxNormLearningRateClaim(
  points: readonly LearningRatePoint[],
  names = { with: "max-norm + dropout", without: "dropout alone" },
): Claim {
  const quote =
    "Max-norm with dropout allows a larger learning rate without the weights blowing up (Srivastava, Hinton et al. 2014)";
  const id = "max-norm-learning-rate";
  const withMn = points.filter((p) => p.maxNorm);
  const without = points.filter((p) => !p.maxNorm);
  const rates = [...new Set(points.map((p) => p.learningRate))].sort((a, b) => a - b);
  if (withMn.length === 0 || without.length === 0 || rates.length < 2) {
    return {
      id,
      quote,
      held: undefined,
      sentence: "This needs runs at two or more learning rates, with and without max-norm: nothing to read.",
    };
  }
  const scored = points.filter((p) => !p.diverged && p.accuracy !== undefined).map((p) => p.accuracy!);
  const best = scored.length ? Math.max(...scored) : Number.NaN;
  const describe = (arm: readonly LearningRatePoint[]) =>
    [...arm]
      .sort((a, b) => a.learningRate - b.learningRate)
      .map((p) => `α = ${round3(p.learningRate)}: ${p.diverged ? "diverged" : pct(p.accuracy ?? Number.NaN)}`)
      .join(", ");
  const numbers = `“${names.with}” ${describe(withMn)}; “${names.without}” ${describe(without)}`;
  const a = largestTolerated(withMn, best);
  const b = largestTolerated(without, best);
  if (!a) {
    return {
      id,
      quote,
      held: false,
      sentence: `${numbers}: max-norm never came within ${(100 * LR_TOLERANCE).toFixed(0)} points of the best, so it tolerated nothing here.`,
    };
  }
  const reach = (p: LearningRatePoint | undefined) => (p ? `α = ${round3(p.learningRate)}` : "no α tried");
  const within = `within ${(100 * LR_TOLERANCE).toFixed(0)} points of the best (${pct(best)})`;
  if (b && b.learningRate >= a.learningRate) {
    return {
      id,
      quote,
      held: false,
      sentence: `${numbers}: ${
        b.learningRate > a.learningRate
          ? `with max-norm the largest α ${within} is ${reach(a)}, without it ${reach(b)}`
          : `both train ${within} up to ${reach(b)}`
      }, so max-norm bought no larger learning rate on this grid${rates.at(-1) === a.learningRate ? " (try larger α)" : ""}.`,
    };
  }
  const rival = without.find((p) => p.learningRate === a.learningRate);
  let evidence: string;
  let held: boolean;
  if (!rival) {
    held = false;
    evidence = `dropout alone was not run at ${reach(a)}, so nothing compares there`;
  } else if (rival.diverged) {
    held = true;
    evidence = `at ${reach(a)} dropout alone diverged`;
  } else if (a.correct && rival.correct) {
    const t = mcnemar(a.correct, rival.correct);
    held = t.pValue < CLAIM_ALPHA && t.b > t.c;
    evidence = `at ${reach(a)} it scored ${pct(a.accuracy!)} against dropout alone's ${pct(rival.accuracy!)} (${t.b} examples only max-norm got right, ${t.c} only dropout alone; McNemar ${pText(t.pValue)}${held ? "" : ", not significant"})`;
  } else {
    held = false;
    evidence = `at ${reach(a)} dropout alone scored ${pct(rival.accuracy!)}, with no per-example results to test the difference`;
  }
  const ratio = b ? ` (${round3(a.learningRate / b.learningRate)} times larger)` : "";
  return {
    id,
    quote,
    held,
    sentence: `${numbers}. With max-norm the largest α ${within} is ${reach(a)}, without it ${reach(b)}${ratio}; ${evidence}${held ? ": the larger learning rate is tolerated, as claimed" : ": not enough to say it held"}.`,
  };
}

/** A model's test-set confidences (see calibration.ts). */
export interface CalibrationRun {
  name: string;
  confidences: Confidences;
}

/**
 * One-sided paired bootstrap p-value for "ECE(b) < ECE(a)": resample the test examples with
 * replacement (the same indices for both models) and count the resamples where b's ECE is not
 * lower; (count + 1)/(resamples + 1), so it is never 0.
 */
export function bootstrapEcePValue(
  a: Confidences,
  b: Confidences,
  resamples = BOOTSTRAP_RESAMPLES,
  seed = 0,
): number {
  const n = a.confidence.length;
  if (b.confidence.length !== n) throw new RangeError("both models must be scored on the same examples");
  const rs = new RandomState(seed);
  const pick = (c: Confidences, idx: Uint32Array): Confidences => ({
    confidence: Float64Array.from(idx, (i) => c.confidence[i]),
    correct: Uint8Array.from(idx, (i) => c.correct[i]),
  });
  const idx = new Uint32Array(n);
  let notLower = 0;
  for (let r = 0; r < resamples; r++) {
    for (let j = 0; j < n; j++) idx[j] = Math.floor(rs.random() * n);
    if (calibrate(pick(b, idx)).ece >= calibrate(pick(a, idx)).ece) notLower++;
  }
  return (notLower + 1) / (resamples + 1);
}

/** Label smoothing improves calibration: test ECE with and without it, and a paired bootstrap. */
export function labelSmoothingCalibrationClaim(plain: CalibrationRun, smoothed: CalibrationRun): Claim {
  const a = calibrate(plain.confidences);
  const b = calibrate(smoothed.confidences);
  const drop = a.ece - b.ece;
  const p = bootstrapEcePValue(plain.confidences, smoothed.confidences);
  const held = drop >= MIN_ECE_DROP && p < CLAIM_ALPHA;
  const side = (c: typeof a) =>
    `mean confidence ${pct(c.confidence)} against accuracy ${pct(c.accuracy)}: ${c.confidence > c.accuracy ? "over" : "under"}confident`;
  const numbers = `On ${count(a.n)} test examples, “${plain.name}” has ECE ${ece3(a.ece)} (${side(a)}), “${smoothed.name}” ${ece3(b.ece)} (${side(b)}); paired bootstrap ${pText(p)}`;
  let verdict: string;
  if (held) verdict = "label smoothing calibrated the model, as claimed";
  else if (drop > 0)
    verdict = `lower, but ${drop < MIN_ECE_DROP ? `by less than ${MIN_ECE_DROP}` : "not significantly"}: not shown here`;
  else verdict = "ECE did not fall: label smoothing did not improve calibration here";
  return {
    id: "label-smoothing-calibration",
    quote: "Label smoothing improves calibration (Müller, Kornblith & Hinton 2019)",
    held,
    sentence: `${numbers}: ${verdict}.`,
  };
}

/** A model scored on the test set, example by example (as claims.ts's Scored). */
export interface ScoredRun {
  name: string;
  testAccuracy: number;
  testCorrect: Uint8Array;
}

/** AdamW (decoupled weight decay) against Adam with L2 in the gradient, by McNemar's test. */
export function adamwClaim(adamL2: ScoredRun, adamW: ScoredRun): Claim {
  const t = mcnemar(adamW.testCorrect, adamL2.testCorrect);
  const significant = t.pValue < CLAIM_ALPHA;
  const ahead = t.b > t.c ? adamW.name : t.c > t.b ? adamL2.name : undefined;
  const held = significant && ahead === adamW.name;
  const numbers = `“${adamW.name}” scores ${pct(adamW.testAccuracy)} on the test set, “${adamL2.name}” ${pct(adamL2.testAccuracy)}; ${t.b} test examples only the first got right, ${t.c} only the second (McNemar ${pText(t.pValue)})`;
  let verdict: string;
  if (held) verdict = "decoupled weight decay wins significantly, as Loshchilov and Hutter found";
  else if (significant) verdict = `“${adamL2.name}” wins significantly: the claim fails here`;
  else
    verdict = `no significant difference${ahead ? `, though “${ahead}” is ahead` : ""}: not shown on this data`;
  return {
    id: "adamw",
    quote: "Decoupled weight decay (AdamW) generalizes better than Adam with L2 (Loshchilov & Hutter 2019)",
    held,
    sentence: `${numbers}: ${verdict}.`,
  };
}
