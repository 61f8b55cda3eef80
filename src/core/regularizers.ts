/**
 * Regularizers as data: specs, the registry that builds them, and the built-in kinds (registered
 * here, in this order). Scaling: reglab's penalties are per batch of m examples, as the article
 * writes L2: λ/(2m)·Σ‖W‖² (Keras's l2 = λ/(2m)) and λ/m·Σ|w| (Keras's l1 = λ/m).
 */
import { MAX_NORM_CLASS } from "./regularizers/max-norm.js";
import { GAUSSIAN_DROPOUT_CLASS, GAUSSIAN_NOISE_CLASS } from "./regularizers/noise.js";
import { ELASTIC_CLASS, L1_CLASS, L2_CLASS } from "./regularizers/penalties.js";
import { registerRegularizer } from "./regularizers/registry.js";

export { maxNorm } from "./regularizers/max-norm.js";
export { gaussianDropout, gaussianNoise } from "./regularizers/noise.js";
export { elastic, l1, l2, zeroWeights } from "./regularizers/penalties.js";
export {
  buildRegularizer,
  checkRegularizerSpec,
  type FieldRule,
  type NoiseSpec,
  type Regularizer,
  type RegularizerClass,
  type RegularizerSpec,
  registerRegularizer,
  regularizerClass,
  regularizerKinds,
  type WeightShape,
} from "./regularizers/registry.js";

for (const cls of [
  L2_CLASS,
  L1_CLASS,
  ELASTIC_CLASS,
  MAX_NORM_CLASS,
  GAUSSIAN_NOISE_CLASS,
  GAUSSIAN_DROPOUT_CLASS,
])
  registerRegularizer(cls);
