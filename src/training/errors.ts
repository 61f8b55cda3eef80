/** Training blew up: the weights or the cost stopped being finite numbers. */
export class DivergenceError extends Error {
  override name = "DivergenceError";
  constructor(
    readonly iteration: number,
    readonly learningRate: number,
  ) {
    super(
      `training diverged at iteration ${iteration} with learning rate ${learningRate}: the cost blew up ` +
        `instead of decreasing; try a smaller learning rate`,
    );
  }
}
