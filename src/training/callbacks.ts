import type { Model } from "../core/model.js";
import type { History } from "./history.js";
import type { Stepper } from "./stepper.js";

/** What a callback sees of a run in progress. */
export interface TrainContext {
  readonly trainer: Stepper;
  readonly network: Model;
  readonly history: History;
  /** Iterations asked for. */
  readonly iterations: number;
  /** Ends training after the current iteration. */
  stop(reason: string): void;
}

/**
 * Plain objects of optional hooks, called in order. `iteration` is the index of the step just
 * taken (0-based); `cost` is NaN on iterations where it was not computed.
 */
export interface Callback {
  /** Set to compute the cost on every iteration rather than every `costEvery`. */
  readonly wantsEveryCost?: boolean;
  onTrainBegin?(ctx: TrainContext): void;
  onIterationEnd?(ctx: TrainContext, iteration: number, cost: number): void;
  onCostRecorded?(ctx: TrainContext, iteration: number, cost: number): void;
  onTrainEnd?(ctx: TrainContext): void;
}
