export { affine } from "./affine.js";
export {
  AUGMENT_MODES,
  type Augmentation,
  type AugmentedTraining,
  type AugmentMode,
  augmentTraining,
  checkAugmentation,
  describeAugmentation,
} from "./augmentation.js";
export { augmentColumns, augmentExample, batchTransform, checkTransforms, expandDataset } from "./compose.js";
export { crop, cropResize } from "./crop.js";
export { displacementField, elastic, gaussianBlur } from "./elastic.js";
export { flip, flipHorizontal, flipInPlace } from "./flip.js";
export { jitter } from "./jitter.js";
export { noise } from "./noise.js";
export { parseAugmentation, TRANSFORM_NAMES } from "./parse.js";
export { PixelMaps, type Remap } from "./pixel-map.js";
export { makeTransform, type Transform, type TransformInto } from "./transform.js";
