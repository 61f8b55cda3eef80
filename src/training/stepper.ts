import type { Model } from "../core/model.js";
import type { Dataset } from "../data/dataset.js";
import type { TrainerState } from "./trainer.js";

/** What a run steps: the Trainer, or in tests a stand-in that moves weights by hand. */
export interface Stepper {
  readonly network: Model;
  readonly data: Dataset;
  readonly iteration: number;
  readonly epoch: number;
  readonly learningRate: number;
  /** One optimizer step; returns its cost when `withCost`, else NaN. */
  step(withCost: boolean): number;
  /** A cost lower bound and Σ‖W‖² of the last step, for the divergence rule. */
  lastCostBound(): { cost: number; weightNorm2: number };
  /** ‖W_l‖²_F per layer of the weights the last step used (for the history). */
  lastWeightNorms(): number[];
  /** The penalties' term in the last step's cost (for the history); absent: none. */
  lastPenalty?(): number;
  /** The penalties' term in the cost of `weights` over `m` examples, from the trainer's one list. */
  penaltyCost?(weights: readonly Float64Array[], m: number): number;
  /** The penalties' fused decay coefficient c (c·W in dW) for a batch of `m` (L2: λ/m). */
  fusedDecay?(m: number): number;
  getState(): TrainerState;
  setState(state: TrainerState): void;
}
