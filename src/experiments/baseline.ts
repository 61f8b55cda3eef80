/**
 * The majority-class baseline: the accuracy of always answering the training data's most common
 * class. On imbalanced data a high accuracy can be no better than that, so every accuracy table
 * shows it (when the classes are split beyond 60/40) and says which models do not beat it
 * significantly — by the one-sided exact binomial test of a model's correct count against the
 * baseline's rate on the same examples.
 */
import { classCount, type Dataset } from "../data/dataset.js";
import { binomialUpperTail } from "./stats.js";

/** Two classes split beyond this share (60/40) count as imbalanced: the baseline is shown. */
export const IMBALANCE_SHARE = 0.6;
/** A model whose one-sided p-value against the baseline is at least this does not beat it. */
export const BASELINE_ALPHA = 0.05;

export interface MajorityBaseline {
  /** The training data's most common class (the lowest label on a tie). */
  readonly label: number;
  /** Its share of the training examples. */
  readonly share: number;
  /** Whether that share exceeds {@link IMBALANCE_SHARE}: then tables show the baseline. */
  readonly imbalanced: boolean;
}

/** How one model's accuracy on one set compares with always answering the majority class. */
export interface BaselineTest {
  /** Accuracy of always answering the majority class on this set. */
  readonly baselineAccuracy: number;
  readonly accuracy: number;
  readonly examples: number;
  /** P(at least this many right | the baseline's rate): the one-sided exact binomial p-value. */
  readonly pValue: number;
  /** pValue < BASELINE_ALPHA. */
  readonly beats: boolean;
}

function share(y: Uint8Array, label: number): number {
  let n = 0;
  for (let j = 0; j < y.length; j++) if (y[j] === label) n++;
  return y.length === 0 ? 0 : n / y.length;
}

/**
 * With K classes the baseline is the most common class; it counts as imbalanced when its share
 * exceeds 1.2/K — 60 % for two classes (a 60/40 split), 12 % for ten, the same 20 % above an even
 * share.
 */
export function majorityBaseline(train: Dataset): MajorityBaseline {
  const counts = new Array<number>(256).fill(0);
  for (let j = 0; j < train.y.length; j++) counts[train.y[j]]++;
  let label = 0;
  for (let c = 1; c < counts.length; c++) if (counts[c] > counts[label]) label = c;
  const s = train.y.length === 0 ? 0 : counts[label] / train.y.length;
  return { label, share: s, imbalanced: s > (IMBALANCE_SHARE * 2) / classCount(train.y) };
}

/** Accuracy of always answering `label` on `set`. */
export function baselineAccuracy(baseline: MajorityBaseline, set: Dataset): number {
  return share(set.y, baseline.label);
}

/** Compares an accuracy over `examples` examples with the baseline's accuracy on the same set. */
export function testAgainstBaseline(rate: number, accuracy: number, examples: number): BaselineTest {
  const correct = Math.round(accuracy * examples);
  const pValue = binomialUpperTail(correct, examples, rate);
  return { baselineAccuracy: rate, accuracy, examples, pValue, beats: pValue < BASELINE_ALPHA };
}

/** What a table needs of one model's scores. */
export interface ModelScores {
  readonly name: string;
  readonly trainAccuracy: number;
  /** Examples the train accuracy is over (fewer than the training set when a dev set is held out). */
  readonly trainExamples: number;
  readonly testAccuracy: number | null;
}

/** The baseline on each set and every model's test against it (on the test set when there is one). */
export interface BaselineSummary extends MajorityBaseline {
  readonly trainAccuracy: number;
  readonly testAccuracy: number | null;
  /** Which set the models are tested on: the test set, or the training set when there is none. */
  readonly testedOn: "test" | "train";
  readonly models: readonly (BaselineTest & { readonly name: string })[];
}

export function baselineSummary(
  data: { readonly train: Dataset; readonly test?: Dataset },
  models: readonly ModelScores[],
): BaselineSummary {
  const b = majorityBaseline(data.train);
  const trainAccuracy = baselineAccuracy(b, data.train);
  const testAccuracy = data.test ? baselineAccuracy(b, data.test) : null;
  const testedOn = data.test ? "test" : "train";
  return {
    ...b,
    trainAccuracy,
    testAccuracy,
    testedOn,
    models: models.map((m) => ({
      name: m.name,
      ...(data.test && m.testAccuracy !== null
        ? testAgainstBaseline(testAccuracy!, m.testAccuracy, data.test.y.length)
        : testAgainstBaseline(trainAccuracy, m.trainAccuracy, m.trainExamples)),
    })),
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * What a table says under it on imbalanced data: the baseline's accuracy, and which models do not
 * beat it significantly. Empty when the classes are within 60/40.
 */
export function baselineSentence(s: BaselineSummary): string {
  if (!s.imbalanced) return "";
  const where = s.testAccuracy === null ? "" : ` and ${pct(s.testAccuracy)} on test`;
  const head =
    `Majority-class baseline: ${pct(s.share)} of the training examples are class ${s.label}, so always ` +
    `answering ${s.label} scores ${pct(s.trainAccuracy)} on train${where}.`;
  const set = s.testedOn === "test" ? "the test set" : "the training set (no test set)";
  const weak = s.models.filter((m) => !m.beats);
  const test = `one-sided exact binomial test, α = ${BASELINE_ALPHA}`;
  if (weak.length === 0) {
    const worst = Math.max(...s.models.map((m) => m.pValue));
    return `${head} ${s.models.length === 1 ? "The model beats" : "Every model beats"} it significantly on ${set} (${test}; ${s.models.length === 1 ? "" : "largest "}${formatP(worst)}).`;
  }
  const list = weak.map((m) => `${m.name} (${pct(m.accuracy)}, ${formatP(m.pValue)})`).join(", ");
  const subject = s.models.length === 1 ? "The model does" : "Not significantly better than always answering";
  return s.models.length === 1
    ? `${head} ${subject} not beat it significantly on ${set}: ${pct(weak[0].accuracy)}, ${formatP(weak[0].pValue)} (${test}).`
    : `${head} ${subject} ${s.label} on ${set} (${test}): ${list}.`;
}

/** "p = 0.34", "p = 3.5e-5": two significant digits. */
export function formatP(p: number): string {
  return `p = ${p >= 0.001 ? Number(p.toPrecision(2)) : p.toExponential(1)}`;
}
