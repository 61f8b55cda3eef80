import { type BlockSizes, DEFAULT_BLOCKS } from "../../src/core/wasm-kernels.js";

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

// Block sizes that cut every product into several blocks of terms and rows (with ragged last
// blocks), the defaults, and blocks of one term.
export const EDGE_BLOCKINGS: readonly BlockSizes[] = [
  { terms: 3, rows: 5, minTerms: 1 },
  { terms: 7, rows: 4, minTerms: 2 },
  // No slice: every column tile copies its own panel (what sources too wide for the slice do).
  { terms: 5, rows: 8, minTerms: 1, slice: 0 },
  { terms: 1, rows: 9, minTerms: 1 },
  DEFAULT_BLOCKS,
];
