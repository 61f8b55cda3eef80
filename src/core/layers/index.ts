export { Conv2D, type ConvSettings } from "./conv2d.js";
export { Dense } from "./dense.js";
export { DropoutLayer, Flatten } from "./dropout.js";
export type { Layer, LayerContext } from "./layer.js";
export {
  hasDropoutLayers,
  type LayeredMcOptions,
  layeredMcDropoutPasses,
  layeredMcDropoutPassesPaced,
} from "./mc-dropout.js";
export {
  LAYERED_MODEL_VERSION,
  type LayeredModelFile,
  layeredModelFromJSON,
  layeredModelToJSON,
} from "./model-file.js";
export { LayeredNetwork, resolveLayers } from "./network.js";
export { type LayerNoiseSettings, NoiseLayer } from "./noise.js";
export { Pool2D } from "./pool.js";
export {
  axisGeometry,
  checkLayerSpec,
  type LayerSpec,
  LayerSpecError,
  type LayerType,
  outputShape,
  type Padding,
  parseLayerSpecs,
  shapeSize,
  specText,
  type TensorShape,
} from "./spec.js";
