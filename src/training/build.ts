import { Network } from "../core/network.js";
import type { RandomState } from "../core/random.js";
import type { ModelConfig } from "./config.js";

/** The network [n_x, …hidden, 1] a model config describes, initialized from `rng`. */
export function buildNetwork(inputSize: number, config: ModelConfig, rng: RandomState): Network {
  return Network.initialize([inputSize, ...config.hidden, 1], rng, {
    activation: config.activation,
    init: config.init,
  });
}
