/**
 * Calibration: does a model's confidence match how often it is right? Expected calibration error
 * (Guo et al. 2017): the test examples binned by confidence (the predicted class's probability)
 * into equal-width bins; ECE = Σ_b (n_b/N)·|accuracy_b − confidence_b|. The bins themselves are a
 * reliability diagram's points.
 */
import type { Network } from "../core/network.js";
import type { Dataset } from "../data/dataset.js";

export interface ReliabilityBin {
  /** The bin's range of confidence, [low, high). */
  low: number;
  high: number;
  count: number;
  /** Mean confidence and accuracy of its examples (NaN when empty). */
  confidence: number;
  accuracy: number;
}

export interface Calibration {
  ece: number;
  bins: ReliabilityBin[];
}

/** ECE and reliability bins of `net` on `d`, with `bins` equal-width bins (15, as Guo et al.). */
export function calibration(net: Network, d: Dataset, bins = 15): Calibration {
  const m = d.X.cols;
  const K = net.outputs;
  const p = net.predictProba(d.X);
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const right = new Array<number>(bins).fill(0);
  for (let j = 0; j < m; j++) {
    let cls: number;
    let c: number;
    if (K === 1) {
      cls = p[j] > 0.5 ? 1 : 0;
      c = cls === 1 ? p[j] : 1 - p[j];
    } else {
      cls = 0;
      c = p[j];
      for (let k = 1; k < K; k++) if (p[k * m + j] > c) [cls, c] = [k, p[k * m + j]];
    }
    const b = Math.min(bins - 1, Math.floor(c * bins));
    count[b]++;
    conf[b] += c;
    if (cls === d.y[j]) right[b]++;
  }
  let ece = 0;
  const out: ReliabilityBin[] = count.map((n, b) => {
    const confidence = n > 0 ? conf[b] / n : Number.NaN;
    const accuracy = n > 0 ? right[b] / n : Number.NaN;
    if (n > 0) ece += (n / m) * Math.abs(accuracy - confidence);
    return { low: b / bins, high: (b + 1) / bins, count: n, confidence, accuracy };
  });
  return { ece, bins: out };
}
