/** One evaluation of the model during training (written by evaluating callbacks). */
export interface Evaluation {
  iteration: number;
  trainCost: number;
  trainAccuracy: number;
  devCost?: number;
  devAccuracy?: number;
}

/** What a run leaves behind: the cost curve and, when evaluated, the dev curve. */
export interface History {
  /** Iterations at which `costs` were recorded: 0, costEvery, 2·costEvery, … */
  iterations: number[];
  /** The training cost (with its L2 term and this iteration's dropout masks) at each of those. */
  costs: number[];
  /**
   * ‖W_l‖²_F of each layer's weights at each of those iterations (the weights that cost was
   * computed with): the mechanism the article names — L2 and dropout shrink it, early stopping
   * stops while it is mid-sized. Their sum is Σ‖W‖², the L2 penalty's own measure.
   */
  weightNorms: number[][];
  /**
   * The penalties' term in each of `costs` (L2, L1, …: the trainer's list), so the data's
   * cross-entropy is costs[k] − penalties[k]. Absent in histories made before reglab kept it.
   */
  penalties?: number[];
  evaluations: Evaluation[];
  /** Iterations actually run (fewer than asked when stopped early or aborted). */
  iterationsRun: number;
  /** Why training ended before the last iteration, if it did. */
  stopReason?: string;
  /** Set by early stopping: the iteration whose weights were kept. */
  bestIteration?: number;
}

export function emptyHistory(): History {
  return { iterations: [], costs: [], weightNorms: [], penalties: [], evaluations: [], iterationsRun: 0 };
}

/** A deep copy of a history (its lists are plain numbers and evaluation records). */
export function cloneHistory(h: History): History {
  return {
    ...h,
    iterations: [...h.iterations],
    costs: [...h.costs],
    weightNorms: h.weightNorms.map((n) => [...n]),
    ...(h.penalties && { penalties: [...h.penalties] }),
    evaluations: h.evaluations.map((e) => ({ ...e })),
  };
}
