/**
 * Repeated stratified k-fold cross-validation of compare's models over all labelled examples:
 * each model trains on k − 1 folds and is scored on the held-out one, r times with different fold
 * seeds. Reported as cross-validation, never as a test score: the intervals and the paired tests
 * use Nadeau & Bengio's (2003) corrected resampled t statistic, whose variance term
 * (1/J + n_held-out/n_train)·s² accounts for the training sets overlapping across folds (the plain
 * t-test over J = k·r folds would be far too confident).
 */
import { matrix } from "../core/matrix.js";
import { RandomState } from "../core/random.js";
import { augmentTraining } from "../data/augment/augmentation.js";
import type { DataBundle, Dataset } from "../data/dataset.js";
import { kFold, trainDevSplit } from "../data/split.js";
import type { Callback } from "../training/callbacks.js";
import type { RunConfig } from "../training/config.js";
import { earlyStopping } from "../training/early-stopping.js";
import { fitLayered } from "../training/layer-trainer.js";
import { type FitOptions, fit } from "../training/train.js";
import type { ComparisonModel } from "./compare.js";
import { holm, mean, std } from "./stats.js";
import { studentTQuantile, studentTSurvival } from "./student-t.js";

/** A model of a comparison, possibly a layered (convolutional) network (`layers`). */
export type CvModel = ComparisonModel;

export interface CrossValidationOptions {
  folds: number;
  repeats: number;
  models: readonly CvModel[];
  base?: Partial<RunConfig>;
  /** Repeat r draws its folds from RandomState(foldSeed + r) (default 0). */
  foldSeed?: number;
  /** Repeat r trains every model from initial seed firstSeed + r (default 3, as compare's first seed). */
  firstSeed?: number;
  /** Classes K (default: from the labels). */
  classes?: number;
  confidence?: number;
  /** Called before each model of each fold: for progress lines. */
  onFold?: (at: { fold: number; folds: number; repeat: number; repeats: number; model: CvModel }) => void;
  trainOptions?: (model: CvModel) => FitOptions;
}

export interface CvFoldScore {
  repeat: number;
  fold: number;
  accuracy: number;
  heldOut: number;
  trainExamples: number;
}

export interface CvModelResult {
  key: string;
  name: string;
  folds: CvFoldScore[];
  /** Mean held-out accuracy over all k·r folds. */
  mean: number;
  /** Sample sd of the fold accuracies. */
  sd: number;
  /** Corrected resampled t interval for the expected held-out accuracy. */
  low: number;
  high: number;
}

export interface CvPairTest {
  a: string;
  b: string;
  /** Mean of (B − A) over the same folds. */
  meanDifference: number;
  t: number;
  df: number;
  pValue: number;
  /** Holm-adjusted over all pairs. */
  adjusted: number;
  significant: boolean;
}

export interface CrossValidationResult {
  folds: number;
  repeats: number;
  examples: number;
  confidence: number;
  method: string;
  models: CvModelResult[];
  pairs: CvPairTest[];
}

export const CV_METHOD =
  "repeated stratified k-fold cross-validation; intervals and paired tests by the corrected resampled t-test (Nadeau & Bengio 2003), df = k·r − 1";

/** Train and test pooled: every labelled example (test examples are labelled too). */
export function poolLabelled(bundle: DataBundle): Dataset {
  const { train, test } = bundle;
  if (!test) return train;
  if (train.X.rows !== test.X.rows)
    throw new RangeError(`train has ${train.X.rows} features but test ${test.X.rows}: they cannot be pooled`);
  const n = train.X.rows;
  const m1 = train.X.cols;
  const m2 = test.X.cols;
  const X = matrix(n, m1 + m2);
  for (let f = 0; f < n; f++) {
    X.data.set(train.X.data.subarray(f * m1, (f + 1) * m1), f * (m1 + m2));
    X.data.set(test.X.data.subarray(f * m2, (f + 1) * m2), f * (m1 + m2) + m1);
  }
  const y = new Uint8Array(m1 + m2);
  y.set(train.y);
  y.set(test.y, m1);
  return train.shape ? { X, y, shape: train.shape } : { X, y };
}

/** Trains one model on `train` (augmented, held out or stopped early as the model says); returns its network. */
async function trainModel(
  model: CvModel,
  train: Dataset,
  config: Partial<RunConfig>,
  options: FitOptions,
): Promise<{ predict(X: Dataset["X"]): Uint8Array }> {
  const split = model.earlyStopping ?? model.holdOut;
  let trainSet = train;
  const callbacks: Callback[] = [...(options.callbacks ?? [])];
  if (split) {
    const parts = trainDevSplit(train, split.devFraction, new RandomState(split.splitSeed ?? 0));
    trainSet = parts.train;
    if (model.earlyStopping) {
      const { devFraction: _f, splitSeed: _s, ...settings } = model.earlyStopping;
      callbacks.push(earlyStopping({ ...settings, dev: parts.dev }));
    }
  }
  const seed = (config.seed ?? 3) as number;
  const a = model.augment ? augmentTraining(model.augment, trainSet, seed) : undefined;
  const data = a ? a.train : trainSet;
  const opts: FitOptions = { ...options, callbacks, ...(a?.transform && { transform: a.transform }) };
  const result = model.layers
    ? await fitLayered(data, model.layers, config, opts)
    : await fit(data, config, opts);
  return result.network;
}

export interface CorrectedT {
  mean: number;
  sd: number;
  /** mean / √((1/J + n_held-out/n_train)·s²); ±∞ when every fold agrees, 0 when all are 0. */
  t: number;
  df: number;
  /** Two-sided p-value for "the expected value is 0". */
  pValue: number;
  /** Half-width of the interval at `confidence`. */
  halfWidth: number;
}

/**
 * Nadeau & Bengio's corrected resampled t statistic for J = k·r fold scores (or paired fold
 * differences) of k-fold cross-validation: the held-out/training size ratio is 1/(k − 1).
 */
export function correctedResampledT(values: readonly number[], folds: number, confidence = 0.95): CorrectedT {
  const m = mean(values);
  const sd = values.length > 1 ? std(values) : 0;
  const df = values.length - 1;
  const se = Math.sqrt((1 / values.length + 1 / (folds - 1)) * sd * sd);
  if (df < 1) return { mean: m, sd, t: Number.NaN, df, pValue: Number.NaN, halfWidth: Number.NaN };
  const halfWidth = studentTQuantile(1 - (1 - confidence) / 2, df) * se;
  if (se === 0) {
    const t = m === 0 ? 0 : Math.sign(m) * Number.POSITIVE_INFINITY;
    return { mean: m, sd, t, df, pValue: m === 0 ? 1 : 0, halfWidth };
  }
  const t = m / se;
  return { mean: m, sd, t, df, pValue: Math.min(1, 2 * studentTSurvival(Math.abs(t), df)), halfWidth };
}

/**
 * Runs the cross-validation: every model on the same folds, so differences are paired fold by fold.
 */
export async function crossValidate(
  data: Dataset,
  options: CrossValidationOptions,
): Promise<CrossValidationResult> {
  const { folds: k, repeats, models } = options;
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new RangeError(`repeats must be a whole number ≥ 1, got ${repeats}`);
  if (models.length === 0) throw new RangeError("cross-validation needs at least one model");
  const confidence = options.confidence ?? 0.95;
  const foldSeed = options.foldSeed ?? 0;
  const firstSeed = options.firstSeed ?? 3;
  const scores: CvFoldScore[][] = models.map(() => []);
  for (let r = 0; r < repeats; r++) {
    const parts = kFold(data, k, new RandomState(foldSeed + r));
    for (let f = 0; f < k; f++) {
      const { train, dev } = parts[f];
      for (let i = 0; i < models.length; i++) {
        const model = models[i];
        options.onFold?.({ fold: f + 1, folds: k, repeat: r + 1, repeats, model });
        const user = options.trainOptions?.(model) ?? {};
        const config = { ...options.base, ...model.overrides, seed: firstSeed + r };
        const network = await trainModel(model, train, config, {
          ...user,
          ...(options.classes !== undefined && { classes: options.classes }),
        });
        const p = network.predict(dev.X);
        let right = 0;
        for (let j = 0; j < p.length; j++) if (p[j] === dev.y[j]) right++;
        scores[i].push({
          repeat: r + 1,
          fold: f + 1,
          accuracy: right / p.length,
          heldOut: p.length,
          trainExamples: train.X.cols,
        });
      }
    }
  }
  const results: CvModelResult[] = models.map((model, i) => {
    const s = correctedResampledT(
      scores[i].map((x) => x.accuracy),
      k,
      confidence,
    );
    return {
      key: model.key,
      name: model.name,
      folds: scores[i],
      mean: s.mean,
      sd: s.sd,
      low: Math.max(0, s.mean - s.halfWidth),
      high: Math.min(1, s.mean + s.halfWidth),
    };
  });
  const raw: Omit<CvPairTest, "adjusted" | "significant">[] = [];
  for (let i = 0; i < models.length; i++) {
    for (let j = i + 1; j < models.length; j++) {
      const s = correctedResampledT(
        scores[j].map((x, f) => x.accuracy - scores[i][f].accuracy),
        k,
        confidence,
      );
      raw.push({
        a: models[i].name,
        b: models[j].name,
        meanDifference: s.mean,
        t: s.t,
        df: s.df,
        pValue: s.pValue,
      });
    }
  }
  const adjusted = holm(raw.map((p) => p.pValue));
  const alpha = 1 - confidence;
  return {
    folds: k,
    repeats,
    examples: data.X.cols,
    confidence,
    method: CV_METHOD,
    models: results,
    pairs: raw.map((p, n) => ({ ...p, adjusted: adjusted[n], significant: adjusted[n] < alpha })),
  };
}

const pct = (x: number) => (100 * x).toFixed(1);

/** Lines for the terminal: the models' cross-validated accuracies and which pairs differ. */
export function crossValidationLines(r: CrossValidationResult): string[] {
  const level = Math.round(r.confidence * 100);
  const lines = [
    `Cross-validation (not a test score): ${r.folds}-fold, ${r.repeats} repeat${r.repeats === 1 ? "" : "s"}, ${r.examples} labelled examples; held-out accuracy, mean [${level}% corrected resampled t interval] (sd over ${r.folds * r.repeats} folds):`,
    ...r.models.map((m) => `- ${m.name}: ${pct(m.mean)}% [${pct(m.low)}, ${pct(m.high)}] (sd ${pct(m.sd)})`),
  ];
  if (r.pairs.length > 0) {
    const sig = r.pairs.filter((p) => p.significant);
    const fmt = (p: CvPairTest) =>
      `${p.b} − ${p.a}: ${p.meanDifference >= 0 ? "+" : "−"}${pct(Math.abs(p.meanDifference))} points, p = ${p.pValue.toPrecision(2)} (${p.adjusted.toPrecision(2)} Holm)`;
    lines.push(
      `Paired over the same folds (Nadeau & Bengio's corrected resampled t, Holm over ${r.pairs.length} pair${r.pairs.length === 1 ? "" : "s"}): ${
        sig.length > 0 ? `significant — ${sig.map(fmt).join("; ")}` : "no difference is significant"
      }.`,
    );
    lines.push(...r.pairs.filter((p) => !p.significant).map((p) => `  ${fmt(p)}`));
  }
  return lines;
}
