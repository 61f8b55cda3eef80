/**
 * Scoring a dataset a slice of examples at a time, so that the worker can spread an evaluation of
 * thousands of images over many short turns (each a few milliseconds) instead of one long one that
 * holds back snapshots, predictions and Pause. Each example's logits do not depend on the other
 * examples of the batch, and the loss and the classes are computed from the assembled logits as a
 * full pass computes them: the figures equal a full scoring's bit for bit.
 */
import { type Matrix, matrix } from "../src/core/matrix.js";
import type { Model } from "../src/core/model.js";
import type { Dataset } from "../src/data/dataset.js";
import type { Score } from "./protocol.js";

/** Examples per slice: about 3 ms of [784, 64, 10] forward passes in a browser. */
export const SCORE_SLICE = 250;

export type FullScore = Score & { loss: number; predicted: Uint8Array };

/** Correct predictions, plain loss and classes from the output pre-activations of every example. */
export function scoreLogits(net: Pick<Model, "head" | "outputs">, z: Float64Array, d: Dataset): FullScore {
  const m = d.X.cols;
  const K = net.outputs;
  const predicted = net.head.predict(z, m, K);
  let correct = 0;
  for (let j = 0; j < m; j++) if (predicted[j] === d.y[j]) correct++;
  return { correct, n: m, loss: net.head.cost(z, d.y, m, K), predicted };
}

/** One dataset scored by one (fixed) network, `slice` examples per call of `next`. */
export class SlicedScoring {
  private readonly z: Float64Array;
  private done = 0;
  private buffer: Matrix | undefined;

  constructor(
    readonly net: Model,
    readonly data: Dataset,
    private readonly slice = SCORE_SLICE,
  ) {
    this.z = new Float64Array(net.outputs * data.X.cols);
  }

  get finished(): boolean {
    return this.done >= this.data.X.cols;
  }

  /** Scores the next slice of examples; returns how many. */
  next(): number {
    const { X } = this.data;
    const m = X.cols;
    const c0 = this.done;
    const n = Math.min(this.slice, m - c0);
    if (n <= 0) return 0;
    if (this.buffer?.cols !== n) this.buffer = matrix(X.rows, n);
    const part = this.buffer;
    // Features are rows: each row's run of columns is contiguous.
    for (let f = 0; f < X.rows; f++) part.data.set(X.data.subarray(f * m + c0, f * m + c0 + n), f * n);
    const zs = this.net.logits(part);
    const K = this.net.outputs;
    for (let k = 0; k < K; k++) this.z.set(zs.subarray(k * n, (k + 1) * n), k * m + c0);
    this.done += n;
    return n;
  }

  /** The figures once every slice is scored. */
  result(): FullScore {
    if (!this.finished) throw new Error("scoring is not finished");
    return scoreLogits(this.net, this.z, this.data);
  }
}
