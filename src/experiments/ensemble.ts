import type { Network } from "../core/network.js";
import type { Dataset } from "../data/dataset.js";
import type { RunConfig } from "../training/config.js";
import { fit, type TrainOptions } from "../training/train.js";

/**
 * Trains one network per seed with the same configuration: an ensemble whose disagreement
 * measures how much the answer depends on the initial weights (for models without dropout).
 */
export async function trainEnsemble(
  data: Dataset,
  config: Partial<RunConfig>,
  seeds: readonly number[],
  options: (seed: number, index: number) => TrainOptions = () => ({}),
): Promise<Network[]> {
  const out: Network[] = [];
  for (let k = 0; k < seeds.length; k++) {
    const result = await fit(data, { ...config, seed: seeds[k] }, options(seeds[k], k));
    out.push(result.network);
  }
  return out;
}
