/**
 * Layer shapes [nOut, nIn, m] for kernel tests: every pass width (1–4 terms) and their mixtures,
 * odd and even example counts (the SIMD kernels take two examples at a time), lone last rows,
 * blocks of dW along either side, and the seed's layers over its 211 examples.
 */
export const KERNEL_SHAPES: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [1, 3, 5],
  [20, 2, 211],
  [3, 20, 211],
  [1, 3, 211],
  [7, 5, 9],
  [5, 7, 3],
  [5, 7, 2],
  [2, 9, 4],
  [13, 11, 64],
  [6, 1, 7],
];
