import { RandomState } from "./random.js";

/**
 * How dropout masks are drawn each iteration. `fresh` (real dropout) keeps drawing from the
 * generator that made the weights; `fixed` reseeds RandomState(1) every iteration, as the article's
 * code does with `np.random.seed(1)`, so the same masks come back every time.
 */
export type MaskPolicy = "fresh" | "fixed";
export const MASK_POLICIES: readonly MaskPolicy[] = ["fresh", "fixed"];
export const FIXED_MASK_SEED = 1;

/**
 * Expands `keepProb` (one number for every hidden layer, or one per hidden layer) and checks
 * each lies in (0, 1].
 */
export function keepProbsFor(keepProb: number | readonly number[], hiddenLayers: number): number[] {
  const list = typeof keepProb === "number" ? new Array<number>(hiddenLayers).fill(keepProb) : [...keepProb];
  if (list.length !== hiddenLayers) {
    throw new RangeError(
      `keepProb lists ${list.length} values but the network has ${hiddenLayers} hidden layers`,
    );
  }
  for (const p of list) {
    if (!(p > 0 && p <= 1)) throw new RangeError(`keepProb must be in (0, 1], got ${p}`);
  }
  return list;
}

/**
 * Fills `mask[0..n)` with 1/keepProb where a uniform draw is < keepProb and 0 elsewhere, so that
 * `a · mask` is inverted dropout: kept units are scaled up and E[a · mask] = a.
 */
export function drawMask(rng: RandomState, mask: Float64Array, n: number, keepProb: number): void {
  const scale = 1 / keepProb;
  rng.rand(n, mask);
  for (let i = 0; i < n; i++) mask[i] = mask[i] < keepProb ? scale : 0;
}

/** Fills a mask as drawMask does (a kernel backend may do it faster, with the same bits). */
export type MaskDrawer = (rng: RandomState, mask: Float64Array, n: number, keepProb: number) => void;

/** Draws the masks of one iteration, layer by layer in row-major order. */
export class MaskSource {
  private readonly fixedRng: RandomState | undefined;
  private lastFixedBatch = -1;

  constructor(
    readonly policy: MaskPolicy,
    private readonly rng: RandomState,
    private readonly drawer: MaskDrawer = drawMask,
  ) {
    if (policy !== "fresh" && policy !== "fixed")
      throw new RangeError(`unknown dropout mask policy '${policy}'`);
    this.fixedRng = policy === "fixed" ? new RandomState(FIXED_MASK_SEED) : undefined;
  }

  /**
   * Fills masks[l] (n_l × m) for each hidden layer l with keepProb < 1, then calls `more`. Under
   * `fixed`, reseeding and redrawing would reproduce the previous masks (and noise) bit for bit, so
   * they are kept as they are while the batch size stays the same.
   */
  draw(
    masks: (Float64Array | undefined)[],
    sizes: readonly number[],
    keep: readonly number[],
    m: number,
    /** Other training noise (Gaussian noise and dropout), drawn after the masks from the same generator. */
    more?: (rng: RandomState) => void,
  ): void {
    let rng = this.rng;
    if (this.fixedRng) {
      if (m === this.lastFixedBatch) return;
      this.fixedRng.seed(FIXED_MASK_SEED);
      this.lastFixedBatch = m;
      rng = this.fixedRng;
    }
    for (let h = 0; h < keep.length; h++) {
      const mask = masks[h];
      if (mask) this.drawer(rng, mask, sizes[h + 1] * m, keep[h]);
    }
    more?.(rng);
  }
}
