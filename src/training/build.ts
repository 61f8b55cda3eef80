import { Network } from "../core/network.js";
import type { RandomState } from "../core/random.js";
import type { ModelConfig, TrainConfig } from "./config.js";
import { checkTrainingMemory } from "./memory.js";

/**
 * The network [n_x, …hidden, outputs] a model config describes, initialized from `rng`: one
 * output (a sigmoid) for two classes, K (a softmax) for K classes — see `outputUnits`. A network
 * whose training would not fit in memory (on `examples` examples, when known) is refused with the
 * estimate before anything is allocated.
 */
export function buildNetwork(
  inputSize: number,
  config: ModelConfig & Partial<TrainConfig>,
  rng: RandomState,
  examples = 0,
  outputs = 1,
): Network {
  const sizes = [inputSize, ...config.hidden, outputs];
  checkTrainingMemory(sizes, examples, config);
  return Network.initialize(sizes, rng, {
    activation: config.activation,
    init: config.init,
  });
}
