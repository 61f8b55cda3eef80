import { matrix } from "../../src/core/matrix.js";
import { RandomState } from "../../src/core/random.js";
import type { Dataset } from "../../src/data/dataset.js";

export const BARS_SHAPE = { height: 8, width: 8, channels: 2 };

/** Bars: class 0 a vertical bar, 1 a horizontal one, 2 a diagonal, at random places, in noise. */
export function bars(m: number, seed: number): Dataset {
  const rng = new RandomState(seed);
  const { height: H, width: W, channels: C } = BARS_SHAPE;
  const X = matrix(H * W * C, m);
  const y = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    const label = j % 3;
    y[j] = label;
    const at = rng.randint(1, 7, 1)[0];
    for (let h = 0; h < H; h++)
      for (let w = 0; w < W; w++) {
        const on = label === 0 ? w === at : label === 1 ? h === at : h === w;
        for (let c = 0; c < C; c++)
          X.data[((h * W + w) * C + c) * m + j] = (on ? 0.8 : 0) + 0.2 * rng.rand(1)[0];
      }
  }
  return { X, y, shape: BARS_SHAPE };
}
