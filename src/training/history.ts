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
  evaluations: Evaluation[];
  /** Iterations actually run (fewer than asked when stopped early or aborted). */
  iterationsRun: number;
  /** Why training ended before the last iteration, if it did. */
  stopReason?: string;
  /** Set by early stopping: the iteration whose weights were kept. */
  bestIteration?: number;
}

export function emptyHistory(): History {
  return { iterations: [], costs: [], evaluations: [], iterationsRun: 0 };
}

/** A deep copy of a history (its lists are plain numbers and evaluation records). */
export function cloneHistory(h: History): History {
  return {
    ...h,
    iterations: [...h.iterations],
    costs: [...h.costs],
    evaluations: h.evaluations.map((e) => ({ ...e })),
  };
}
