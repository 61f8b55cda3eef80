/**
 * How much memory training a network takes, estimated before anything is allocated, so a network
 * that cannot fit is refused with the estimate instead of failing deep inside an allocation.
 */
import { keepProbsFor } from "../core/dropout.js";
import { PATCH_BUDGET } from "../core/layers/conv2d.js";
import { type LayerSpec, outputShape, shapeSize, specText, type TensorShape } from "../core/layers/spec.js";
import { ConfigError, type TrainConfig } from "./config.js";

/** The most training may take: the WebAssembly kernels' 32-bit memory holds at most 4 GiB. */
export const MAX_TRAINING_BYTES = 4 * 1024 ** 3;

const DOUBLE = 8;

/** Weights and biases of a network with layer sizes `sizes` ([n_x, …hidden, 1]). */
export function parameterCount(sizes: readonly number[]): number {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += sizes[l] * (sizes[l - 1] + 1);
  return n;
}

/**
 * Bytes to train `sizes` on `examples` examples (0 when unknown: the parameters alone): the
 * network, the trainer's copy, the gradients and the optimizer's state, plus per example of a
 * batch each layer's pre-activations, activations, gradients and dropout masks.
 */
export function estimateTrainingBytes(
  sizes: readonly number[],
  examples = 0,
  config: Partial<Pick<TrainConfig, "batchSize" | "optimizer" | "keepProb">> = {},
): number {
  const params = parameterCount(sizes);
  const state = config.optimizer?.name === "adam" ? 2 : config.optimizer?.name === "momentum" ? 1 : 0;
  const batch = config.batchSize && config.batchSize < examples ? config.batchSize : examples;
  let perExample = sizes[0] + 1;
  let keep: number[] = [];
  try {
    keep = keepProbsFor(config.keepProb ?? 1, sizes.length - 2);
  } catch {
    // An invalid keepProb is reported by the config check; count no masks here.
  }
  for (let l = 1; l < sizes.length; l++) perExample += sizes[l] * (3 + ((keep[l - 1] ?? 1) < 1 ? 2 : 0));
  return DOUBLE * (params * (3 + state) + perExample * batch);
}

/** "320 GB", "1.5 GB", "12 MB": decimal units, as people estimate memory. */
function formatEstimate(bytes: number): string {
  const units = ["bytes", "kB", "MB", "GB", "TB", "PB"];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${bytes} bytes` : `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/** Throws a ConfigError, with the estimate, when training `sizes` would need more than `limit` bytes. */
export function checkTrainingMemory(
  sizes: readonly number[],
  examples = 0,
  config: Partial<Pick<TrainConfig, "batchSize" | "optimizer" | "keepProb">> = {},
  limit = MAX_TRAINING_BYTES,
): void {
  const bytes = estimateTrainingBytes(sizes, examples, config);
  if (bytes <= limit) return;
  const weights = parameterCount(sizes).toLocaleString("en-US");
  const data = examples > 0 ? ` on ${examples} examples` : "";
  throw new ConfigError(
    `the network [${sizes.join(", ")}] has ${weights} weights; training it${data} needs about ` +
      `${formatEstimate(bytes)}, more than the ${formatEstimate(limit)} reglab allows; use smaller layers` +
      (examples > 0 ? " or a --batch-size" : ""),
  );
}

/** Weights and biases of a layered network's layers (conv: f·f·C_in·C_out + C_out; dense: units·(inputs + 1)). */
export function layeredParameterCount(layers: readonly LayerSpec[], input: TensorShape): number {
  let n = 0;
  let shape = input;
  for (const s of layers) {
    if (s.type === "conv") n += (s.size * s.size * shape.channels + 1) * s.filters;
    if (s.type === "dense") n += (shapeSize(shape) + 1) * s.units;
    shape = outputShape(s, shape);
  }
  return n;
}

/**
 * Multiply-adds of one example's forward pass: a convolution's output positions × f·f·C_in ×
 * filters, a dense layer's inputs × units, one per value for pooling and dropout. Backward costs
 * about twice as much again.
 */
export function layeredMultiplyAdds(layers: readonly LayerSpec[], input: TensorShape): number {
  let n = 0;
  let shape = input;
  for (const s of layers) {
    const out = outputShape(s, shape);
    if (s.type === "conv") n += out.height * out.width * s.size * s.size * shape.channels * s.filters;
    else if (s.type === "dense") n += shapeSize(shape) * s.units;
    else n += shapeSize(shape);
    shape = out;
  }
  return n;
}

export interface LayeredMemory {
  /** Everything training allocates: the network, gradients, optimizer state and every layer's buffers. */
  bytes: number;
  /** Of those, the doubles in the kernels' memory (what LayerTrainer sizes its kernels with). */
  kernelDoubles: number;
  parameters: number;
}

/**
 * What training the full layer list `layers` (output layer and dropout included, as resolveLayers
 * gives it) on `examples` images of shape `input` allocates, counted as the layers allocate it
 * (conv2d.ts, pool.ts, dense.ts, dropout.ts, layer-trainer.ts), for a batch of batchSize (all
 * examples when unset): per layer its kernel copies of W and b and their gradients, im2col's
 * patches in chunks of at most PATCH_BUDGET values, its output, and the gradient it passes back
 * (not the first layer's); max pooling's argmax (4-byte integers); the trainer's batch of inputs,
 * labels and output gradients; beside them the network's own W and b, their gradients, and the
 * optimizer's state. The data set itself is not counted.
 */
export function estimateLayeredTrainingMemory(
  layers: readonly LayerSpec[],
  input: TensorShape,
  examples: number,
  config: Partial<Pick<TrainConfig, "batchSize" | "optimizer">> = {},
): LayeredMemory {
  const B = config.batchSize && config.batchSize < examples ? config.batchSize : Math.max(1, examples);
  const P = layeredParameterCount(layers, input);
  const state = config.optimizer?.name === "adam" ? 2 : config.optimizer?.name === "momentum" ? 1 : 0;
  let kernel = 0;
  // Outside the kernels: W and b, the optimizer's state, and a convolution's gradient sums.
  let heap = P * (1 + state);
  let ints = 0;
  let shape = input;
  layers.forEach((s, i) => {
    const out = outputShape(s, shape);
    const nIn = shapeSize(shape);
    const nOut = shapeSize(out);
    const back = i > 0 ? nIn * B : 0;
    switch (s.type) {
      case "conv": {
        const K = s.size * s.size * shape.channels;
        const w = K * s.filters + s.filters;
        const positions = out.height * out.width;
        const chunk = Math.max(1, Math.min(positions, Math.floor(PATCH_BUDGET / (K * B)))) * B;
        // Wt, bk and dWt, db; patches (and their gradient); z and dz; the output; dx.
        kernel += 2 * w + K * chunk * (i > 0 ? 2 : 1) + 2 * s.filters * chunk + nOut * B + back;
        // dWsum, dbSum and the gradients the optimizer reads.
        heap += 2 * w;
        break;
      }
      case "dense": {
        const w = (nIn + 1) * s.units;
        // Wk, bk and the gradients (kernel memory); out, dz; dx.
        kernel += 2 * w + 2 * s.units * B + back;
        break;
      }
      case "maxpool":
      case "avgpool":
        kernel += nOut * B + back;
        if (s.type === "maxpool") ints += nOut * B;
        break;
      case "dropout":
      case "spatial-dropout":
        // The mask (one per value, or per channel), the output and dx.
        kernel += (s.type === "spatial-dropout" ? shape.channels : nIn) * B + 2 * nIn * B;
        break;
      case "flatten":
        break;
    }
    shape = out;
  });
  // The trainer's batch: inputs, labels, output gradients.
  kernel += (shapeSize(input) + 1 + shapeSize(shape)) * B;
  return { bytes: DOUBLE * (kernel + heap) + 4 * ints, kernelDoubles: kernel, parameters: P };
}

/**
 * Throws a ConfigError, with the estimate, when training the layered network would need more than
 * `limit` bytes: before anything is allocated, as checkTrainingMemory for the dense network.
 */
export function checkLayeredTrainingMemory(
  layers: readonly LayerSpec[],
  input: TensorShape,
  examples: number,
  config: Partial<Pick<TrainConfig, "batchSize" | "optimizer">> = {},
  limit = MAX_TRAINING_BYTES,
): void {
  const m = estimateLayeredTrainingMemory(layers, input, examples, config);
  if (m.bytes <= limit) return;
  throw new ConfigError(
    `the network [${layers.map(specText).join(", ")}] has ${m.parameters.toLocaleString("en-US")} weights; ` +
      `training it on ${examples} examples needs about ${formatEstimate(m.bytes)}, more than the ` +
      `${formatEstimate(limit)} reglab allows; use fewer filters or smaller layers, a larger stride, or a --batch-size`,
  );
}
