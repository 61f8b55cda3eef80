/**
 * Prediction with uncertainty: Monte Carlo dropout (dropout kept on at prediction, T passes) and
 * ensembles of separately trained networks. Both give T probability "passes" per point; the same
 * summary (mean, standard deviation, standard error, percentile band) describes either.
 *
 * One MC-dropout pass samples ONE thinned network: a keep/drop mask over the hidden units, drawn
 * layer by layer from the generator (`rand(n_l) < keepProb`, kept units scaled by 1/keepProb as in
 * training), shared by every point of the pass. A pass is thus a coherent alternative model, as an
 * ensemble member is, and statistics over a region (the mean probability of a zone in each pass)
 * keep the correlation between neighbouring points.
 *
 * With K classes (a softmax network) a pass gives K probabilities per point, and each (class,
 * point) pair is summarized on its own, laid out as predictProba's K × m (class k of point j at
 * k·m + j). {@link predictedClass} then reads, per point, one class's probability band (by default
 * the class with the highest mean over the passes): the answer and how sure the thinned networks
 * are of it.
 */
import { checkNetworkInput } from "./data-error.js";
import { drawMask, keepProbsFor } from "./dropout.js";
import type { Matrix } from "./matrix.js";
import type { Network } from "./network.js";
import { type Pace, runSteps, runStepsPaced, type Steps } from "./pace.js";
import { RandomState } from "./random.js";

export type UncertaintyMethod = "mc-dropout" | "ensemble";

/**
 * T passes over m points, pass-major. Each pass holds P(class 1) per point for a sigmoid network
 * (`values[t * m + j]`), or K class probabilities for a softmax (`values[t * K * m + k * m + j]`).
 */
export interface Passes {
  readonly method: UncertaintyMethod;
  readonly samples: number;
  readonly points: number;
  /** Probabilities per point in a pass: 1 (P(class 1) of a sigmoid, the default) or K (a softmax). */
  readonly classes?: number;
  readonly values: Float64Array;
}

/** Per-point summary of T passes (per class and point, K × m, for a softmax). */
export interface Uncertainty extends Passes {
  /**
   * Mean over the passes: the MC-dropout prediction (the average thinned network). With a skewed
   * spread — a few thinned networks that disagree strongly — it can lie outside the percentile
   * band, so the band is shown around {@link median}, never around the mean.
   */
  readonly mean: Float64Array;
  /** The 50th percentile of the passes: always inside the [low, high] band. */
  readonly median: Float64Array;
  /** Standard deviation over the passes (n − 1): the spread of the model's belief. */
  readonly sd: Float64Array;
  /** sd/√T: how precisely `mean` is known after T passes (shrinks as T grows). */
  readonly standardError: Float64Array;
  /** The `lowQuantile` and `highQuantile` percentiles of the passes (linear interpolation, as numpy). */
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly lowQuantile: number;
  readonly highQuantile: number;
}

export interface SummaryOptions {
  /** Percentile of the passes reported as the lower bound; default 0.05. */
  lowQuantile?: number;
  /** Percentile of the passes reported as the upper bound; default 0.95. */
  highQuantile?: number;
}

export interface McDropoutOptions extends SummaryOptions {
  /** Number of passes T; default 100. */
  samples?: number;
  /** Keep probability of every hidden layer (one number) or of each; a network without dropout has 1. */
  keepProb: number | readonly number[];
  /** Seed of the generator that draws the masks when no `rng` is given; default 0. */
  seed?: number;
  rng?: RandomState;
}

function checkSamples(samples: number): void {
  if (!Number.isInteger(samples) || samples < 2) {
    throw new RangeError(`the number of passes must be a whole number ≥ 2, got ${samples}`);
  }
}

/**
 * The thinned network of one MC-dropout pass: each hidden unit k of layer l is kept with
 * probability keepProb_l (then its outgoing weights are scaled by 1/keepProb_l) or dropped (its
 * outgoing weights set to 0). Same as masking the activations, for every point at once.
 */
export function thinnedNetwork(net: Network, keep: readonly number[], rng: RandomState): Network {
  const out = net.clone();
  const mask = new Float64Array(Math.max(1, ...net.sizes));
  for (let h = 0; h < keep.length; h++) {
    if (keep[h] >= 1) continue;
    const units = net.sizes[h + 1];
    drawMask(rng, mask, units, keep[h]);
    // Layer h+2's weights (n_{h+2} × units, row-major) read unit k in column k.
    const W = out.weights[h + 1];
    const next = net.sizes[h + 2];
    for (let r = 0; r < next; r++) {
      for (let k = 0; k < units; k++) W[r * units + k] *= mask[k];
    }
  }
  return out;
}

/** T MC-dropout passes of `net` over the columns of X. */
export function mcDropoutPasses(net: Network, X: Matrix, options: McDropoutOptions): Passes {
  return runSteps(mcDropoutSteps(net, X, options));
}

/** The passes one at a time (a step per pass), for the synchronous and the paced forms. */
function* mcDropoutSteps(net: Network, X: Matrix, options: McDropoutOptions): Steps<Passes> {
  checkNetworkInput(net.inputSize, X, "mcDropoutPasses");
  const samples = options.samples ?? 100;
  checkSamples(samples);
  const keep = keepProbsFor(options.keepProb, net.sizes.length - 2);
  if (keep.every((p) => p >= 1)) {
    throw new RangeError(
      "MC dropout needs a network trained with dropout (keepProb < 1); use an ensemble otherwise",
    );
  }
  const rng = options.rng ?? new RandomState(options.seed ?? 0);
  const m = X.cols;
  const per = net.outputs * m;
  const values = new Float64Array(samples * per);
  for (let t = 0; t < samples; t++) {
    values.set(thinnedNetwork(net, keep, rng).predictProba(X), t * per);
    yield;
  }
  return { method: "mc-dropout", samples, points: m, classes: net.outputs, values };
}

/** One pass per network: P(class 1) of every ensemble member over the columns of X. */
export function ensemblePasses(networks: readonly Network[], X: Matrix): Passes {
  return runSteps(ensembleSteps(networks, X));
}

function* ensembleSteps(networks: readonly Network[], X: Matrix): Steps<Passes> {
  checkSamples(networks.length);
  const classes = networks[0].outputs;
  if (networks.some((n) => n.outputs !== classes)) throw new RangeError("ensemble members differ in outputs");
  const m = X.cols;
  const per = classes * m;
  const values = new Float64Array(networks.length * per);
  for (let t = 0; t < networks.length; t++) {
    values.set(networks[t].predictProba(X), t * per);
    yield;
  }
  return { method: "ensemble", samples: networks.length, points: m, classes, values };
}

/** The q-quantile of sorted values, interpolating linearly between order statistics (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = Math.min(1, Math.max(0, q)) * (n - 1);
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < n ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i];
}

function checkQuantiles(lowQ: number, highQ: number): void {
  if (!(lowQ >= 0 && lowQ < highQ && highQ <= 1)) {
    throw new RangeError(`quantiles must satisfy 0 ≤ low < high ≤ 1, got ${lowQ} and ${highQ}`);
  }
}

/** Mean, standard deviation, standard error and percentile band of each point's passes. */
export function summarizePasses(passes: Passes, options: SummaryOptions = {}): Uncertainty {
  return runSteps(summarySteps(passes, options));
}

/** Points summarized per step: a step sorts about this many values (T per point). */
const SUMMARY_STEP_VALUES = 1 << 16;

function* summarySteps(passes: Passes, options: SummaryOptions): Steps<Uncertainty> {
  const lowQuantile = options.lowQuantile ?? 0.05;
  const highQuantile = options.highQuantile ?? 0.95;
  checkQuantiles(lowQuantile, highQuantile);
  const { samples: T, values } = passes;
  // Each (class, point) pair is a series of its own; a sigmoid has one per point.
  const m = passes.points * (passes.classes ?? 1);
  const mean = new Float64Array(m);
  const median = new Float64Array(m);
  const sd = new Float64Array(m);
  const standardError = new Float64Array(m);
  const low = new Float64Array(m);
  const high = new Float64Array(m);
  const column = new Float64Array(T);
  const rootT = Math.sqrt(T);
  const perStep = Math.max(1, Math.floor(SUMMARY_STEP_VALUES / T));
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let t = 0; t < T; t++) {
      column[t] = values[t * m + j];
      s += column[t];
    }
    const mu = s / T;
    let ss = 0;
    for (let t = 0; t < T; t++) ss += (column[t] - mu) ** 2;
    column.sort();
    mean[j] = mu;
    sd[j] = T > 1 ? Math.sqrt(ss / (T - 1)) : 0;
    standardError[j] = sd[j] / rootT;
    median[j] = quantileSorted(column, 0.5);
    low[j] = quantileSorted(column, lowQuantile);
    high[j] = quantileSorted(column, highQuantile);
    if ((j + 1) % perStep === 0) yield;
  }
  return { ...passes, mean, median, sd, standardError, low, high, lowQuantile, highQuantile };
}

/** Per point: the class with the highest mean probability over the passes, with that probability's summary. */
export interface PredictedClass {
  readonly label: Uint8Array;
  readonly mean: Float64Array;
  readonly median: Float64Array;
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly sd: Float64Array;
}

/**
 * The predicted class of each point from summarized passes and its probability's band: for a
 * softmax the argmax of the mean class probabilities; for a sigmoid 1 when the mean P(class 1)
 * exceeds 0.5, with the band of P(class 1) or of 1 − P(class 1) accordingly. Pass `labels` (e.g.
 * the network's own prediction, dropout off) to summarize those classes instead.
 */
export function predictedClass(u: Uncertainty, labels?: ArrayLike<number>): PredictedClass {
  const m = u.points;
  const K = u.classes ?? 1;
  const out = {
    label: new Uint8Array(m),
    mean: new Float64Array(m),
    median: new Float64Array(m),
    low: new Float64Array(m),
    high: new Float64Array(m),
    sd: new Float64Array(m),
  };
  for (let j = 0; j < m; j++) {
    if (K === 1) {
      const one = labels ? labels[j] === 1 : u.mean[j] > 0.5;
      out.label[j] = one ? 1 : 0;
      out.mean[j] = one ? u.mean[j] : 1 - u.mean[j];
      out.median[j] = one ? u.median[j] : 1 - u.median[j];
      out.low[j] = one ? u.low[j] : 1 - u.high[j];
      out.high[j] = one ? u.high[j] : 1 - u.low[j];
      out.sd[j] = u.sd[j];
      continue;
    }
    let best = 0;
    if (labels) best = labels[j];
    else for (let k = 1; k < K; k++) if (u.mean[k * m + j] > u.mean[best * m + j]) best = k;
    const at = best * m + j;
    out.label[j] = best;
    out.mean[j] = u.mean[at];
    out.median[j] = u.median[at];
    out.low[j] = u.low[at];
    out.high[j] = u.high[at];
    out.sd[j] = u.sd[at];
  }
  return out;
}

/**
 * P(class 1) with uncertainty from Monte Carlo dropout: T passes with dropout kept on (each pass
 * one thinned network), summarized per point. Needs the keepProb the network was trained with.
 *
 * ```ts
 * const u = predictWithUncertainty(net, X, { keepProb: 0.86, samples: 200, seed: 1 });
 * u.median[0], u.low[0], u.high[0]   // the passes' median and their 5th–95th percentile band
 * u.mean[0]                          // the MC-dropout prediction (may lie outside the band)
 * ```
 */
export function predictWithUncertainty(net: Network, X: Matrix, options: McDropoutOptions): Uncertainty {
  return summarizePasses(mcDropoutPasses(net, X, options), options);
}

/** The same summary for an ensemble: one pass per member network. */
export function ensembleUncertainty(
  networks: readonly Network[],
  X: Matrix,
  options: SummaryOptions = {},
): Uncertainty {
  return summarizePasses(ensemblePasses(networks, X), options);
}

/**
 * {@link predictWithUncertainty} that can be stopped: it yields to the caller's event loop now and
 * then (`pace.yieldControl`) and throws Interrupted once `pace.signal` is aborted. Same numbers.
 */
export async function predictWithUncertaintyPaced(
  net: Network,
  X: Matrix,
  options: McDropoutOptions,
  pace: Pace,
): Promise<Uncertainty> {
  const samples = options.samples ?? 100;
  const passes = await runStepsPaced(
    mcDropoutSteps(net, X, options),
    pace,
    (t) => `interrupted at Monte Carlo dropout pass ${t} of ${samples}`,
  );
  return summarizePassesPaced(passes, options, pace);
}

/** {@link ensembleUncertainty} that can be stopped, as {@link predictWithUncertaintyPaced}. */
export async function ensembleUncertaintyPaced(
  networks: readonly Network[],
  X: Matrix,
  options: SummaryOptions,
  pace: Pace,
): Promise<Uncertainty> {
  const passes = await runStepsPaced(
    ensembleSteps(networks, X),
    pace,
    (t) => `interrupted at ensemble member ${t} of ${networks.length}`,
  );
  return summarizePassesPaced(passes, options, pace);
}

function summarizePassesPaced(passes: Passes, options: SummaryOptions, pace: Pace): Promise<Uncertainty> {
  return runStepsPaced(summarySteps(passes, options), pace, () => "interrupted while summarizing the passes");
}
