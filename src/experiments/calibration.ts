/**
 * Calibration: does a model that says "90 % sure" get 90 % right? Reliability bins and the
 * expected calibration error as Guo et al. (2017) define them: the top-class confidence of each
 * example in M equal-width bins ((b−1)/M, b/M], and ECE = Σ_b (n_b/n)·|accuracy_b − confidence_b|.
 */
import type { Model } from "../core/model.js";
import type { Dataset } from "../data/dataset.js";

/** The number of bins ECE is usually reported with (Guo et al.; torchmetrics' and netcal's default). */
export const ECE_BINS = 15;

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  /** Examples whose top-class confidence falls in (lower, upper]. */
  count: number;
  /** Mean top-class confidence of those examples (NaN when empty). */
  confidence: number;
  /** Share of those examples classified correctly (NaN when empty). */
  accuracy: number;
}

export interface Calibration {
  bins: ReliabilityBin[];
  /** Σ_b (n_b/n)·|accuracy_b − confidence_b|. */
  ece: number;
  /** The largest |accuracy_b − confidence_b| over non-empty bins (maximum calibration error). */
  mce: number;
  /** Mean confidence and accuracy over all examples (overconfidence: the first above the second). */
  confidence: number;
  accuracy: number;
  n: number;
}

/** Top-class confidence and correctness of each example, from `Network.predictProba`'s layout. */
export interface Confidences {
  confidence: Float64Array;
  correct: Uint8Array;
}

/**
 * From probabilities as `predictProba` returns them: P(y = 1) per example for a sigmoid
 * (`classes` ≤ 2 with m values; the prediction is 1 where P > 0.5, as `predict`), or K × m
 * row-major for a softmax (the first largest wins, as `predict`).
 */
export function confidences(proba: ArrayLike<number>, labels: ArrayLike<number>): Confidences {
  const m = labels.length;
  if (m === 0 || proba.length % m !== 0) {
    throw new RangeError(`expected m or K·m probabilities for ${m} labels, got ${proba.length}`);
  }
  const k = proba.length / m;
  const confidence = new Float64Array(m);
  const correct = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    let top: number;
    let p: number;
    if (k === 1) {
      const p1 = proba[j];
      top = p1 > 0.5 ? 1 : 0;
      p = top === 1 ? p1 : 1 - p1;
    } else {
      top = 0;
      p = proba[j];
      for (let c = 1; c < k; c++) {
        if (proba[c * m + j] > p) {
          p = proba[c * m + j];
          top = c;
        }
      }
    }
    confidence[j] = p;
    correct[j] = top === labels[j] ? 1 : 0;
  }
  return { confidence, correct };
}

/** The bin (0-based) of a confidence in (0, 1]: b with b/M < c ≤ (b+1)/M; 0 goes to the first. */
export function binOf(c: number, bins = ECE_BINS): number {
  return Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
}

/** Reliability bins, ECE and MCE of top-class confidences and whether each was right. */
export function calibrate(c: Confidences, bins = ECE_BINS): Calibration {
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`bins must be a whole number ≥ 1, got ${bins}`);
  const n = c.confidence.length;
  const count = new Array<number>(bins).fill(0);
  const confSum = new Array<number>(bins).fill(0);
  const rightSum = new Array<number>(bins).fill(0);
  let confAll = 0;
  let rightAll = 0;
  for (let j = 0; j < n; j++) {
    const b = binOf(c.confidence[j], bins);
    count[b]++;
    confSum[b] += c.confidence[j];
    rightSum[b] += c.correct[j];
    confAll += c.confidence[j];
    rightAll += c.correct[j];
  }
  let ece = 0;
  let mce = 0;
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const confidence = count[b] ? confSum[b] / count[b] : Number.NaN;
    const accuracy = count[b] ? rightSum[b] / count[b] : Number.NaN;
    if (count[b]) {
      const gap = Math.abs(accuracy - confidence);
      ece += (count[b] / n) * gap;
      mce = Math.max(mce, gap);
    }
    out.push({ lower: b / bins, upper: (b + 1) / bins, count: count[b], confidence, accuracy });
  }
  return { bins: out, ece, mce, confidence: confAll / n, accuracy: rightAll / n, n };
}

/** ECE alone (15 bins unless told). */
export function expectedCalibrationError(c: Confidences, bins = ECE_BINS): number {
  return calibrate(c, bins).ece;
}

/** ECE and reliability bins of `net` on `d` (15 equal-width bins unless told). */
export function calibration(net: Model, d: Dataset, bins = ECE_BINS): Calibration {
  return calibrate(confidences(net.predictProba(d.X), d.y), bins);
}
