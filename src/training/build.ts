import { Network } from "../core/network.js";
import type { RandomState } from "../core/random.js";
import type { ModelConfig, TrainConfig } from "./config.js";
import { checkTrainingMemory } from "./memory.js";

/**
 * The network [n_x, …hidden, 1] a model config describes, initialized from `rng`. A network whose
 * training would not fit in memory (on `examples` examples, when known) is refused with the
 * estimate before anything is allocated.
 */
export function buildNetwork(
  inputSize: number,
  config: ModelConfig & Partial<TrainConfig>,
  rng: RandomState,
  examples = 0,
): Network {
  const sizes = [inputSize, ...config.hidden, 1];
  checkTrainingMemory(sizes, examples, config);
  return Network.initialize(sizes, rng, {
    activation: config.activation,
    init: config.init,
  });
}
