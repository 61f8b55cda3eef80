/** A small valid model file's JSON ([2, 3, 1], ReLU, no recorded config), for tests to vary. */
export const SMALL_MODEL = {
  format: "reglab-model",
  version: 1,
  sizes: [2, 3, 1],
  activation: "relu",
  weights: [
    [1, -1, 0.5, 0.25, -0.5, 2],
    [1, -2, 0.5],
  ],
  biases: [[0, 0.1, -0.1], [0.2]],
};
