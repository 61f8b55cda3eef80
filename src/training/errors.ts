import { Interrupted } from "../core/pace.js";

/**
 * Training blew up: outputs or weights stopped being finite, grew without bound, or the cost rose
 * far above where it started and stayed there. The message names the likely cause (the learning
 * rate, λ or the scale of the features) and what to change.
 */
export class DivergenceError extends Error {
  override name = "DivergenceError";
  constructor(
    readonly iteration: number,
    /** What was seen, e.g. "the cost rose from 0.656 to 2.69 and stayed there". */
    readonly symptom: string,
    /** The likely cause and what to change. */
    readonly advice: string,
  ) {
    super(`training diverged at iteration ${iteration}: ${symptom}; ${advice}`);
  }
}

/**
 * Raised inside a step when the output layer stops being finite numbers; the training run turns
 * it into a DivergenceError with a diagnosis (the trainer alone cannot tell why).
 */
export class NonFiniteError extends Error {
  override name = "NonFiniteError";
  constructor(
    readonly iteration: number,
    readonly what: string,
  ) {
    super(`${what} stopped being finite at iteration ${iteration}`);
  }
}

/**
 * Training was stopped from outside (Ctrl-C, SIGTERM, an AbortSignal) before it finished. Never
 * a result: callers report where it stopped and write nothing that looks complete. `checkpoint`
 * holds the run's state when one was asked for, to resume from.
 */
export class TrainingInterrupted extends Interrupted {
  override name = "TrainingInterrupted";
  constructor(
    readonly iteration: number,
    readonly iterations: number,
    message = `training interrupted at iteration ${iteration} of ${iterations}`,
  ) {
    super(message);
  }
}
