/**
 * Convolutional model sets for compare's images, run under cross-validation (`compare --cnn
 * --cv K`): for the cats, a small CNN with each of the article's remedies (none, L2, dropout,
 * spatial dropout, flip, flip + crop, combined); for the digits, the dense net of the grayscale set
 * beside a CNN, with and without elastic and affine distortions. The remedies' strengths are the
 * course's and the digit set's values, not tuned for these networks.
 */
import { parseLayerSpecs } from "../core/layers/spec.js";
import type { DataBundle } from "../data/dataset.js";
import type { RunConfig } from "../training/config.js";
import type { CvModel } from "./cross-validation.js";
import { DIGIT_BASE } from "./model-sets.js";

export interface CnnModelSet {
  name: "rgb-cnn" | "grayscale-cnn";
  description: string;
  base: Partial<RunConfig>;
  models: readonly CvModel[];
}

/**
 * The cats CNN: a stride-2 first convolution keeps a step on 64 × 64 × 3 images four times
 * cheaper than stride 1 (the first layer is most of the work), then a dense layer of 32 for
 * dropout to act on.
 */
export const CAT_CNN_LAYERS = "conv:8:5:2,maxpool:2,conv:16:3,maxpool:2,32";

/** Adam, batches of 32, 150 steps: about 23 epochs of 207 images (a 5-fold training part of 259), a minute a run on this loaded machine. */
export const CAT_CNN_BASE: Partial<RunConfig> = {
  learningRate: 0.001,
  optimizer: { name: "adam" },
  batchSize: 32,
  iterations: 150,
  costEvery: 50,
};

const cats = parseLayerSpecs(CAT_CNN_LAYERS);
const catsSpatial = parseLayerSpecs("conv:8:5:2,maxpool:2,spatial-dropout:0.8,conv:16:3,maxpool:2,32");

export const CAT_CNN_MODELS: readonly CvModel[] = [
  { key: "none", name: "CNN, no regularization", overrides: {}, layers: cats },
  { key: "l2", name: "CNN, L2 λ = 0.7", overrides: { lambda: 0.7 }, layers: cats },
  { key: "dropout", name: "CNN, dropout 0.8", overrides: { keepProb: 0.8 }, layers: cats },
  { key: "spatial-dropout", name: "CNN, spatial dropout 0.8", overrides: {}, layers: catsSpatial },
  {
    key: "flip",
    name: "CNN, flip (online)",
    overrides: {},
    layers: cats,
    augment: { spec: "flip", mode: "online" },
  },
  {
    key: "flip-crop",
    name: "CNN, flip + crop 4 (online)",
    overrides: {},
    layers: cats,
    augment: { spec: "flip,crop:4", mode: "online" },
  },
  {
    key: "combined",
    name: "CNN, flip + crop 4, spatial dropout 0.8, dropout 0.8",
    overrides: { keepProb: 0.8 },
    layers: catsSpatial,
    augment: { spec: "flip,crop:4", mode: "online" },
  },
];

/** The README's digits CNN. */
export const DIGIT_CNN_LAYERS = "conv:8:5,maxpool:2,conv:16:3,maxpool:2,64";

const digits = parseLayerSpecs(DIGIT_CNN_LAYERS);
const ELASTIC_AFFINE = "elastic:alpha=34,sigma=4,affine";

export const DIGIT_CNN_MODELS: readonly CvModel[] = [
  { key: "dense", name: "dense [64], no regularization", overrides: {} },
  { key: "cnn", name: "CNN, no regularization", overrides: {}, layers: digits },
  {
    key: "cnn-distort",
    name: "CNN, elastic + affine ×4 (expand)",
    overrides: {},
    layers: digits,
    augment: { spec: ELASTIC_AFFINE, mode: "expand", copies: 4 },
  },
];

/** The CNN set for image data: RGB → cats, one channel → digits; null for plain features. */
export function cnnSetFor(data: DataBundle): CnnModelSet | null {
  const shape = data.train.shape;
  if (!shape) return null;
  if (shape.channels >= 3)
    return {
      name: "rgb-cnn",
      description: `RGB images: a CNN ${CAT_CNN_LAYERS}`,
      base: CAT_CNN_BASE,
      models: CAT_CNN_MODELS,
    };
  return {
    name: "grayscale-cnn",
    description: `grayscale images: the dense net beside a CNN ${DIGIT_CNN_LAYERS}`,
    base: DIGIT_BASE,
    models: DIGIT_CNN_MODELS,
  };
}
